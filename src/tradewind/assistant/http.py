"""Mounting the MCP server in the FastAPI app at ``/mcp`` (Streamable HTTP, stateless).

The SDK's session manager must run for the app's lifetime: :func:`mount_mcp` wraps whatever
lifespan the app already has (other features may add theirs) instead of replacing it.
An optional bearer token (setting ``mcp_token``) guards the endpoint.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from tradewind.assistant.server import build_server
from tradewind.db import Database
from tradewind.settings import Settings


class BearerToken:
    """Refuses requests without ``Authorization: Bearer <token>`` (401, JSON)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            sent = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, value = sent.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(value.strip(),
                                                                       self.token):
                body = b'{"error": "a bearer token is required for /mcp"}'
                await send({"type": "http.response.start", "status": 401, "headers": [
                    (b"content-type", b"application/json"),
                    (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def mount_mcp(app: FastAPI, settings: Settings, db: Database) -> None:
    """Serve the MCP server at ``/mcp`` and run its session manager in the app lifespan."""
    if not bool(settings.mcp_enabled):
        return
    server = build_server(db)
    # The sub-app serves its endpoint at "/" so that the mount point is exactly /mcp.
    # Host checks against DNS rebinding: only the hosts of the setting ``mcp_allowed_hosts``
    # when given (a public deployment sits behind a proxy with its own name); browsers
    # cannot reach a token-protected endpoint anyway.
    hosts = [h.strip() for h in str(settings.mcp_allowed_hosts or "").split(",") if h.strip()]
    security = TransportSecuritySettings(enable_dns_rebinding_protection=bool(hosts),
                                         allowed_hosts=hosts)
    mcp_app: Any = server.streamable_http_app(streamable_http_path="/", stateless_http=True,
                                              json_response=True, transport_security=security)
    token = str(settings.mcp_token or "")
    app.mount("/mcp", BearerToken(mcp_app, token) if token else mcp_app)
    app.state.mcp_server = server
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[Any]:
        async with previous(target) as state, server.session_manager.run():
            yield state

    app.router.lifespan_context = lifespan

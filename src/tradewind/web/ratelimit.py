"""Per-client rate limits on the JSON API and on form submissions (429 with Retry-After).

Counts are kept in the database (:mod:`tradewind.ratelimit`), so every instance behind one
address enforces the same limit.  The client is the peer address as uvicorn reports it: behind a
reverse proxy listed in ``TRADEWIND_FORWARDED_ALLOW_IPS`` that is the address from
``X-Forwarded-For``; from anywhere else the header is ignored, so a client cannot pick its own key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from html import escape

from anyio import to_thread

from tradewind.db import Database
from tradewind.i18n import gettext
from tradewind.ratelimit import hit
from tradewind.web.hardening import ASGIApp, Receive, Scope, Send

WINDOW_SECONDS = 60
EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics")
log = logging.getLogger(__name__)


def limit_kind(method: str, path: str) -> str | None:
    """Which limit applies: ``api`` for /api/v1, ``form`` for page POSTs, None otherwise."""
    if path.startswith(EXEMPT_PREFIXES):
        return None
    if path.startswith("/api/v1/") or path == "/api/v1":
        return "api"
    if method == "POST" and not path.startswith("/mcp"):
        return "form"
    return None


class RateLimitMiddleware:
    """Counts each API request and form POST per client and refuses those over the limit."""

    def __init__(self, app: ASGIApp, *, db: Database, api_per_minute: int,
                 forms_per_minute: int) -> None:
        self.app = app
        self.db = db
        self.limits = {"api": api_per_minute, "form": forms_per_minute}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = limit_kind(scope.get("method", "GET"), scope.get("path", ""))
        limit = self.limits.get(kind or "", 0)
        if kind is None or limit <= 0:
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = await to_thread.run_sync(self._count, f"{kind}:{client}", limit)
        if wait is None:
            await self.app(scope, receive, send)
            return
        await _refuse(send, kind, wait)

    def _count(self, key: str, limit: int) -> int | None:
        try:
            with self.db.transaction() as conn:
                return hit(conn, key, limit=limit, window=WINDOW_SECONDS)
        except Exception:  # the limiter must never take the site down with it
            log.exception("rate limiter unavailable; request allowed")
            return None


async def _refuse(send: Send, kind: str, wait: int) -> None:
    message = gettext("Too many requests from your address. Please try again in %(seconds)s "
                      "seconds.", seconds=wait)
    render: Callable[[], tuple[bytes, bytes]]
    if kind == "api":
        def render() -> tuple[bytes, bytes]:
            body = {"type": "about:blank", "title": gettext("Too many requests"),
                    "status": 429, "detail": message, "code": "too_many_requests",
                    "message": message}
            return json.dumps(body).encode(), b"application/problem+json"
    else:
        def render() -> tuple[bytes, bytes]:
            title = escape(gettext("Too many requests"))
            page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
                    f"</head><body><main><h1>{title}</h1><p>{escape(message)}</p></main>"
                    "</body></html>")
            return page.encode(), b"text/html; charset=utf-8"
    body, content_type = render()
    await send({"type": "http.response.start", "status": 429,
                "headers": [(b"content-type", content_type),
                            (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(wait).encode())]})
    await send({"type": "http.response.body", "body": body})

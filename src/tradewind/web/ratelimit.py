"""Per-client rate limits on the JSON API and on form submissions (429 with Retry-After).

Counts are kept in the database (:mod:`tradewind.ratelimit`), so every instance behind one
address enforces the same limit.  A process does not write to the database on every request:
it claims a batch of attempts (a twentieth of the limit, fewer near it) and lets them through
from memory until they are used or the window ends; claimed attempts count for every
instance, so together they never exceed the limit.  The client is the peer address as uvicorn reports it: behind a
reverse proxy listed in ``TRADEWIND_FORWARDED_ALLOW_IPS`` that is the address from
``X-Forwarded-For``; from anywhere else the header is ignored, so a client cannot pick its own key.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape

from anyio import to_thread

from tradewind.db import Database
from tradewind.i18n import gettext
from tradewind.ratelimit import claim
from tradewind.web.hardening import ASGIApp, Receive, Scope, Send

WINDOW_SECONDS = 60
EXEMPT_PREFIXES = ("/static/", "/healthz", "/readyz", "/metrics")
BATCH_SHARE = 20  # a claim takes at most limit / BATCH_SHARE attempts
LEASES_KEPT = 10_000
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
        # key → [attempts left, monotonic end of the window]; touched on the event loop only
        self.leases: dict[str, list[float]] = {}

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
        key = f"{kind}:{client}"
        if not self._from_lease(key):
            wait, granted, ends_in = await to_thread.run_sync(self._count, key, limit)
            if wait is not None:
                await _refuse(send, kind, wait)
                return
            self._lease(key, granted - 1, ends_in)
        await self.app(scope, receive, send)

    def _from_lease(self, key: str) -> bool:
        lease = self.leases.get(key)
        if lease is None or lease[0] < 1 or time.monotonic() >= lease[1]:
            return False
        lease[0] -= 1
        return True

    def _lease(self, key: str, left: int, ends_in: float) -> None:
        if left < 1:
            self.leases.pop(key, None)
            return
        if len(self.leases) >= LEASES_KEPT:
            now = time.monotonic()
            self.leases = {k: v for k, v in self.leases.items() if v[1] > now and v[0] >= 1}
        self.leases[key] = [left, time.monotonic() + ends_in]

    def _count(self, key: str, limit: int) -> tuple[int | None, int, float]:
        """(seconds to wait or None, attempts granted, seconds until the window ends)."""
        try:
            with self.db.transaction() as conn:
                wait, granted, start = claim(conn, key, limit=limit, window=WINDOW_SECONDS,
                                             batch=max(1, limit // BATCH_SHARE))
        except Exception:  # the limiter must never take the site down with it
            log.exception("rate limiter unavailable; request allowed")
            return None, 1, 0.0
        ends_in = 0.0 if start is None else (
            WINDOW_SECONDS - (datetime.now(UTC) - start).total_seconds())
        return wait, granted, ends_in


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

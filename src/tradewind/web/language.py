"""Chooses the language of each request: URL prefix (/fr/…), then cookie, then browser."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from tradewind import i18n


class LanguageMiddleware:
    """Strips a ``/en``, ``/fr`` or ``/es`` prefix from the path and sets the language."""

    def __init__(self, app: ASGIApp, default: str = i18n.DEFAULT_LANGUAGE) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        lang = None
        prefix = ""
        first = path.split("/", 2)[1] if path.count("/") >= 1 else ""
        if first in i18n.LANGUAGES:
            lang = first
            prefix = "/" + first
            path = path[len(prefix):] or "/"
            scope = dict(scope)
            scope["path"] = path
            scope["raw_path"] = path.encode()
        if lang is None:
            headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
            cookie_lang = _cookie(headers.get("cookie", ""), "lang")
            if cookie_lang in i18n.LANGUAGES:
                lang = cookie_lang
            else:
                lang = i18n.negotiate(headers.get("accept-language"), self.default)
        state = scope.setdefault("state", {})
        state["lang_prefix"] = prefix
        state["unprefixed_path"] = path
        token = i18n.current_language.set(lang)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.current_language.reset(token)


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None

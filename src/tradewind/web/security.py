"""CSRF tokens, the signed session cookie and small helpers every form page can reuse.

* CSRF: a random nonce lives in an HttpOnly cookie; forms carry the nonce signed with the
  site's secret key (``{{ csrf_field() }}``).  A POST whose token does not verify against the
  cookie is refused with 403.  Works for anonymous forms (feedback) and logged-in ones.
* Session: ``tw_session`` holds the signed user id, HttpOnly, SameSite=Lax, Secure when
  ``settings.secure_cookies``; it expires after :data:`SESSION_SECONDS`.

Pages that show a form call :func:`render_form` instead of ``render`` so the token and its
cookie are set together.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.accounts import User, get_user
from tradewind.i18n import lazy_noop as N_
from tradewind.settings import Settings
from tradewind.web.templating import render, url_for_lang

CSRF_COOKIE = "tw_csrf"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "tw_session"
SESSION_SECONDS = 8 * 3600
CSRF_SECONDS = 12 * 3600


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _serializer(request: Request, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_settings(request).resolved_secret_key(), salt=salt)


def _nonce(request: Request) -> str:
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not nonce or len(nonce) > 100:
        nonce = secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
        request.state.csrf_new = True
    return str(nonce)


def csrf_token(request: Request) -> str:
    """A token for a form; valid with this visitor's CSRF cookie."""
    return _serializer(request, "csrf").dumps(_nonce(request))


def csrf_field(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request)))


def verify_csrf(request: Request, form: Mapping[str, Any]) -> None:
    """Raise 403 unless the form's token matches the visitor's CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    token = str(form.get(CSRF_FIELD) or "")
    if not cookie or not token:
        raise HTTPException(403, N_("Missing security token: reload the form and try again."))
    try:
        nonce = _serializer(request, "csrf").loads(token, max_age=CSRF_SECONDS)
    except (BadSignature, SignatureExpired) as exc:
        raise HTTPException(403, N_("Invalid or expired security token: reload the form.")) from exc
    if not hmac.compare_digest(str(nonce), cookie):
        raise HTTPException(403, N_("Security token does not match: reload the form."))


def _cookie_kwargs(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": bool(_settings(request).secure_cookies),
            "path": "/"}


def finish(request: Request, response: Response) -> Response:
    """Set the CSRF cookie when this request created a nonce."""
    if getattr(request.state, "csrf_new", False):
        response.set_cookie(CSRF_COOKIE, request.state.csrf_nonce, max_age=CSRF_SECONDS,
                            **_cookie_kwargs(request))
    return response


def render_form(request: Request, template: str, context: dict[str, Any] | None = None,
                status_code: int = 200) -> HTMLResponse:
    """``render`` plus ``csrf_field()`` in the template and the matching cookie."""
    ctx = dict(context or {})
    ctx["csrf_field"] = lambda: csrf_field(request)
    ctx.setdefault("current_user", current_user(request))
    response = render(request, template, ctx, status_code=status_code)
    finish(request, response)
    return response


# ---------------------------------------------------------------- sessions
def start_session(request: Request, response: Response, user: User) -> None:
    token = _serializer(request, "session").dumps({"uid": user.id})
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_SECONDS, **_cookie_kwargs(request))
    # A fresh CSRF nonce after login: a token seen before login is useless afterwards.
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), max_age=CSRF_SECONDS,
                        **_cookie_kwargs(request))


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def current_user(request: Request) -> User | None:
    """The logged-in user, or None (cached on the request)."""
    if hasattr(request.state, "user"):
        return request.state.user  # type: ignore[no-any-return]
    user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        try:
            data = _serializer(request, "session").loads(token, max_age=SESSION_SECONDS)
            with request.app.state.db.connect() as conn:
                user = get_user(conn, int(data["uid"]))
        except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
            user = None
    request.state.user = user
    return user


def login_redirect(request: Request) -> RedirectResponse:
    path = getattr(request.state, "unprefixed_path", request.url.path)
    return RedirectResponse(url_for_lang(request, "/login") + f"?next={path}", status_code=303)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# ---------------------------------------------------------------- anti-spam timing
def form_timestamp(request: Request) -> str:
    """A signed "form shown at" time; the post must come at least a few seconds later."""
    return _serializer(request, "form-time").dumps(int(time.time()))


def seconds_since_shown(request: Request, token: str) -> float | None:
    try:
        shown = _serializer(request, "form-time").loads(token, max_age=24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    return time.time() - float(shown)

"""``/login`` and ``/logout`` for editors and admins (CSRF-protected, throttled)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.accounts import LoginThrottled, authenticate
from tradewind.db import Database
from tradewind.i18n import gettext as _
from tradewind.web.deps import get_db
from tradewind.web.security import (
    client_ip,
    current_user,
    end_session,
    render_form,
    start_session,
    verify_csrf,
)
from tradewind.web.templating import url_for_lang

router = APIRouter()


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/admin"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/admin") -> HTMLResponse:
    return render_form(request, "accounts/login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    email = str(form.get("email") or "")[:254]
    password = str(form.get("password") or "")[:1000]
    target = _safe_next(str(form.get("next") or "/admin"))
    settings = request.app.state.settings
    address = client_ip(request)

    def check() -> Any:
        # Password hashing is CPU-heavy: run it in the threadpool, not on the event loop.
        with db.transaction() as conn:
            return authenticate(conn, email, password, address,
                                max_failures=settings.login_max_failures,
                                lockout_seconds=settings.login_lockout_seconds)

    try:
        user = await run_in_threadpool(check)
    except LoginThrottled:
        return render_form(request, "accounts/login.html", {
            "next": target, "email": email,
            "error": _("Too many failed logins. Please wait a few minutes and try again.")},
            status_code=429)
    if user is None:
        return render_form(request, "accounts/login.html", {
            "next": target, "email": email, "error": _("Wrong e-mail or password.")},
            status_code=401)
    response = RedirectResponse(url_for_lang(request, target), status_code=303)
    start_session(request, response, user)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    response = RedirectResponse(url_for_lang(request, "/"), status_code=303)
    end_session(request, response)
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_form(request: Request) -> HTMLResponse:
    """A confirmation form: logging out is a POST so other sites cannot trigger it."""
    return render_form(request, "accounts/logout.html", {"user": current_user(request)})

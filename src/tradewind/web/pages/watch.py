"""``/watch`` (subscribe form, no JavaScript), ``/watch/confirm``, ``/watch/unsubscribe``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import current_language
from tradewind.policy.recorder import observe
from tradewind.watch import lists
from tradewind.watch.service import request_subscription
from tradewind.web.deps import get_db
from tradewind.web.security import render_form, verify_csrf
from tradewind.web.templating import field_errors

router = APIRouter()
EMPTY = {"email": "", "hs": "", "market": "", "frequency": "immediate"}


@router.get("/watch", response_class=HTMLResponse)
def watch_form(request: Request) -> HTMLResponse:
    return render_form(request, "watch/form.html", {"values": EMPTY})


@router.post("/watch", response_class=HTMLResponse)
@observe("watch")
async def watch_submit(request: Request, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    values = {k: str(form.get(k) or "")[:254] for k in EMPTY}
    language = current_language.get()
    try:
        request_subscription(db, request.app.state.settings, values["email"],
                             [h for h in values["hs"].replace(",", " ").split() if h],
                             [m for m in values["market"].replace(",", " ").split() if m],
                             frequency=values["frequency"] or "immediate",
                             language=language if language in ("en", "fr", "es") else "en")
    except InvalidInput as exc:
        errors = field_errors(exc)
        return render_form(request, "watch/form.html",
                           {"values": values, "error": None if errors else str(exc),
                            "errors": errors}, status_code=422)
    return render_form(request, "watch/done.html", {"state": "pending",
                                                     "email": values["email"]},
                       status_code=202)


@router.get("/watch/confirm", response_class=HTMLResponse)
def watch_confirm(request: Request, token: str = "", db: Database = Depends(get_db)) -> Response:
    try:
        with db.transaction() as conn:
            email = lists.confirm(conn, token)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    return render_form(request, "watch/done.html", {"state": "confirmed", "email": email})


@router.get("/watch/unsubscribe", response_class=HTMLResponse)
def watch_unsubscribe_form(request: Request, token: str = "") -> HTMLResponse:
    return render_form(request, "watch/unsubscribe.html", {"token": token})


@router.post("/watch/unsubscribe", response_class=HTMLResponse)
async def watch_unsubscribe(request: Request, token: str = "",
                            db: Database = Depends(get_db)) -> Response:
    # No CSRF check: mail providers POST here for RFC 8058 one-click unsubscribe, and the
    # secret token itself authorises the request.
    form = await request.form()
    secret = token or str(form.get("token") or "")
    try:
        with db.transaction() as conn:
            email = lists.unsubscribe(conn, secret)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    return render_form(request, "watch/done.html", {"state": "unsubscribed", "email": email})

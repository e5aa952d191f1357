"""``/watch`` (subscribe form, no JavaScript), ``/watch/confirm``, ``/watch/unsubscribe``,
``/watch/manage`` (lists, channel status, feeds, webhook), the per-list feeds, and the admin
queue page ``/admin/watch/queue``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import current_language
from tradewind.policy.recorder import observe
from tradewind.watch import feeds, lists, worker
from tradewind.watch.service import TooManySignups, request_subscription
from tradewind.web.deps import get_db
from tradewind.web.security import (
    client_ip,
    current_user,
    login_redirect,
    render_form,
    verify_csrf,
)
from tradewind.web.templating import field_errors, url_for_lang

router = APIRouter()
EMPTY = {"email": "", "hs": "", "market": "", "frequency": "immediate", "webhook_url": ""}


@router.get("/watch", response_class=HTMLResponse)
def watch_form(request: Request) -> HTMLResponse:
    return render_form(request, "watch/form.html", {"values": EMPTY})


@router.post("/watch", response_class=HTMLResponse)
@observe("watch")
async def watch_submit(request: Request, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    values = {k: str(form.get(k) or "")[:2000 if k == "webhook_url" else 254] for k in EMPTY}
    language = current_language.get()
    try:
        # Writes and sends the confirmation e-mail: off the event loop.
        await run_in_threadpool(
            request_subscription, db, request.app.state.settings, values["email"],
            [h for h in values["hs"].replace(",", " ").split() if h],
            [m for m in values["market"].replace(",", " ").split() if m],
            frequency=values["frequency"] or "immediate",
            language=language if language in ("en", "fr", "es") else "en",
            webhook_url=values["webhook_url"] or None,
            client=client_ip(request))
    except InvalidInput as exc:
        errors = field_errors(exc)
        return render_form(request, "watch/form.html",
                           {"values": values, "error": None if errors else str(exc),
                            "errors": errors}, status_code=422)
    except TooManySignups as exc:
        response = render_form(request, "watch/form.html",
                               {"values": values, "error": str(exc)}, status_code=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
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


def _manage_page(request: Request, db: Database, token: str, *, error: str = "",
                 secret: tuple[int, str] | None = None, status_code: int = 200) -> Response:
    try:
        with db.connect() as conn:
            email, found = lists.lists_for_token(conn, token)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    base = str(request.app.state.settings.public_url).rstrip("/")
    return render_form(request, "watch/manage.html", {
        "email": email, "lists": found, "token": token, "base": base, "error": error,
        "secret": secret}, status_code=status_code)


@router.get("/watch/manage", response_class=HTMLResponse)
def watch_manage(request: Request, token: str = "", db: Database = Depends(get_db)) -> Response:
    return _manage_page(request, db, token)


@router.post("/watch/manage/{list_id}", response_class=HTMLResponse)
async def watch_manage_change(request: Request, list_id: int,
                              db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    token = str(form.get("token") or "")
    action = str(form.get("action") or "")
    settings = request.app.state.settings
    secret = None
    try:
        with db.transaction() as conn:
            if action == "webhook":
                secret = (list_id, lists.set_webhook(
                    conn, list_id, str(form.get("webhook_url") or "")[:2000], token=token,
                    allow_private=bool(settings.watch_webhook_allow_private)))
            elif action == "clear-webhook":
                lists.clear_webhook(conn, list_id, token=token)
            elif action == "remove":
                lists.remove_watch(conn, list_id, token)
            else:
                raise InvalidInput(f"unknown action {action!r}")
    except InvalidInput as exc:
        return _manage_page(request, db, token, error=str(exc), status_code=422)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    if secret is not None:  # shown once, on this page
        return _manage_page(request, db, token, secret=secret)
    return RedirectResponse(url_for_lang(request, f"/watch/manage?token={quote(token)}"),
                            status_code=303)


@router.get("/watch/feeds/{token}.atom")
def watch_atom(request: Request, token: str, db: Database = Depends(get_db)) -> Response:
    with db.connect() as conn:
        body = feeds.atom(conn, request.app.state.settings, token)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/watch/feeds/{token}.ics")
def watch_ics(request: Request, token: str, db: Database = Depends(get_db)) -> Response:
    with db.connect() as conn:
        body = feeds.icalendar(conn, request.app.state.settings, token)
    return Response(body, media_type="text/calendar; charset=utf-8")


def _admin(request: Request) -> bool:
    user = current_user(request)
    if user is None:
        return False
    if not user.is_admin:
        raise HTTPException(403, "Only administrators can see the alert queue.")
    return True


@router.get("/admin/watch/queue", response_class=HTMLResponse)
def watch_queue(request: Request, db: Database = Depends(get_db)) -> Response:
    if not _admin(request):
        return login_redirect(request)
    with db.connect() as conn:
        summary = worker.queue_summary(conn)
    return render_form(request, "watch/admin.html", {"summary": summary,
                                                      "retried": request.query_params.get(
                                                          "retried", "")})


@router.post("/admin/watch/retry/{outbox_id}")
async def watch_retry(request: Request, outbox_id: int, db: Database = Depends(get_db)
                      ) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    if not _admin(request):
        return login_redirect(request)
    with db.transaction() as conn:
        if not worker.retry(conn, outbox_id):
            raise HTTPException(404, "no such unsent delivery")
    return RedirectResponse(url_for_lang(request, f"/admin/watch/queue?retried={outbox_id}"),
                            status_code=303)

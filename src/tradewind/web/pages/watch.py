"""``/watch`` (subscribe form, no JavaScript), ``/watch/confirm``, ``/watch/unsubscribe``,
``/watch/manage`` (lists, channel status, feeds, webhook), the per-list feeds, and the admin
queue page ``/admin/watch/queue``."""

from __future__ import annotations

import smtplib
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import current_language, gettext
from tradewind.i18n import lazy_noop as N_
from tradewind.policy.recorder import observe
from tradewind.watch import admin, drift, feeds, finder_query, lists, worker
from tradewind.watch.lists import WatchItem
from tradewind.watch.service import (
    TooManySignups,
    build_items,
    request_email_reenable,
    request_subscription,
)
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
EMPTY = {"email": "", "hs": "", "market": "", "query": "", "member": "", "area": "",
         "frequency": "immediate", "webhook_url": ""}
SECTION_NAMES = tuple(lists.SECTIONS)


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(form.get(k) or "")[:2000 if k == "webhook_url" else 254]
                              for k in EMPTY}
    values["sections"] = [str(v) for v in form.getlist("section")][:10]
    values["events"] = bool(form.get("events"))
    values["step"] = str(form.get("step") or "")
    values["hs_choice"] = [str(v)[:12] for v in form.getlist("hs_choice")][:10]
    return values


def _split(text: str) -> list[str]:
    return [x for x in text.replace(",", " ").split() if x]


def _topics(values: dict[str, Any]) -> list[WatchItem]:
    out = []
    if values["member"].strip():
        out.append(lists.topic_item("notifications", member=values["member"],
                                    area=values["area"] or None))
    elif values["area"]:
        raise InvalidInput(N_("say which member's notifications to watch"), field="member")
    out += [lists.topic_item("section", section=name) for name in values["sections"]]
    if values["events"]:
        out.append(lists.topic_item("events"))
    return out


def _choices(db: Database, values: dict[str, Any]) -> list[finder_query.CodeChoice] | None:
    """The finder's codes to confirm when words were typed and not yet confirmed."""
    if not values["query"].strip() or values["step"] == "confirm":
        return None
    return finder_query.resolve(db, values["query"])


def _items(values: dict[str, Any]) -> list[WatchItem]:
    query = values["query"].strip() or None
    hs = values["hs_choice"] if query else _split(values["hs"])
    return build_items(hs, _split(values["market"]), topics=_topics(values), query=query)


def _form_page(request: Request, values: dict[str, Any], *, exc: Exception | None = None,
               choices: list[finder_query.CodeChoice] | None = None,
               status_code: int = 200) -> Response:
    errors = field_errors(exc) if exc is not None else {}
    error = str(exc) if exc is not None and not errors else None
    return render_form(request, "watch/form.html", {
        "values": values, "errors": errors, "error": error, "choices": choices,
        "sections": SECTION_NAMES}, status_code=status_code)


@router.get("/watch", response_class=HTMLResponse)
def watch_form(request: Request) -> Response:
    return _form_page(request, {**EMPTY, "sections": [], "events": False, "hs_choice": []})


@router.post("/watch", response_class=HTMLResponse)
@observe("watch")
async def watch_submit(request: Request, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    values = _form_values(form)
    language = current_language.get()
    try:
        _topics(values)  # a wrong member or section is said before the confirmation step
        choices = await run_in_threadpool(_choices, db, values)
        if choices is not None:  # step 1 of a finder query: show the codes to confirm
            values["hs_choice"] = [choices[0].code]
            return _form_page(request, values, choices=choices)
        # Writes and sends the confirmation e-mail: off the event loop.
        await run_in_threadpool(
            request_subscription, db, request.app.state.settings, values["email"],
            values["hs_choice"] if values["query"].strip() else _split(values["hs"]),
            _split(values["market"]),
            frequency=values["frequency"] or "immediate",
            language=language if language in ("en", "fr", "es") else "en",
            webhook_url=values["webhook_url"] or None,
            client=client_ip(request), topics=_topics(values),
            query=values["query"].strip() or None)
    except InvalidInput as exc:
        return _form_page(request, values, exc=exc, status_code=422)
    except TooManySignups as exc:
        response = _form_page(request, values, exc=exc, status_code=429)
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
                 secret: tuple[int, str] | None = None, status_code: int = 200,
                 add: dict[str, Any] | None = None,
                 choices: list[finder_query.CodeChoice] | None = None,
                 errors: dict[str, str] | None = None, notice: str = "") -> Response:
    try:
        with db.connect() as conn:
            email, found = lists.lists_for_token(conn, token)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    base = str(request.app.state.settings.public_url).rstrip("/")
    return render_form(request, "watch/manage.html", {
        "email": email, "lists": found, "token": token, "base": base, "error": error,
        "secret": secret, "values": add or {**EMPTY, "sections": [], "events": False,
                                            "hs_choice": []},
        "choices": choices, "errors": errors or {}, "sections": SECTION_NAMES,
        "email_off": next((w.email_disabled_reason for w in found
                           if w.email_disabled_reason), None),
        "notice": notice}, status_code=status_code)


@router.post("/watch/manage", response_class=HTMLResponse)
async def watch_manage_add(request: Request, db: Database = Depends(get_db)) -> Response:
    """Add a list (products, finder words, topics) or ask to re-enable the e-mail."""
    form = await request.form()
    verify_csrf(request, form)
    token = str(form.get("token") or "")
    if str(form.get("action") or "") == "reenable-email":
        try:
            address = await run_in_threadpool(request_email_reenable, db,
                                              request.app.state.settings, token)
        except NotFound as exc:
            return render_form(request, "watch/done.html",
                               {"state": "error", "error": str(exc)}, status_code=404)
        except (smtplib.SMTPException, OSError):
            return _manage_page(request, db, token, status_code=503, error=gettext(
                "The confirmation link could not be sent; please try again later."))
        return render_form(request, "watch/done.html", {"state": "pending", "email": address},
                           status_code=202)
    values = _form_values(form)
    try:
        _topics(values)
        choices = await run_in_threadpool(_choices, db, values)
        if choices is not None:
            values["hs_choice"] = [choices[0].code]
            return _manage_page(request, db, token, add=values, choices=choices)
        with db.transaction() as conn:
            lists.add_list(conn, token, _items(values),
                           frequency=values["frequency"] or "immediate")
    except InvalidInput as exc:
        errors = field_errors(exc)
        return _manage_page(request, db, token, add=values, errors=errors,
                            error="" if errors else str(exc), status_code=422)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    return RedirectResponse(url_for_lang(request, f"/watch/manage?token={quote(token)}"),
                            status_code=303)


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
            elif action == "enable-webhook":
                lists.enable_webhook(conn, list_id, token=token,
                                     allow_private=bool(settings.watch_webhook_allow_private))
            elif action == "clear-webhook":
                lists.clear_webhook(conn, list_id, token=token)
            elif action == "remove":
                lists.remove_watch(conn, list_id, token)
            elif action in ("accept-codes", "keep-codes"):
                drift.resolve_notice(conn, _int(form.get("notice")), action.split("-")[0],
                                     token=token, list_id=list_id)
            else:
                raise InvalidInput(N_("unknown action %(action)r"), action=action)
    except InvalidInput as exc:
        return _manage_page(request, db, token, error=str(exc), status_code=422)
    except NotFound as exc:
        return render_form(request, "watch/done.html", {"state": "error", "error": str(exc)},
                           status_code=404)
    if secret is not None:  # shown once, on this page
        return _manage_page(request, db, token, secret=secret)
    return RedirectResponse(url_for_lang(request, f"/watch/manage?token={quote(token)}"),
                            status_code=303)


def _int(value: object) -> int:
    """A notice id from the form (0, which no notice has, when it is not a number)."""
    text = str(value or "")
    return int(text) if text.isdigit() else 0


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


@router.get("/admin/watch/notices", response_class=HTMLResponse)
def watch_admin_notices(request: Request, kind: str = "", status: str = "", email: str = "",
                        db: Database = Depends(get_db)) -> Response:
    """Channel-disabled and finder code-change notices, filtered (a GET form)."""
    if not _admin(request):
        return login_redirect(request)
    error, error_field = "", ""
    found: dict[str, list[dict[str, Any]]] = {"channel": [], "codes": []}
    try:
        where = admin.NoticeFilter.parse(kind, status, email)
        with db.connect() as conn:
            found = admin.notices(conn, where)
    except InvalidInput as exc:
        error, error_field = str(exc), next(iter(field_errors(exc)), "kind")
    statuses = sorted({s for v in admin.STATUSES.values() for s in v})
    return render_form(request, "watch/notices.html", {
        "found": found, "error": error, "error_field": error_field, "kinds": admin.KINDS, "statuses": statuses,
        "values": {"kind": kind, "status": status, "email": email}},
        status_code=422 if error else 200)


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

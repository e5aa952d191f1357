"""The Working Group: members by region, the December 2020 package, the implementation
tracker, dialogue events (+ iCalendar feed) and the business feedback form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tradewind import i18n
from tradewind.db import Database
from tradewind.errors import NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import clean
from tradewind.knowledge.markdown import render_markdown
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_conn, get_db
from tradewind.web.security import (
    client_ip,
    form_timestamp,
    render_form,
    seconds_since_shown,
    verify_csrf,
)
from tradewind.web.templating import render
from tradewind.workinggroup import queries as wg
from tradewind.workinggroup.ical import calendar

router = APIRouter()
MIN_FILL_SECONDS = 3.0
HONEYPOT = "website"


@router.get("/working-group", response_class=HTMLResponse)
def overview(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    members = wg.list_members(conn)
    now = datetime.now(UTC)
    by_region = {region: sorted(items, key=lambda m: wg.economy_name(m.economy, lang))
                 for region, items in wg.members_by_region(conn).items()}
    return render(request, "workinggroup/index.html", {
        "count": len(members), "by_region": by_region,
        "recommendations": wg.list_recommendations(conn, lang),
        "upcoming": list(reversed(wg.list_events(conn, upcoming_from=now, lang=lang)))[:3],
        "economy_name": lambda c: wg.economy_name(c, lang),
    })


@router.get("/working-group/package", response_class=HTMLResponse)
def package(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    recs = wg.list_recommendations(conn, i18n.current_language.get())
    return render(request, "workinggroup/package.html", {
        "declarations": [r for r in recs if r.kind == "declaration"],
        "recommendations": [r for r in recs if r.kind == "recommendation"],
    })


@router.get("/working-group/tracker", response_class=HTMLResponse)
def tracker(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    matrix = wg.tracker_matrix(conn)
    members = [m.economy for m in wg.list_members(conn)]
    economies = sorted(set(members) | set(matrix), key=lambda c: wg.economy_name(c, lang))
    return render(request, "workinggroup/tracker.html", {
        "matrix": matrix, "economies": economies,
        "recommendations": wg.list_recommendations(conn, lang),
        "economy_name": lambda c: wg.economy_name(c, lang),
    })


@router.get("/working-group/members/{economy}", response_class=HTMLResponse)
def member_page(request: Request, economy: str,
                conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    code = economy.upper()[:5]
    member = next((m for m in wg.list_members(conn) if m.economy == code), None)
    entries = {e.recommendation: e for e in wg.tracker_entries(conn, code)}
    if member is None and not entries:
        raise NotFound(N_("%(economy)r is not a member of the Working Group"), economy=economy)
    return render(request, "workinggroup/member.html", {
        "code": code, "name": wg.economy_name(code, lang), "member": member,
        "entries": entries, "recommendations": wg.list_recommendations(conn, lang),
    })


@router.get("/working-group/events", response_class=HTMLResponse)
def events(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    now = datetime.now(UTC)
    prefix = getattr(request.state, "lang_prefix", "")
    lang = i18n.current_language.get()
    items = [(e, Markup(render_markdown(e.agenda, prefix=prefix)))
             for e in wg.list_events(conn, lang=lang)]
    return render(request, "workinggroup/events.html", {
        "upcoming": list(reversed([p for p in items if p[0].start >= now])),
        "past": [p for p in items if p[0].start < now],
    })


@router.get("/working-group/events.ics")
def events_ics(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    host = request.url.hostname or "tradewind.local"
    base = f"{request.url.scheme}://{request.url.netloc}"
    return Response(calendar(wg.list_events(conn), host, base),
                    media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="working-group.ics"'})


@router.get("/working-group/feedback", response_class=HTMLResponse)
def published_feedback(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "workinggroup/feedback_list.html",
                  {"items": wg.list_feedback(conn, "published")})


def _feedback_form(request: Request, values: dict[str, str], errors: dict[str, str],
                   status_code: int = 200, message: str = "") -> HTMLResponse:
    return render_form(request, "workinggroup/feedback.html", {
        "values": values, "errors": errors, "spec": wg.FEEDBACK_SPEC,
        "timestamp": form_timestamp(request), "message": message,
    }, status_code=status_code)


@router.get("/feedback", response_class=HTMLResponse)
def feedback_form(request: Request) -> HTMLResponse:
    return _feedback_form(request, {}, {})


@router.post("/feedback", response_class=HTMLResponse)
@observe("feedback")
async def feedback_post(request: Request, db: Database = Depends(get_db)) -> HTMLResponse:
    form = await request.form()
    verify_csrf(request, form)
    raw = {f.name: str(form.get(f.name) or "") for f in wg.FEEDBACK_SPEC.fields}
    if str(form.get(HONEYPOT) or "").strip():
        # A bot filled the hidden field: say thanks, store nothing.
        return render(request, "workinggroup/feedback_thanks.html")
    elapsed = seconds_since_shown(request, str(form.get("shown") or ""))
    if elapsed is None or elapsed < MIN_FILL_SECONDS:
        return _feedback_form(request, raw, {}, 400, i18n.gettext(
            "That was very fast. Please check your text and send the form again."))
    settings = request.app.state.settings
    ip_hash = wg.hash_ip(client_ip(request), settings.resolved_secret_key())
    with db.connect() as conn:
        recent = wg.recent_feedback_count(conn, ip_hash, timedelta(hours=1))
    if recent >= settings.feedback_per_hour:
        return _feedback_form(request, raw, {}, 429, i18n.gettext(
            "We have received several messages from your connection in the last hour. "
            "Please try again later."))
    values, errors = clean(wg.FEEDBACK_SPEC, raw)
    if errors:
        return _feedback_form(request, raw, errors, 422)
    with db.transaction() as conn:
        wg.add_feedback(conn, values, ip_hash)
    return render(request, "workinggroup/feedback_thanks.html")

"""Pages: SPS/TBT notifications search (works without JavaScript) and the deadlines feed."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tradewind.datasets.queries import datasets_of_kind
from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.notifications.ical import deadlines_calendar
from tradewind.notifications.queries import comment_deadlines, search_notifications
from tradewind.notifications.requests import SearchForm
from tradewind.web.deps import get_conn
from tradewind.web.templating import field_errors, render

router = APIRouter()
FIELDS = ("member", "area", "hs", "ics", "text", "date_from", "date_to", "open_on")


def _param(request: Request, name: str, limit: int = 200) -> str:
    return (request.query_params.get(name) or "").strip()[:limit]


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    values = {name: _param(request, name) for name in FIELDS}
    open_today = bool(request.query_params.get("open"))
    if open_today and not values["open_on"]:
        values["open_on"] = date.today().isoformat()
    error = ""
    errors: dict[str, str] = {}
    result = None
    try:
        form = SearchForm.parse(**values, page=_param(request, "page", 6) or None,
                                per_page=_param(request, "per_page", 3) or None)
        result = search_notifications(conn, **form.kwargs())  # type: ignore[arg-type]
    except InvalidInput as exc:
        error = str(exc)
        errors = {k: v for k, v in field_errors(exc).items() if k in FIELDS}
    query = {k: v for k, v in values.items() if v}
    if _param(request, "per_page", 3):
        query["per_page"] = _param(request, "per_page", 3)

    def page_link(number: int) -> str:
        return "?" + urlencode({**query, "page": number})

    feed = "/notifications/deadlines.ics"
    feed_query = {k: values[k] for k in ("hs", "member") if values[k]}
    context: dict[str, Any] = {
        "values": values, "open_today": open_today, "result": result, "error": error, "errors": errors,
        "page_link": page_link,
        "sources": datasets_of_kind(conn, "notifications"), "today": date.today(),
        "feed": feed + ("?" + urlencode(feed_query) if feed_query else ""),
    }
    return render(request, "notifications/index.html", context,
                  status_code=422 if error else 200)


def _deadline_members(conn: Connection, text: str) -> str | None:
    """Members of the feed filter: ISO3 codes, names or groups, comma-separated; a country
    also gets the notifications of the groups it belongs to (France → EUN)."""
    from tradewind.access.answer import resolve_economy
    from tradewind.agreements.queries import groups_of

    codes: list[str] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        try:
            code = resolve_economy(conn, part)
        except InvalidInput:
            raise InvalidInput(N_("member: unknown economy %(part)r (use ISO3 codes such as KEN, or "
                                  "EUN)"), part=part) from None
        for c in (code, *groups_of(conn, code)):
            if c not in codes:
                codes.append(c)
    return ",".join(codes) or None


@router.get("/notifications/deadlines.ics")
def deadlines_ics(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    hs = _param(request, "hs", 100) or _param(request, "product", 100) or None
    member = _deadline_members(conn, _param(request, "member", 200))
    since = date.today() if request.query_params.get("upcoming") else None
    items = comment_deadlines(conn, hs=hs, member=member, since=since)
    host = request.url.hostname or "tradewind.local"
    base = f"{request.url.scheme}://{request.url.netloc}"
    return Response(deadlines_calendar(items, host, base),
                    media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition":
                             'inline; filename="notification-deadlines.ics"'})

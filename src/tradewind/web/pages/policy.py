"""Pages: ``/policy`` (editors, admins, analysts), ``/policy/public`` (when published),
downloads, and the follow-up of the Working Group's recommendations with editor forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind import i18n
from tradewind.accounts import User
from tradewind.charts.downloads import csv_bytes, xlsx_bytes
from tradewind.charts.svg import choropleth, legend, share_bars, short_number
from tradewind.countries.reference import all_countries, country_name
from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import as_form, clean
from tradewind.policy import followup, queries, report
from tradewind.policy.queries import KIND_LABELS, SECTIONS, TOPIC_LABELS, USER_TYPE_LABELS
from tradewind.web.deps import get_conn, get_db
from tradewind.web.security import current_user, login_redirect, render_form, verify_csrf
from tradewind.web.templating import field_errors, render, url_for_lang

router = APIRouter()
ANALYST_ROLES = ("editor", "admin", "analyst")
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_ = i18n.gettext


def _reader(request: Request) -> User | Response:
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    if user.role not in ANALYST_ROLES:
        raise HTTPException(403, N_("The policy dashboard is for editors and analysts."))
    return user


def _filters(request: Request) -> queries.Filters:
    p = request.query_params
    return queries.parse_filters(p.get("from", "")[:10], p.get("to", "")[:10],
                                 p.get("origin", "")[:3], p.get("sector", "")[:5])


def _charts(board: queries.Dashboard) -> dict[str, str]:
    lang = i18n.current_language.get()
    markets = {r["destination"]: float(r["n"]) for r in board.markets.rows}
    top = max(markets.values(), default=0.0) or 1.0
    scores: dict[str, float | None] = {k: 100.0 * v / top for k, v in markets.items()}
    return {
        "time": share_bars(
            "policy-time", [(r["period"], float(r["n"])) for r in board.over_time.rows],
            _("Questions over time"),
            _("Horizontal bars: questions about products and markets per period; the same "
              "figures are in the table below."), fmt=short_number),
        "products": share_bars(
            "policy-products", [(r["hs4"], float(r["n"])) for r in board.products.rows[:10]],
            _("Most asked-about products (HS headings)"),
            _("Horizontal bars: questions per HS heading, the ten most frequent; the table "
              "lists them all."), fmt=short_number),
        "map": choropleth(
            "policy-map", scores, _("Questions by destination market"),
            _("World map: each market is shaded by the number of questions about it, "
              "relative to the most asked-about market (100). The table lists the counts."),
            name=lambda iso3: country_name(iso3, lang)),
    }


def _origins(conn: Connection, chosen: str) -> list[tuple[str, str]]:
    """Countries for the origin filter (the chosen one always among them)."""
    lang = i18n.current_language.get()
    codes = {c["iso3"] for c in all_countries(conn)} | ({chosen} if chosen else set())
    return sorted(((code, country_name(code, lang) or code) for code in codes),
                  key=lambda pair: pair[1])


def _context(conn: Connection, request: Request, public: bool) -> dict[str, Any]:
    settings = request.app.state.settings
    error = ""
    errors: dict[str, str] = {}
    typed: dict[str, str] | None = None
    try:
        filters = _filters(request)
    except InvalidInput as exc:
        error = str(exc)
        errors = field_errors(exc)
        filters = queries.parse_filters()
        # The form shows what the reader typed, with the message next to the wrong field.
        p = request.query_params
        typed = {"from": p.get("from", "")[:10], "to": p.get("to", "")[:10],
                 "origin": p.get("origin", "")[:3].upper(), "sector": p.get("sector", "")[:5]}
    board = queries.dashboard(conn, filters, int(settings.policy_min_count), public=public)
    return {"board": board, "charts": _charts(board), "legend": legend(), "error": error,
            "sections": SECTIONS, "kind_labels": KIND_LABELS, "topic_labels": TOPIC_LABELS,
            "user_type_labels": USER_TYPE_LABELS, "public": public,
            "origins": _origins(conn, filters.origin),
            "query": typed if typed is not None else filters.query(), "errors": errors,
            "shown_query": filters.query(),
            "recording": bool(settings.policy_signals),
            "retention": int(settings.policy_retention_days),
            "docs_base": str(settings.policy_docs_base_url)}


@router.get("/policy", response_class=HTMLResponse)
def dashboard_page(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    user = _reader(request)
    if isinstance(user, Response):
        return user
    ctx = _context(conn, request, public=False)
    return render(request, "policy/dashboard.html", ctx,
                  status_code=422 if ctx["error"] else 200)


@router.get("/policy/public", response_class=HTMLResponse)
def public_page(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    if not request.app.state.settings.policy_public_summary:
        raise NotFound(N_("The policy summary is not published on this site."))
    ctx = _context(conn, request, public=True)
    return render(request, "policy/dashboard.html", ctx,
                  status_code=422 if ctx["error"] else 200)


@router.get("/policy/download.{kind}")
def download(request: Request, kind: str, conn: Connection = Depends(get_conn)) -> Response:
    user = _reader(request)
    if isinstance(user, Response):
        return user
    if kind not in DOWNLOAD_TYPES:
        raise InvalidInput(N_("download format must be csv or xlsx"))
    board = queries.dashboard(conn, _filters(request),
                              int(request.app.state.settings.policy_min_count))
    sheets, notes = report.sheets(board)
    body = csv_bytes(sheets, notes) if kind == "csv" else xlsx_bytes(sheets, notes)
    return Response(body, media_type=DOWNLOAD_TYPES[kind], headers={
        "Content-Disposition": f'attachment; filename="policy-demand.{kind}"'})


# ------------------------------------------------------------------ follow-up
@router.get("/policy/follow-up", response_class=HTMLResponse)
def follow_up(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    user = _reader(request)
    if isinstance(user, Response):
        return user
    indicators, economies = followup.comparison(conn, i18n.current_language.get())
    return render_form(request, "policy/follow_up.html", {
        "indicators": indicators, "economies": economies, "user": user,
        "saved": request.query_params.get("saved", "")})


SPECS = {"indicator": followup.INDICATOR_SPEC, "value": followup.VALUE_SPEC}


def _editor(request: Request) -> User | Response:
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    if not user.can_edit:
        raise HTTPException(403, N_("Only editors change follow-up indicators."))
    return user


def _spec(what: str) -> Any:
    if what not in SPECS:
        raise HTTPException(404, N_("unknown kind of record"))
    return SPECS[what]


@router.get("/policy/follow-up/{what}/edit", response_class=HTMLResponse)
def edit_form(request: Request, what: str, conn: Connection = Depends(get_conn)) -> Response:
    user = _editor(request)
    if isinstance(user, Response):
        return user
    spec = _spec(what)
    p = request.query_params
    stored: dict[str, Any] | None = None
    if what == "indicator" and p.get("key"):
        stored = followup.indicator_values(conn, p.get("key", "")[:100])
    elif what == "value" and p.get("indicator") and p.get("economy"):
        stored = followup.value_values(conn, p.get("indicator", "")[:100],
                                       p.get("economy", "")[:3].upper())
    values = as_form(spec, stored) if stored else {
        f.name: p.get(f.name, "")[:f.max_len] for f in spec.fields}
    return render_form(request, "policy/form.html", {"what": what, "spec": spec,
                                                     "values": values, "errors": {}})


@router.post("/policy/follow-up/{what}/save", response_class=HTMLResponse)
async def save(request: Request, what: str, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    user = _editor(request)
    if isinstance(user, Response):
        return user
    spec = _spec(what)
    raw = {f.name: str(form.get(f.name) or "") for f in spec.fields}
    values, errors = clean(spec, raw)
    if not errors:
        with db.transaction() as conn:
            saver = followup.save_indicator if what == "indicator" else followup.save_value
            errors = saver(conn, values, user.email)
    if errors:
        return render_form(request, "policy/form.html", {
            "what": what, "spec": spec, "values": raw, "errors": errors}, status_code=422)
    return RedirectResponse(url_for_lang(request, "/policy/follow-up?saved=" + what),
                            status_code=303)

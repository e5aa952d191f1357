"""API: the policy dashboard's aggregates (same k-anonymity suppression as the pages).

``/policy/dashboard`` and ``/policy/gaps`` need a logged-in editor, admin or analyst (session
cookie); ``/policy/summary`` is public when ``policy_public_summary`` is on; the follow-up
comparison is public like the Working Group tracker.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import Connection
from starlette.requests import Request

from tradewind.i18n import lazy_noop as N_
from tradewind.policy import followup, queries, report
from tradewind.web.api.params import ISO3_PATTERN, day, language
from tradewind.web.deps import get_conn
from tradewind.web.security import current_user

router = APIRouter(prefix="/policy", tags=["policy"])
ANALYST_ROLES = ("editor", "admin", "analyst")
PROBLEM = {"description": "Problem JSON (RFC 9457)"}
E422 = {"description": "A parameter breaks the schema; or `conflicting_input`: the period "
                       "starts after it ends or is longer than three years (problem JSON)"}
SECTIONS = ("I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII|XIX|XX|XXI")


class Part(BaseModel):
    rows: list[dict[str, Any]]
    suppressed_rows: int


class GapOut(BaseModel):
    dataset: str
    economy: str
    questions: int
    kinds: list[str]
    docs: str


class DashboardOut(BaseModel):
    filters: dict[str, str]
    threshold: int
    totals: Part
    over_time: Part
    products: Part
    markets: Part
    pairs: Part
    unanswered: Part
    barriers: Part
    languages: Part
    user_types: Part
    gaps: list[GapOut]
    notes: list[str]


def _filters(start: str | None, end: str | None, origin: str | None,
             sector: str | None) -> queries.Filters:
    return queries.parse_filters(start or "", end or "", origin or "", sector or "")


FROM = day(alias="from", description="First day, YYYY-MM-DD (default: 12 months ago)")
TO = day(alias="to", description="Last day, YYYY-MM-DD (default: today)")
ORIGIN = Query(None, pattern=ISO3_PATTERN, description="Origin economy, ISO3")
SECTOR = Query(None, pattern=f"^({SECTIONS}|0[1-9]|[1-8][0-9]|9[0-7])$",
               description="HS section (I–XXI) or 2-digit chapter (01–97)")


def _analyst(request: Request) -> None:
    user = current_user(request)
    if user is None:
        raise HTTPException(401, N_("Log in as an editor or analyst to read the policy dashboard."))
    if user.role not in ANALYST_ROLES:
        raise HTTPException(403, N_("The policy dashboard is for editors and analysts."))


@router.get("/dashboard", response_model=DashboardOut,
            summary="Demand signals by product, market, period; counts below the threshold "
                    "suppressed",
            responses={401: PROBLEM, 403: PROBLEM, 422: E422})
def dashboard(request: Request, start: str | None = FROM, end: str | None = TO,
              origin: str | None = ORIGIN, sector: str | None = SECTOR, conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    _analyst(request)
    k = int(request.app.state.settings.policy_min_count)
    return report.as_json(queries.dashboard(conn, _filters(start, end, origin, sector), k))


@router.get("/summary", response_model=DashboardOut,
            summary="Public summary (when published): no search texts",
            responses={404: PROBLEM, 422: E422})
def summary(request: Request, start: str | None = FROM, end: str | None = TO,
            origin: str | None = ORIGIN, sector: str | None = SECTOR, conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    settings = request.app.state.settings
    if not settings.policy_public_summary:
        raise HTTPException(404, N_("The policy summary is not published on this site."))
    board = queries.dashboard(conn, _filters(start, end, origin, sector),
                              int(settings.policy_min_count), public=True)
    return report.as_json(board)


@router.get("/gaps", response_model=list[GapOut],
            summary="Imports that would answer the most questions",
            responses={401: PROBLEM, 403: PROBLEM, 422: E422})
def gaps(request: Request, start: str | None = FROM, end: str | None = TO,
         origin: str | None = ORIGIN, sector: str | None = SECTOR, conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    _analyst(request)
    from tradewind.policy.gaps import data_gaps

    k = int(request.app.state.settings.policy_min_count)
    found = data_gaps(conn, _filters(start, end, origin, sector), k)
    return [{"dataset": g.dataset, "economy": g.economy, "questions": g.questions,
             "kinds": list(g.kinds), "docs": g.docs} for g in found]


@router.get("/follow-up", summary="Working Group follow-up indicators by economy")
def follow_up(lang: str = language(),
              conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    indicators, economies = followup.comparison(conn, lang)
    return {"economies": economies, "indicators": [{
        "slug": i.slug, "recommendation": i.recommendation, "title": i.title,
        "dashboard_view": i.dashboard_view,
        "values": {e: {"status": v.status, "date": v.date.isoformat() if v.date else None,
                       "evidence_url": v.evidence_url, "notes": v.notes}
                   for e, v in i.values.items()}} for i in indicators]}

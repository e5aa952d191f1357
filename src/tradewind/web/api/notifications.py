"""API: WTO SPS/TBT notifications search (paged); every response carries ``sample``."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.datasets.queries import datasets_of_kind
from tradewind.notifications.queries import MAX_PER_PAGE, search_notifications
from tradewind.notifications.requests import SearchForm
from tradewind.web.api.contract import problems
from tradewind.web.api.params import day, iso3
from tradewind.web.deps import get_conn

router = APIRouter(tags=["notifications"])



@router.get("/notifications", responses=problems({422: (
    "A parameter breaks the schema; or `conflicting_input`: date_from after date_to "
    "(problem JSON)")}))
def notifications(
    member: str | None = iso3(None, description="ISO3 or EUN", example="EUN"),
    area: Literal["SPS", "TBT", "sps", "tbt"] | None = Query(None, description="SPS or TBT"),
    hs: str | None = Query(None, min_length=1, max_length=14,
                           pattern=r"^[0-9]([. ]?[0-9]){0,9}$",
                           description="HS code prefix (1–10 digits)", examples=["0901"]),
    ics: str | None = Query(None, min_length=1, max_length=20, pattern=r"^[0-9][0-9.]{0,19}$",
                            description="ICS code prefix"),
    text: str | None = Query(None, max_length=200, description="Words in title, products…"),
    date_from: str | None = day(description="Distributed on/after (YYYY-MM-DD)"),
    date_to: str | None = day(description="Distributed on/before (YYYY-MM-DD)"),
    open_on: str | None = day(description="Comment period open on this date (YYYY-MM-DD)"),
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(20, ge=1, le=MAX_PER_PAGE, description="1–100 (default 20)"),
    conn: Connection = Depends(get_conn),
) -> dict[str, Any]:
    """Search SPS/TBT notifications, newest distribution first."""
    form = SearchForm.parse(member=member, area=area, hs=hs, ics=ics, text=text,
                            date_from=date_from, date_to=date_to, open_on=open_on, page=page,
                            per_page=per_page)
    result = search_notifications(conn, **form.kwargs())  # type: ignore[arg-type]
    provenance = datasets_of_kind(conn, "notifications")
    return {
        "items": [n.as_dict() for n in result.items], "total": result.total,
        "page": result.page, "per_page": result.per_page, "pages": result.pages,
        "sample": result.is_sample or (not result.items and any(p.is_sample
                                                                for p in provenance)),
        "provenance": [p.as_dict() for p in provenance],
    }

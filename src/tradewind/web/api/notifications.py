"""API: WTO SPS/TBT notifications search (paged); every response carries ``sample``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.datasets.queries import datasets_of_kind
from tradewind.notifications.queries import search_notifications
from tradewind.notifications.requests import SearchForm
from tradewind.web.deps import get_conn

router = APIRouter(tags=["notifications"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.get("/notifications", responses={422: {
    "description": "Bad filter: unknown area, malformed HS code or date, bad paging "
                   "(problem JSON)", **PROBLEM}})
def notifications(
    member: str | None = Query(None, max_length=3, description="ISO3 or EUN",
                               examples=["EUN"]),
    area: str | None = Query(None, max_length=3, description="SPS or TBT"),
    hs: str | None = Query(None, max_length=14, description="HS code prefix",
                           examples=["0901"]),
    ics: str | None = Query(None, max_length=20, description="ICS code prefix"),
    text: str | None = Query(None, max_length=200, description="Words in title, products…"),
    date_from: str | None = Query(None, max_length=10, description="Distributed on/after"),
    date_to: str | None = Query(None, max_length=10, description="Distributed on/before"),
    open_on: str | None = Query(None, max_length=10,
                                description="Comment period open on this date"),
    page: str | None = Query(None, max_length=6),
    per_page: str | None = Query(None, max_length=3, description="1–100 (default 20)"),
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

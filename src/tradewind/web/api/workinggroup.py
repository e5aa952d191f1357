"""API: Working Group members, the December 2020 package, the tracker and events."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.web.deps import get_conn
from tradewind.workinggroup import queries as wg

router = APIRouter(prefix="/working-group", tags=["working group"])


@router.get("/members", summary="Members with date of joining and UN M49 region")
def members(conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    items = wg.list_members(conn)
    return {"count": len(items), "members": [m.as_dict() for m in items]}


@router.get("/recommendations", summary="The December 2020 declarations and recommendations")
def recommendations(conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [r.as_dict() for r in wg.list_recommendations(conn)]


@router.get("/tracker", summary="Implementation tracker entries (member × recommendation)")
def tracker(economy: str | None = Query(None, max_length=60,
                                       description="ISO3 code of a member (EUN included)"),
            conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [e.as_dict() for e in wg.tracker_entries(conn, economy)]


@router.get("/events", summary="Dialogue events, newest first")
def events(conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [e.as_dict() for e in wg.list_events(conn)]

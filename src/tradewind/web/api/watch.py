"""API: subscribe to a watch list (double opt-in), confirm, one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import lists
from tradewind.watch.service import request_subscription
from tradewind.web.deps import get_db, get_settings

router = APIRouter(tags=["watch"])


class WatchRequest(BaseModel):
    email: str
    hs: list[str] = Field(default_factory=list)
    markets: list[str] = Field(default_factory=list)
    frequency: str = "immediate"
    language: str = "en"


@router.post("/watch", status_code=202, summary="Create a pending watch list; mails a link")
def create_watch(body: WatchRequest, db: Database = Depends(get_db),
                 settings: Settings = Depends(get_settings)) -> JSONResponse:
    sub = request_subscription(db, settings, body.email, body.hs, body.markets,
                               frequency=body.frequency, language=body.language)
    return JSONResponse(status_code=202, content={
        "status": "pending", "email": sub.email, "list_id": sub.list_id,
        "detail": "a confirmation link was sent to this address"})


@router.get("/watch/confirm", summary="Confirm an address with the mailed token")
def confirm_watch(token: str, db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.confirm(conn, token)
    return {"status": "confirmed", "email": email}


@router.post("/watch/unsubscribe", summary="One-click unsubscribe (RFC 8058)")
def unsubscribe_watch(token: str, db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.unsubscribe(conn, token)
    return {"status": "unsubscribed", "email": email}

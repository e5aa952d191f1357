"""API: watch lists — subscribe (double opt-in, rate-limited), confirm, one-click unsubscribe,
and, with the subscriber's manage token (the one in every alert's links), read the lists with
their channel status, delete a list, set or clear a list's signed webhook."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.requests import Request

from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import lists
from tradewind.watch.service import TooManySignups, request_subscription
from tradewind.web.deps import get_db, get_settings
from tradewind.web.security import client_ip

router = APIRouter(tags=["watch"])
PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
E404: dict[int | str, dict[str, Any]] = {404: {"description": "Unknown token or watch list (problem JSON)", **PROBLEM}}
E422: dict[int | str, dict[str, Any]] = {422: {"description": "Invalid e-mail address, HS code, market, frequency, language "
                             "or webhook URL (loopback/private addresses are refused) "
                             "(problem JSON)", **PROBLEM}}
E429: dict[int | str, dict[str, Any]] = {429: {"description": "Too many sign-ups for this address or client; see Retry-After "
                             "(problem JSON)", **PROBLEM}}


class WatchRequest(BaseModel):
    email: str = Field(description="Address that receives the alerts (confirmed by a link)")
    hs: list[str] = Field(default_factory=list, description="HS prefixes: 2, 4 or 6 digits")
    markets: list[str] = Field(default_factory=list, description="ISO3 or group codes (EUN)")
    frequency: str = Field("immediate", description="immediate, daily or weekly")
    language: str = Field("en", description="en, fr or es")
    webhook_url: str | None = Field(None, description="Optional https:// receiver of signed "
                                                      "webhooks (Standard Webhooks)")


class WebhookRequest(BaseModel):
    url: str = Field(description="https:// receiver of signed webhooks")


class Created(BaseModel):
    status: str
    email: str
    list_id: int
    detail: str


class Status(BaseModel):
    status: str
    email: str


class WebhookSet(BaseModel):
    list_id: int
    url: str
    secret: str = Field(description="whsec_ signing secret: verify webhook-signature with it")


def _too_many(exc: TooManySignups) -> JSONResponse:
    return JSONResponse(exc.to_problem(), status_code=429, media_type="application/problem+json",
                        headers={"Retry-After": str(exc.retry_after)})


@router.post("/watch", status_code=202, response_model=Created,
             responses={**E422, **E429},
             summary="Create a pending watch list; mails a confirmation link")
def create_watch(body: WatchRequest, request: Request, db: Database = Depends(get_db),
                 settings: Settings = Depends(get_settings)) -> Response:
    try:
        sub = request_subscription(db, settings, body.email, body.hs, body.markets,
                                   frequency=body.frequency, language=body.language,
                                   webhook_url=body.webhook_url, client=client_ip(request))
    except TooManySignups as exc:
        return _too_many(exc)
    return JSONResponse(status_code=202, content={
        "status": "pending", "email": sub.email, "list_id": sub.list_id,
        "detail": "a confirmation link was sent to this address"})


@router.get("/watch", responses=E404,
            summary="The watch lists behind a manage token, with channel status and feeds")
def get_watches(token: str, db: Database = Depends(get_db),
                settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    with db.connect() as conn:
        email, found = lists.lists_for_token(conn, token)
    base = str(settings.public_url).rstrip("/")
    out = []
    for w in found:
        item = w.as_dict(with_secret=True)
        item["feeds"] = {"atom": f"{base}/watch/feeds/{w.feed_token}.atom",
                         "icalendar": f"{base}/watch/feeds/{w.feed_token}.ics"}
        out.append(item)
    return {"email": email, "lists": out}


@router.delete("/watch/{list_id}", status_code=204, responses=E404,
               summary="Delete one watch list (manage token required)")
def delete_watch(list_id: int, token: str, db: Database = Depends(get_db)) -> Response:
    with db.transaction() as conn:
        lists.remove_watch(conn, list_id, token)
    return Response(status_code=204)


@router.post("/watch/{list_id}/webhook", response_model=WebhookSet, responses={**E404, **E422},
             summary="Deliver a watch list to a signed webhook too; returns its secret")
def set_webhook(list_id: int, token: str, body: WebhookRequest, db: Database = Depends(get_db),
                settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    with db.transaction() as conn:
        secret = lists.set_webhook(conn, list_id, body.url, token=token,
                                   allow_private=bool(settings.watch_webhook_allow_private))
    return {"list_id": list_id, "url": body.url.strip(), "secret": secret}


@router.delete("/watch/{list_id}/webhook", status_code=204, responses=E404,
               summary="Stop webhook deliveries of a watch list")
def delete_webhook(list_id: int, token: str, db: Database = Depends(get_db)) -> Response:
    with db.transaction() as conn:
        lists.clear_webhook(conn, list_id, token=token)
    return Response(status_code=204)


@router.get("/watch/confirm", response_model=Status, responses=E404,
            summary="Confirm an address with the mailed token")
def confirm_watch(token: str, db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.confirm(conn, token)
    return {"status": "confirmed", "email": email}


@router.post("/watch/unsubscribe", response_model=Status, responses=E404,
             summary="One-click unsubscribe (RFC 8058)")
def unsubscribe_watch(token: str, db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.unsubscribe(conn, token)
    return {"status": "unsubscribed", "email": email}

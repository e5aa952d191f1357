"""API: watch lists — subscribe (double opt-in, rate-limited), confirm, one-click unsubscribe,
and, with the subscriber's manage token (the one in every alert's links), read the lists with
their channel status, delete a list, set or clear a list's signed webhook."""

from __future__ import annotations

import smtplib
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.requests import Request

from tradewind.db import Database
from tradewind.errors import InvalidInput, TradewindError
from tradewind.i18n import lazy_noop as N_
from tradewind.settings import Settings
from tradewind.watch import finder_query, lists
from tradewind.watch.service import (
    TooManySignups,
    build_items,
    request_email_reenable,
    request_subscription,
)
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


class Topic(BaseModel):
    type: str = Field(description="notifications (of a member), section or events")
    member: str | None = Field(None, description="notifications: ISO3 or EUN of the "
                                                 "notifying member")
    area: str | None = Field(None, description="notifications: SPS or TBT (default both)")
    section: str | None = Field(None, description="section: guides, library or glossary")


class ItemsRequest(BaseModel):
    hs: list[str] = Field(default_factory=list, description="HS prefixes: 2, 4 or 6 digits; "
                          "with query: the codes the user confirmed among those of "
                          "/watch/resolve")
    markets: list[str] = Field(default_factory=list, description="ISO3 or group codes (EUN)")
    query: str | None = Field(None, description="Finder words the hs codes were resolved "
                                                "from (kept for display)")
    topics: list[Topic] = Field(default_factory=list, description="Topic watches")
    frequency: str = Field("immediate", description="immediate, daily or weekly")


class WatchRequest(ItemsRequest):
    email: str = Field(description="Address that receives the alerts (confirmed by a link)")
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


def _topics(topics: list[Topic]) -> list[lists.WatchItem]:
    return [lists.topic_item(t.type, member=t.member, area=t.area, section=t.section)
            for t in topics]


def _query(body: ItemsRequest) -> str | None:
    """The finder words, once their codes were confirmed (``hs``): resolving and saving in
    one call would skip the user's confirmation."""
    if body.query is None or not body.query.strip():
        return None
    finder_query.clean_query(body.query)
    if not body.hs:
        raise InvalidInput(N_("confirm the codes found for %(query)r first (GET "
                              "/api/v1/watch/resolve?q=…) and send the chosen ones in hs"),
                           query=body.query.strip(), field="hs")
    return body.query


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
                                   webhook_url=body.webhook_url, client=client_ip(request),
                                   topics=_topics(body.topics), query=_query(body))
    except TooManySignups as exc:
        return _too_many(exc)
    return JSONResponse(status_code=202, content={
        "status": "pending", "email": sub.email, "list_id": sub.list_id,
        "detail": "a confirmation link was sent to this address"})


@router.get("/watch/resolve", responses=E422,
            summary="Resolve product words to HS codes with the finder (to confirm before "
                    "watching them)")
def resolve_query(q: str = "", db: Database = Depends(get_db)) -> dict[str, Any]:
    choices = finder_query.resolve(db, q)
    return {"query": finder_query.clean_query(q), "codes": [c.as_dict() for c in choices]}


@router.post("/watch/lists", status_code=201, responses={**E404, **E422},
             summary="Add a watch list for the subscriber behind a manage token")
def add_list(token: str, body: ItemsRequest, db: Database = Depends(get_db)) -> dict[str, Any]:
    items = build_items(body.hs, body.markets, topics=_topics(body.topics), query=_query(body))
    with db.transaction() as conn:
        list_id = lists.add_list(conn, token, items, frequency=body.frequency)
        found = [w for w in lists.lists_for_token(conn, token)[1] if w.id == list_id]
    return found[0].as_dict()


@router.post("/watch/email/reenable", status_code=202, response_model=Status,
             responses={**E404, 503: {"description": "Mail server unreachable", **PROBLEM}},
             summary="Mail a confirmation link that re-enables a disabled (bounced) address")
def reenable_email(token: str, db: Database = Depends(get_db),
                   settings: Settings = Depends(get_settings)) -> Response:
    try:
        address = request_email_reenable(db, settings, token)
    except (smtplib.SMTPException, OSError):
        problem = TradewindError(N_("The confirmation link could not be sent; please try "
                                    "again later.")).to_problem()
        problem["status"] = 503
        return JSONResponse(problem, status_code=503, media_type="application/problem+json")
    return JSONResponse(status_code=202, content={"status": "pending", "email": address})


@router.post("/watch/{list_id}/webhook/enable", status_code=204, responses={**E404, **E422},
             summary="Re-enable a disabled webhook (same URL and secret)")
def enable_webhook(list_id: int, token: str, db: Database = Depends(get_db),
                   settings: Settings = Depends(get_settings)) -> Response:
    with db.transaction() as conn:
        lists.enable_webhook(conn, list_id, token=token,
                             allow_private=bool(settings.watch_webhook_allow_private))
    return Response(status_code=204)


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

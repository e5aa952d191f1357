"""API: watch lists — subscribe (double opt-in, rate-limited), confirm, one-click unsubscribe,
and, with the subscriber's manage token (the one in every alert's links), read the lists with
their channel status, delete a list, set or clear a list's signed webhook."""

from __future__ import annotations

import smtplib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi import Path as ApiPath
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.requests import Request

from tradewind.db import Database
from tradewind.errors import ConflictingInput, TradewindError
from tradewind.i18n import lazy_noop as N_
from tradewind.settings import Settings
from tradewind.watch import drift, finder_query, lists
from tradewind.watch.service import (
    TooManySignups,
    build_items,
    request_email_reenable,
    request_subscription,
)
from tradewind.web.api.contract import problems
from tradewind.web.api.params import (
    ECONOMY_PATTERN,
    HS_PATTERN,
    ISO3_PATTERN,
    MAX_ID,
    list_id,
    token,
)
from tradewind.web.deps import get_db, get_settings
from tradewind.web.security import client_ip

router = APIRouter(tags=["watch"])
E404 = problems({404: "Unknown token or watch list (problem JSON)"})
E403 = problems({403: "The webhook host does not resolve, or resolves to a loopback, private "
                      "or reserved address (problem JSON)"})
E429 = problems({429: "Too many sign-ups for this address or client; see Retry-After "
                      "(problem JSON)"})
E404_CREATE = problems({404: "An HS code not in HS 2022, or an unknown market (problem JSON)"})
#: What ``tradewind.watch.lists.normalize_email`` accepts, in ASCII.
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
#: http(s), a host name or IPv4 address, an optional port, no user name.
PORT = r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
WEBHOOK_PATTERN = (r"^https?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                   r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                   r"(:" + PORT + r")?([/?#][!-~]*)?$")
STRICT = ConfigDict(extra="forbid", strict=True)
HsPrefix = Annotated[str, StringConstraints(min_length=2, max_length=8, pattern=HS_PATTERN)]
Market = Annotated[str, StringConstraints(min_length=3, max_length=3, pattern=ISO3_PATTERN)]
Member = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=ECONOMY_PATTERN)]


class NotificationsTopic(BaseModel):
    """All SPS/TBT notifications of a member (optionally of one area)."""

    model_config = STRICT

    type: Literal["notifications"]
    member: Member = Field(description="the notifying member (ISO3, EUN or English name); "
                                       "unknown: 404")
    area: Literal["SPS", "TBT"] | None = Field(None, description="SPS or TBT (default both)")


class SectionTopic(BaseModel):
    """New or updated entries of a content section."""

    model_config = STRICT

    type: Literal["section"]
    section: Literal["guides", "library", "glossary"]


class EventsTopic(BaseModel):
    """Working Group events."""

    model_config = STRICT

    type: Literal["events"]


Topic = Annotated[NotificationsTopic | SectionTopic | EventsTopic, Field(discriminator="type")]


_ONE_OF_ITEMS: dict[str, Any] = {"anyOf": [
    {"required": ["hs"], "properties": {"hs": {"minItems": 1}}},
    {"required": ["markets"], "properties": {"markets": {"minItems": 1}}},
    {"required": ["topics"], "properties": {"topics": {"minItems": 1}}}]}


class ItemsRequest(BaseModel):
    """What a list watches: HS codes × markets, and/or topics; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_ONE_OF_ITEMS)

    hs: list[HsPrefix] = Field(default_factory=list, max_length=20,
                               description="HS prefixes: 2, 4 or 6 digits (not in HS 2022: "
                                           "404); with query: the codes the user confirmed "
                                           "among those of /watch/resolve")
    markets: list[Market] = Field(default_factory=list, max_length=20,
                                  description="ISO3 or group codes (EUN); unknown: 404")
    query: str | None = Field(None, min_length=1, max_length=finder_query.MAX_QUERY,
                              description="Finder words the hs codes were resolved from "
                                          "(kept for display)")
    topics: list[Topic] = Field(default_factory=list, max_length=20,
                                description="Topic watches")
    frequency: Literal["immediate", "daily", "weekly"] = "immediate"


class WatchRequest(ItemsRequest):
    """A new watch list with the address that receives it."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_ONE_OF_ITEMS)

    email: str = Field(max_length=254, pattern=EMAIL_PATTERN,
                       description="Address that receives the alerts (confirmed by a link)")
    language: Literal["en", "fr", "es"] = "en"
    webhook_url: str | None = Field(None, max_length=2000, pattern=WEBHOOK_PATTERN,
                                    description="Optional http(s):// receiver of signed "
                                                "webhooks (Standard Webhooks); a host that "
                                                "does not resolve or is private: 403")


class WebhookRequest(BaseModel):
    model_config = STRICT

    url: str = Field(max_length=2000, pattern=WEBHOOK_PATTERN,
                     description="http(s):// receiver of signed webhooks")


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
    return [lists.topic_item(t.type, member=getattr(t, "member", None),
                             area=getattr(t, "area", None), section=getattr(t, "section", None))
            for t in topics]


def _query(body: ItemsRequest) -> str | None:
    """The finder words, once their codes were confirmed (``hs``): resolving and saving in
    one call would skip the user's confirmation."""
    if body.query is None or not body.query.strip():
        return None
    finder_query.clean_query(body.query)
    if not body.hs:
        raise ConflictingInput(N_("confirm the codes found for %(query)r first (GET "
                                  "/api/v1/watch/resolve?q=…) and send the chosen ones in hs"),
                               query=body.query.strip(), field="hs")
    return body.query


def _too_many(exc: TooManySignups) -> JSONResponse:
    return JSONResponse(exc.to_problem(), status_code=429, media_type="application/problem+json",
                        headers={"Retry-After": str(exc.retry_after)})


@router.post("/watch", status_code=202, response_model=Created,
             responses={**E403, **E404_CREATE, **E429},
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


@router.get("/watch/resolve", responses=problems({404: "The finder found no HS code for "
                                                     "these words (problem JSON)"}),
            summary="Resolve product words to HS codes with the finder (to confirm before "
                    "watching them)")
def resolve_query(q: str = Query(..., min_length=1, max_length=finder_query.MAX_QUERY,
                                 pattern=r"\S", description="product words, e.g. roasted coffee"),
                  db: Database = Depends(get_db)) -> dict[str, Any]:
    choices = finder_query.resolve(db, q)
    return {"query": finder_query.clean_query(q), "codes": [c.as_dict() for c in choices]}


@router.post("/watch/lists", status_code=201, responses=E404,
             summary="Add a watch list for the subscriber behind a manage token")
def add_list(body: ItemsRequest, token: str = token(),
             db: Database = Depends(get_db)) -> dict[str, Any]:
    items = build_items(body.hs, body.markets, topics=_topics(body.topics), query=_query(body))
    with db.transaction() as conn:
        new_id = lists.add_list(conn, token, items, frequency=body.frequency)
        found = [w for w in lists.lists_for_token(conn, token)[1] if w.id == new_id]
    return found[0].as_dict()


@router.post("/watch/email/reenable", status_code=202, response_model=Status,
             responses={**E404, **problems({503: "Mail server unreachable (problem JSON)"})},
             summary="Mail a confirmation link that re-enables a disabled (bounced) address")
def reenable_email(token: str = token(), db: Database = Depends(get_db),
                   settings: Settings = Depends(get_settings)) -> Response:
    try:
        address = request_email_reenable(db, settings, token)
    except (smtplib.SMTPException, OSError):
        problem = TradewindError(N_("The confirmation link could not be sent; please try "
                                    "again later.")).to_problem()
        problem["status"] = 503
        return JSONResponse(problem, status_code=503, media_type="application/problem+json")
    return JSONResponse(status_code=202, content={"status": "pending", "email": address})


@router.post("/watch/{list_id:int}/webhook/enable", status_code=204, responses={**E403, **E404},
             summary="Re-enable a disabled webhook (same URL and secret)")
def enable_webhook(list_id: int = list_id(), token: str = token(),
                   db: Database = Depends(get_db),
                   settings: Settings = Depends(get_settings)) -> Response:
    with db.transaction() as conn:
        lists.enable_webhook(conn, list_id, token=token,
                             allow_private=bool(settings.watch_webhook_allow_private))
    return Response(status_code=204)


@router.get("/watch", responses=E404,
            summary="The watch lists behind a manage token, with channel status and feeds")
def get_watches(token: str = token(), db: Database = Depends(get_db),
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


@router.delete("/watch/{list_id:int}", status_code=204, responses=E404,
               summary="Delete one watch list (manage token required)")
def delete_watch(list_id: int = list_id(), token: str = token(), db: Database = Depends(get_db)) -> Response:
    with db.transaction() as conn:
        lists.remove_watch(conn, list_id, token)
    return Response(status_code=204)


@router.post("/watch/{list_id:int}/webhook", response_model=WebhookSet, responses={**E403, **E404},
             summary="Deliver a watch list to a signed webhook too; returns its secret")
def set_webhook(body: WebhookRequest, list_id: int = list_id(), token: str = token(),
                db: Database = Depends(get_db),
                settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    with db.transaction() as conn:
        secret = lists.set_webhook(conn, list_id, body.url, token=token,
                                   allow_private=bool(settings.watch_webhook_allow_private))
    return {"list_id": list_id, "url": body.url.strip(), "secret": secret}


@router.delete("/watch/{list_id:int}/webhook", status_code=204, responses=E404,
               summary="Stop webhook deliveries of a watch list")
def delete_webhook(list_id: int = list_id(), token: str = token(), db: Database = Depends(get_db)) -> Response:
    with db.transaction() as conn:
        lists.clear_webhook(conn, list_id, token=token)
    return Response(status_code=204)


class CodeChange(BaseModel):
    model_config = STRICT

    action: Literal["accept", "keep"] = Field(
        description="accept: watch the codes the finder now proposes for these words (same "
                    "markets); keep: leave the watch as it is")


@router.post("/watch/{list_id:int}/code-changes/{notice_id:int}", responses=E404,
             summary="Answer a finder-query notice: accept the new codes, or keep yours")
def answer_code_change(body: CodeChange, list_id: int = list_id(),
                       notice_id: int = ApiPath(..., ge=1, le=MAX_ID,
                                                description="notice id; unknown: 404"),
                       token: str = token(), db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        notice = drift.resolve_notice(conn, notice_id, body.action, token=token,
                                      list_id=list_id)
    return {**notice.as_dict(), "status": "accepted" if body.action == "accept" else "kept"}


@router.get("/watch/confirm", response_model=Status, responses=E404,
            summary="Confirm an address with the mailed token")
def confirm_watch(token: str = token(), db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.confirm(conn, token)
    return {"status": "confirmed", "email": email}


@router.post("/watch/unsubscribe", response_model=Status, responses=E404,
             summary="One-click unsubscribe (RFC 8058)")
def unsubscribe_watch(token: str = token(), db: Database = Depends(get_db)) -> dict[str, Any]:
    with db.transaction() as conn:
        email = lists.unsubscribe(conn, token)
    return {"status": "unsubscribed", "email": email}

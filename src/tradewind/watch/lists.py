"""Subscribe (double opt-in), confirm, unsubscribe, list and remove watch lists."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from tradewind.agreements.economies import economy_code
from tradewind.agreements.models import economy_groups
from tradewind.errors import InvalidInput, NotFound, UnknownValue
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import hs_codes
from tradewind.watch import drift, webhooks
from tradewind.watch.models import (
    FREQUENCIES,
    LANGUAGES,
    watch_items,
    watch_lists,
    watch_subscribers,
)

EDITION = "HS2022"
# Deliberately simple: one @, no spaces, a dot in the domain (what a person can type).
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
KIND_PREFIXES = ("tariff", "measure", "notification", "content")


AREAS = ("SPS", "TBT")
# Content sections a user can watch (new or updated entries) → change kind prefix.
SECTIONS = {"guides": "content.guide", "library": "content.library",
            "glossary": "content.glossary"}
EVENTS_KIND = "content.event"  # Working Group events
TOPICS = ("notifications", "section", "events")


@dataclass(frozen=True)
class WatchItem:
    """A product × market pair (HS prefix, market, optional kind) or a topic: a member's
    notifications (market + kind ``notification`` + optional area), a content section or
    Working Group events (kind ``content.…``).  ``query``: the finder words the HS code
    was resolved from, kept for display."""

    hs_prefix: str | None = None
    market: str | None = None
    kind_prefix: str | None = None
    area: str | None = None
    query: str | None = None

    @property
    def topic(self) -> str | None:
        """``notifications`` / ``section`` / ``events`` for topic watches, else None."""
        if self.hs_prefix:
            return None
        if self.kind_prefix == EVENTS_KIND:
            return "events"
        if self.kind_prefix in SECTIONS.values():
            return "section"
        if self.kind_prefix == "notification" and self.market:
            return "notifications"
        return None

    @property
    def section(self) -> str | None:
        return next((k for k, v in SECTIONS.items() if v == self.kind_prefix), None)

    def as_dict(self) -> dict[str, object]:
        return {"hs": self.hs_prefix, "market": self.market, "kind": self.kind_prefix,
                "area": self.area, "query": self.query, "topic": self.topic,
                "section": self.section}


def topic_item(topic: str, *, member: str | None = None, area: str | None = None,
               section: str | None = None) -> WatchItem:
    """The item of a topic watch (checked by :func:`validate_item` like any other)."""
    if topic == "notifications":
        if not (member or "").strip():
            raise InvalidInput(N_("say which member's notifications to watch"), field="member")
        return WatchItem(None, member, "notification", area or None)
    if topic == "section":
        name = (section or "").strip().lower()
        if name not in SECTIONS:
            raise InvalidInput(N_("unknown content section %(section)r (expected %(sections)s)"),
                               section=section or "", sections=", ".join(SECTIONS),
                               field="section")
        return WatchItem(kind_prefix=SECTIONS[name])
    if topic == "events":
        return WatchItem(kind_prefix=EVENTS_KIND)
    raise InvalidInput(N_("unknown topic %(topic)r (expected %(topics)s)"), topic=topic,
                       topics=", ".join(TOPICS), field="topic")


@dataclass(frozen=True)
class Subscription:
    subscriber_id: int
    list_id: int
    email: str
    confirm_token: str  # give to the subscriber once (mailed); only its hash is stored
    unsubscribe_token: str


@dataclass
class WatchListInfo:
    id: int
    subscriber_id: int
    email: str
    name: str
    frequency: str
    confirmed: bool
    items: list[WatchItem] = field(default_factory=list)
    feed_token: str = ""
    email_disabled_reason: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_disabled_reason: str | None = None
    # Open finder-query notices (tradewind.watch.drift.DriftNotice): words that would now
    # resolve to other codes than the ones watched.
    code_changes: list[Any] = field(default_factory=list)

    @property
    def email_status(self) -> str:
        if not self.confirmed:
            return "unconfirmed"
        return "disabled" if self.email_disabled_reason else "active"

    @property
    def webhook_status(self) -> str:
        if not self.webhook_url:
            return "none"
        return "disabled" if self.webhook_disabled_reason else "active"

    def as_dict(self, *, with_secret: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id, "email": self.email, "name": self.name,
            "frequency": self.frequency, "confirmed": self.confirmed,
            "items": [i.as_dict() for i in self.items],
            "channels": {
                "email": {"status": self.email_status,
                          "disabled_reason": self.email_disabled_reason},
                "webhook": {"status": self.webhook_status, "url": self.webhook_url,
                            "disabled_reason": self.webhook_disabled_reason}},
            "code_changes": [n.as_dict() for n in self.code_changes]}
        if with_secret:
            out["feed_token"] = self.feed_token
            if self.webhook_url:
                out["channels"]["webhook"]["secret"] = self.webhook_secret  # type: ignore[index]
        return out


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(text: str) -> str:
    email = text.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise InvalidInput(N_("%(text)r is not a valid e-mail address"), text=text,
                           field="email")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def validate_item(conn: Connection, item: WatchItem) -> WatchItem:
    """A normalised item, or InvalidInput naming the wrong field."""
    hs = None
    if item.hs_prefix:
        hs = re.sub(r"[.\s]", "", item.hs_prefix)
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", hs):
            raise InvalidInput(N_("HS code %(hs_prefix)r must have 2, 4 or 6 digits"),
                               hs_prefix=item.hs_prefix, field="hs")
        known = conn.execute(select(hs_codes.c.code).where(
            hs_codes.c.edition == EDITION, hs_codes.c.code == hs)).first()
        if known is None:
            raise UnknownValue(N_("HS code %(hs_prefix)r is not in %(edition)s"),
                               hs_prefix=item.hs_prefix, edition=EDITION, field="hs")
    market = None
    if item.market and item.kind_prefix == "notification" and not hs:
        try:
            market = economy_code(item.market)
        except InvalidInput:
            raise UnknownValue(N_("unknown member %(member)r (use ISO3 codes such as KEN, or EUN "
                                  "for the European Union)"), member=item.market,
                               field="member") from None
        if len(market) != 3:
            raise UnknownValue(N_("unknown member %(member)r"), member=item.market,
                               field="member")
    elif item.market:
        try:
            market = economy_code(item.market)
        except InvalidInput:
            raise UnknownValue(N_("unknown market %(market)r (use ISO3 codes such as KEN, or a group "
                                  "such as EUN)"), market=item.market, field="market") from None
        if len(market) != 3:
            raise InvalidInput(N_("unknown market %(market)r"), market=item.market, field="market")
        if market in ("EUN", "SAC") and conn.execute(select(economy_groups.c.code).where(
                economy_groups.c.code == market)).first() is None:
            raise UnknownValue(N_("unknown market group %(market)r"), market=item.market,
                               field="market")
    kind = None
    if item.kind_prefix:
        kind = item.kind_prefix.strip().lower()
        if kind.split(".")[0] not in KIND_PREFIXES:
            raise InvalidInput(N_("unknown kind %(kind)r (expected %(kinds)s)"),
                               kind=item.kind_prefix, kinds=", ".join(KIND_PREFIXES))
    if hs is None and market is None and kind is None:
        raise InvalidInput(N_("a watch needs an HS code, a market or a kind"))
    area = None
    if item.area:
        area = item.area.strip().upper()
        if area not in AREAS:
            raise InvalidInput(N_("unknown area %(area)r (expected SPS or TBT)"),
                               area=item.area, field="area")
        if not (kind or "").startswith("notification"):
            raise InvalidInput(N_("an area (SPS or TBT) only applies to notifications"),
                               field="area")
    query = " ".join((item.query or "").split())[:200] or None
    return WatchItem(hs, market, kind, area, query)


def subscribe(conn: Connection, email: str, items: Sequence[WatchItem], *,
              language: str = "en", frequency: str = "immediate", name: str = "",
              webhook_url: str | None = None, allow_private: bool = False,
              now: datetime | None = None) -> Subscription:
    """Create a pending (unconfirmed) watch list; returns the confirmation token once."""
    now = now or datetime.now(UTC)
    address = normalize_email(email)
    if language not in LANGUAGES:
        raise InvalidInput(N_("language must be one of %(languages)s, not %(language)r"),
                           languages=", ".join(LANGUAGES), language=language)
    if frequency not in FREQUENCIES:
        raise InvalidInput(N_("frequency must be one of %(frequencies)s, not %(frequency)r"),
                           frequencies=", ".join(FREQUENCIES), frequency=frequency,
                           field="frequency")
    if not items:
        raise InvalidInput(N_("a watch needs an HS code, a market or a kind"))
    clean = [validate_item(conn, item) for item in items]
    hook = (webhooks.check_url(webhook_url, allow_private=allow_private)
            if webhook_url and webhook_url.strip() else None)
    confirm = secrets.token_urlsafe(32)
    row = conn.execute(select(watch_subscribers.c.id, watch_subscribers.c.unsubscribe_token,
                              watch_subscribers.c.confirmed_at)
                       .where(watch_subscribers.c.email == address)).first()
    if row is None:
        unsubscribe = secrets.token_urlsafe(32)
        subscriber_id = int(conn.execute(insert(watch_subscribers).values(
            email=address, language=language, confirmed_at=None,
            confirm_token_hash=token_hash(confirm), unsubscribe_token=unsubscribe,
            created_at=now).returning(watch_subscribers.c.id)).scalar_one())
    else:
        subscriber_id, unsubscribe = int(row.id), row.unsubscribe_token
        # A new list needs a new confirmation only when the address was never confirmed.
        conn.execute(update(watch_subscribers).where(watch_subscribers.c.id == subscriber_id)
                     .values(language=language, confirm_token_hash=token_hash(confirm),
                             disabled_reason=None))
    label = name or ", ".join(item_label(i) for i in clean)
    list_id = int(conn.execute(insert(watch_lists).values(
        subscriber_id=subscriber_id, name=label[:200], frequency=frequency,
        feed_token=secrets.token_urlsafe(32), webhook_url=hook,
        webhook_secret=webhooks.new_secret() if hook else None).returning(watch_lists.c.id)).scalar_one())
    _insert_items(conn, list_id, clean)
    return Subscription(subscriber_id, list_id, address, confirm, unsubscribe)


def _insert_items(conn: Connection, list_id: int, items: Sequence[WatchItem]) -> None:
    conn.execute(insert(watch_items), [
        {"watch_list_id": list_id, "hs_prefix": i.hs_prefix, "market": i.market,
         "kind_prefix": i.kind_prefix, "area": i.area, "query": i.query} for i in items])


def item_label(item: WatchItem) -> str:
    """A short, language-neutral label for list names ("0901 DEU", "KEN SPS notification")."""
    if item.query and item.hs_prefix:
        return " ".join(filter(None, (f"{item.hs_prefix} ({item.query})", item.market)))
    return " ".join(filter(None, (item.hs_prefix, item.market, item.area,
                                  item.kind_prefix)))


def add_list(conn: Connection, token: str, items: Sequence[WatchItem], *,
             frequency: str = "immediate", name: str = "") -> int:
    """A new list for the (confirmed or pending) subscriber behind manage ``token``: no new
    confirmation, the address already proved itself (or will with its pending link)."""
    row = conn.execute(select(watch_subscribers.c.id).where(
        watch_subscribers.c.unsubscribe_token == token.strip())).first()
    if row is None or not token.strip():
        raise NotFound(N_("this link is unknown or its address was unsubscribed"))
    if frequency not in FREQUENCIES:
        raise InvalidInput(N_("frequency must be one of %(frequencies)s, not %(frequency)r"),
                           frequencies=", ".join(FREQUENCIES), frequency=frequency,
                           field="frequency")
    if not items:
        raise InvalidInput(N_("a watch needs an HS code, a market or a kind"))
    clean = [validate_item(conn, item) for item in items]
    label = name or ", ".join(item_label(i) for i in clean)
    list_id = int(conn.execute(insert(watch_lists).values(
        subscriber_id=row.id, name=label[:200], frequency=frequency,
        feed_token=secrets.token_urlsafe(32)).returning(watch_lists.c.id)).scalar_one())
    _insert_items(conn, list_id, clean)
    return list_id


def reenable_email(conn: Connection, token: str) -> tuple[str, str, str]:
    """Start re-enabling a disabled (bounced) address: a new confirmation token to mail to
    it; :func:`confirm` then clears the disabled state.  Returns (address, language, token)."""
    row = conn.execute(select(watch_subscribers.c.id, watch_subscribers.c.email,
                              watch_subscribers.c.language).where(
        watch_subscribers.c.unsubscribe_token == token.strip())).first()
    if row is None or not token.strip():
        raise NotFound(N_("this link is unknown or its address was unsubscribed"))
    confirm_token = secrets.token_urlsafe(32)
    conn.execute(update(watch_subscribers).where(watch_subscribers.c.id == row.id).values(
        confirm_token_hash=token_hash(confirm_token)))
    return str(row.email), str(row.language), confirm_token


def enable_email(conn: Connection, list_id: int) -> None:
    """Admin: re-enable the e-mail of list ``list_id``'s owner without a new confirmation."""
    _owned(conn, list_id, None)
    owner = select(watch_lists.c.subscriber_id).where(watch_lists.c.id == list_id)
    conn.execute(update(watch_subscribers).where(
        watch_subscribers.c.id == owner.scalar_subquery()).values(disabled_reason=None,
                                                                  disabled_at=None))


def enable_webhook(conn: Connection, list_id: int, *, token: str | None = None,
                   allow_private: bool = False) -> None:
    """Re-enable a disabled webhook with the same URL and secret (after the receiver was
    fixed); the URL is checked against SSRF again."""
    _owned(conn, list_id, token)
    row = conn.execute(select(watch_lists.c.webhook_url).where(
        watch_lists.c.id == list_id)).one()
    if not row.webhook_url:
        raise InvalidInput(N_("this watch list has no webhook to re-enable"), field="webhook_url")
    webhooks.check_url(row.webhook_url, allow_private=allow_private)
    conn.execute(update(watch_lists).where(watch_lists.c.id == list_id).values(
        webhook_disabled_reason=None, webhook_disabled_at=None))


def confirm(conn: Connection, token: str, now: datetime | None = None) -> str:
    """Confirm the address that received ``token``; returns it. NotFound when unknown."""
    row = conn.execute(select(watch_subscribers.c.id, watch_subscribers.c.email).where(
        watch_subscribers.c.confirm_token_hash == token_hash(token.strip()))).first()
    if row is None or not token.strip():
        raise NotFound(N_("this confirmation link is unknown or was already used"))
    conn.execute(update(watch_subscribers).where(watch_subscribers.c.id == row.id).values(
        confirmed_at=now or datetime.now(UTC), confirm_token_hash=None, disabled_reason=None))
    return str(row.email)


def unsubscribe(conn: Connection, token: str) -> str:
    """Remove the subscriber behind ``token`` with all their lists; returns the address."""
    row = conn.execute(select(watch_subscribers.c.id, watch_subscribers.c.email).where(
        watch_subscribers.c.unsubscribe_token == token.strip())).first()
    if row is None or not token.strip():
        raise NotFound(N_("this unsubscribe link is unknown or was already used"))
    conn.execute(delete(watch_subscribers).where(watch_subscribers.c.id == row.id))
    return str(row.email)


def list_watches(conn: Connection, email: str | None = None) -> list[WatchListInfo]:
    return _lists(conn, None if not email else
                  watch_subscribers.c.email == normalize_email(email))


def lists_for_token(conn: Connection, token: str) -> tuple[str, list[WatchListInfo]]:
    """The address and lists behind a manage/unsubscribe token (NotFound when unknown)."""
    row = conn.execute(select(watch_subscribers.c.id, watch_subscribers.c.email).where(
        watch_subscribers.c.unsubscribe_token == token.strip())).first()
    if row is None or not token.strip():
        raise NotFound(N_("this link is unknown or its address was unsubscribed"))
    return str(row.email), _lists(conn, watch_subscribers.c.id == row.id)


def _lists(conn: Connection, where: object) -> list[WatchListInfo]:
    query = (select(watch_lists, watch_subscribers.c.email, watch_subscribers.c.confirmed_at,
                    watch_subscribers.c.disabled_reason)
             .join(watch_subscribers, watch_subscribers.c.id == watch_lists.c.subscriber_id)
             .order_by(watch_lists.c.id))
    if where is not None:
        query = query.where(where)  # type: ignore[arg-type]
    out = {r.id: WatchListInfo(r.id, r.subscriber_id, r.email, r.name, r.frequency,
                               r.confirmed_at is not None, feed_token=r.feed_token,
                               email_disabled_reason=r.disabled_reason,
                               webhook_url=r.webhook_url, webhook_secret=r.webhook_secret,
                               webhook_disabled_reason=r.webhook_disabled_reason)
           for r in conn.execute(query)}
    if out:
        for r in conn.execute(select(watch_items).where(
                watch_items.c.watch_list_id.in_(list(out))).order_by(watch_items.c.id)):
            out[r.watch_list_id].items.append(WatchItem(r.hs_prefix, r.market, r.kind_prefix,
                                                        r.area, r.query))
        for list_id, notices in drift.for_lists(conn, list(out)).items():
            out[list_id].code_changes = notices
    return list(out.values())


def _owned(conn: Connection, list_id: int, token: str | None) -> None:
    """NotFound unless list ``list_id`` exists (and belongs to ``token``'s subscriber)."""
    query = select(watch_lists.c.id).where(watch_lists.c.id == list_id)
    if token is not None:
        query = query.join(watch_subscribers,
                           watch_subscribers.c.id == watch_lists.c.subscriber_id).where(
            watch_subscribers.c.unsubscribe_token == token.strip())
    if conn.execute(query).first() is None:
        if token:
            raise NotFound(N_("no watch list %(list_id)s for this link"), list_id=list_id)
        raise NotFound(N_("no watch list %(list_id)s"), list_id=list_id)


def remove_watch(conn: Connection, list_id: int, token: str | None = None) -> None:
    """Delete a list; with ``token`` only when it belongs to that subscriber."""
    _owned(conn, list_id, token)
    conn.execute(delete(watch_lists).where(watch_lists.c.id == list_id))


def set_webhook(conn: Connection, list_id: int, url: str, *, token: str | None = None,
                allow_private: bool = False) -> str:
    """Deliver list ``list_id`` to ``url`` too (checked against SSRF); returns the new
    ``whsec_`` signing secret. Setting it again re-enables a disabled webhook."""
    _owned(conn, list_id, token)
    safe = webhooks.check_url(url, allow_private=allow_private)
    secret = webhooks.new_secret()
    conn.execute(update(watch_lists).where(watch_lists.c.id == list_id).values(
        webhook_url=safe, webhook_secret=secret, webhook_disabled_reason=None,
        webhook_disabled_at=None))
    return secret


def clear_webhook(conn: Connection, list_id: int, *, token: str | None = None) -> None:
    _owned(conn, list_id, token)
    conn.execute(update(watch_lists).where(watch_lists.c.id == list_id).values(
        webhook_url=None, webhook_secret=None, webhook_disabled_reason=None,
        webhook_disabled_at=None))

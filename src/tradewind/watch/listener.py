"""Match recorded change events to confirmed watch lists and fill the outbox (same transaction).

Set-wise: one query for the candidate watch items, one for the group memberships of the
markets involved, one multi-row insert into the outbox — whatever the number of lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from tradewind.agreements.models import group_members
from tradewind.changes.events import ChangeEvent, RecordedEvent, add_listener
from tradewind.watch.models import watch_items, watch_lists, watch_outbox, watch_subscribers

MAX_IN = 2000  # above this many distinct values the candidate query drops that filter


def _memberships(conn: Connection, markets: set[str]) -> list[tuple[str, str, Any, Any]]:
    if not markets:
        return []
    query = select(group_members.c.group_code, group_members.c.member,
                   group_members.c.valid_from, group_members.c.valid_to)
    if len(markets) <= MAX_IN:
        query = query.where(or_(group_members.c.member.in_(markets),
                                group_members.c.group_code.in_(markets)))
    return [tuple(r) for r in conn.execute(query)]  # type: ignore[misc]


def _related(memberships: list[tuple[str, str, Any, Any]], market: str,
             day: date) -> set[str]:
    """``market`` plus the groups it belongs to and, for a group, its members, on ``day``."""
    out = {market}
    for group, member, start, end in memberships:
        if (start is None or start <= day) and (end is None or day <= end):
            if member == market:
                out.add(group)
            elif group == market:
                out.add(member)
    return out


def _hs_matches(prefix: str | None, code: str | None) -> bool:
    if prefix is None or code is None:
        return True
    return code.startswith(prefix) or prefix.startswith(code)


def _topic_matches(item: Any, ev: ChangeEvent) -> bool:
    """Kind and area rules on top of the product × market match.

    Content (guides, library, glossary, Working Group events) reaches only lists that watch
    content (``kind_prefix`` ``content…``): it has no product or market, and a product
    watcher did not ask for every new guide.  An ``area`` (SPS/TBT) limits a member's
    notifications to that agreement."""
    if item.kind_prefix and not ev.kind.startswith(item.kind_prefix):
        return False
    if ev.kind.startswith("content.") and not (item.kind_prefix or "").startswith("content"):
        return False
    return not (item.area and (ev.details or {}).get("area") != item.area)


def _once_key(list_id: int, channel: str, ev: ChangeEvent) -> tuple[int, str, str, str] | None:
    """One notification has one event per HS code it covers: a list hears of it once per
    import (per kind and document symbol), not once per code."""
    if ev.kind.startswith("notification.") and ev.reference:
        return (list_id, channel, ev.kind, ev.reference)
    return None


def outbox_key(list_id: int, event_id: int, channel: str, purpose: str) -> str:
    """``list:event`` for the first e-mail, with ``:webhook`` and ``:reminder`` suffixes."""
    key = f"{list_id}:{event_id}"
    if channel != "email":
        key += f":{channel}"
    if purpose != "change":
        key += f":{purpose}"
    return key


def match_events(conn: Connection, events: Sequence[RecordedEvent]) -> None:
    """Listener: one outbox row per (confirmed list, matching event, active channel)."""
    if not events:
        return
    markets = {e.event.market for e in events if e.event.market}
    memberships = _memberships(conn, markets)
    related: dict[int, set[str] | None] = {}
    all_markets: set[str] = set()
    scopes: dict[tuple[str, date], set[str]] = {}
    for e in events:
        if e.event.market is None:
            related[e.id] = None  # everywhere
            continue
        day = e.event.effective_date or e.occurred_at.date()
        scope_key = (e.event.market, day)
        scope = scopes.get(scope_key)
        if scope is None:  # imports record many events per market and day: once each
            scope = scopes[scope_key] = _related(memberships, e.event.market, day)
            all_markets |= scope
        related[e.id] = scope

    query = (select(watch_items.c.watch_list_id, watch_items.c.hs_prefix, watch_items.c.market,
                    watch_items.c.kind_prefix, watch_items.c.area, watch_lists.c.subscriber_id,
                    (watch_subscribers.c.disabled_reason.is_(None)).label("email_on"),
                    (watch_lists.c.webhook_url.is_not(None)
                     & watch_lists.c.webhook_disabled_reason.is_(None)).label("webhook_on"))
             .join(watch_lists, watch_lists.c.id == watch_items.c.watch_list_id)
             .join(watch_subscribers, watch_subscribers.c.id == watch_lists.c.subscriber_id)
             .where(watch_subscribers.c.confirmed_at.is_not(None),
                    or_(watch_subscribers.c.disabled_reason.is_(None),
                        watch_lists.c.webhook_url.is_not(None)
                        & watch_lists.c.webhook_disabled_reason.is_(None))))
    if all(r is not None for r in related.values()) and len(all_markets) <= MAX_IN:
        query = query.where(or_(watch_items.c.market.is_(None),
                                watch_items.c.market.in_(all_markets)))
    codes = {e.event.hs_code for e in events}
    if None not in codes and all(len(c or "") >= 6 for c in codes):
        prefixes = {c[:n] for c in codes if c for n in (2, 4, 6)}
        if len(prefixes) <= MAX_IN:
            query = query.where(or_(watch_items.c.hs_prefix.is_(None),
                                    watch_items.c.hs_prefix.in_(prefixes)))
    items = conn.execute(query).all()
    if not items:
        return
    # Index (market, hs_prefix) → items, so each event looks up at most a few buckets.
    buckets: dict[str | None, dict[str | None, list[Any]]] = defaultdict(
        lambda: defaultdict(list))
    for item in items:
        buckets[item.market][item.hs_prefix].append(item)

    rows: dict[str, dict[str, Any]] = {}
    seen: set[tuple[int, str, str, str]] = set()
    for e in events:
        ev = e.event
        scope = related[e.id]
        market_keys = list(buckets) if scope is None else [None, *scope]
        for market in market_keys:
            by_prefix = buckets.get(market)
            if not by_prefix:
                continue
            code = ev.hs_code
            if code is None:
                groups = list(by_prefix.values())
            elif len(code) >= 6:
                groups = [by_prefix.get(k) or [] for k in (None, code[:2], code[:4], code[:6])]
            else:
                groups = [g for k, g in by_prefix.items() if _hs_matches(k, code)]
            for group in groups:
                for item in group:
                    if not _topic_matches(item, ev):
                        continue
                    for channel, on in (("email", item.email_on),
                                        ("webhook", item.webhook_on)):
                        if not on:
                            continue
                        once = _once_key(item.watch_list_id, channel, ev)
                        if once is not None:
                            if once in seen:
                                continue
                            seen.add(once)
                        key = outbox_key(item.watch_list_id, e.id, channel, "change")
                        rows.setdefault(key, {
                            "idempotency_key": key, "subscriber_id": item.subscriber_id,
                            "watch_list_id": item.watch_list_id, "event_id": e.id,
                            "channel": channel, "status": "pending", "attempts": 0,
                            "last_error": None, "next_attempt_at": e.occurred_at,
                            "sent_at": None, "purpose": "change"})
    if rows:
        conn.execute(insert(watch_outbox), list(rows.values()))


add_listener(match_events)

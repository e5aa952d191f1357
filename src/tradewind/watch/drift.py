"""Finder-query watches follow the finder: re-resolve the words when its data change.

A finder-query watch stores the codes the user confirmed, with the words, the finder's data
version (:func:`finder_version`) and the codes the finder pre-selected then
(``watch_items.resolved_codes``).  When the version changes (a new finder model,
confirmations, imported references or rulings, a nomenclature change, translations), the
words are resolved again.  If the finder would now pre-select other codes than before, and
other codes than the user watches, the watch is *not* changed: a notice is recorded
(``watch_query_notices``) — "the codes for 'roasted coffee' would now be 090121, 090122; you
watch 090121" — shown on the manage page, in the watch-list JSON and in the next digest, with
one action to accept the new codes (or keep the current ones).

Items saved before their first check (no version yet) are adopted silently: the user has
just confirmed them against the finder of the day.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.watch.models import (
    watch_items,
    watch_lists,
    watch_query_notices,
    watch_subscribers,
)

BAND = 0.9  # codes scoring within this share of the best are pre-selected together
ACTIONS = ("accept", "keep")


@dataclass(frozen=True)
class DriftNotice:
    id: int
    watch_list_id: int
    query: str
    watched: list[str]
    proposed: list[str]
    status: str
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "watch_list_id": self.watch_list_id, "query": self.query,
                "watched": self.watched, "proposed": self.proposed, "status": self.status,
                "created_at": self.created_at.isoformat()}


def finder_version(conn: Connection) -> str:
    """Fingerprint of everything the finder's answer depends on: the index inputs (codes,
    references, synonyms, translations, model, schedules, rulings) and the confirmations."""
    from tradewind.finder.index import _signature
    from tradewind.finder.models import finder_confirmations
    from tradewind.nomenclature.models import DEFAULT_EDITION

    conf = conn.execute(select(func.count(), func.max(finder_confirmations.c.id))).one()
    raw = f"{_signature(conn, DEFAULT_EDITION)}|{tuple(conf)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def preselected(db: Database, query: str) -> list[str]:
    """The codes the finder would pre-select for ``query`` now (empty: none found)."""
    from tradewind.errors import UnknownValue
    from tradewind.watch.finder_query import resolve

    try:
        choices = resolve(db, query)
    except (InvalidInput, UnknownValue):
        return []
    best = choices[0].score
    return sorted(c.code for c in choices if c.score >= best * BAND)


def _codes(text: str | None) -> list[str]:
    return sorted(set((text or "").split()))


def _groups(conn: Connection) -> dict[tuple[int, str], list[Any]]:
    rows = conn.execute(select(watch_items.c.id, watch_items.c.watch_list_id,
                               watch_items.c.query, watch_items.c.hs_prefix,
                               watch_items.c.market, watch_items.c.finder_version,
                               watch_items.c.resolved_codes)
                        .where(watch_items.c.query.is_not(None),
                               watch_items.c.hs_prefix.is_not(None))
                        .order_by(watch_items.c.id)).all()
    out: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for r in rows:
        out[(int(r.watch_list_id), str(r.query))].append(r)
    return out


def check(db: Database, now: datetime | None = None) -> int:
    """Re-resolve the finder-query watches whose finder version is not the current one;
    returns the number of notices opened or changed.  Cheap when nothing changed (one
    query, plus the version when there are such watches)."""
    now = now or datetime.now(UTC)
    with db.connect() as conn:
        groups = _groups(conn)
        if not groups:
            return 0
        version = finder_version(conn)
    stale = {k: v for k, v in groups.items() if any(r.finder_version != version for r in v)}
    if not stale:
        return 0
    from tradewind.finder.index import forget_index

    forget_index(db)  # the cached index may predate the change (it re-checks every 2 s)
    proposals = {query: preselected(db, query) for query in {q for _l, q in stale}}
    opened = 0
    with db.transaction() as conn:
        for (list_id, query), rows in stale.items():
            proposed = proposals[query]
            watched = _codes(" ".join(r.hs_prefix for r in rows))
            adopting = all(r.finder_version is None for r in rows)
            baseline = _codes(rows[0].resolved_codes) or watched
            if proposed and not adopting and proposed not in (baseline, watched):
                opened += _open(conn, list_id, query, watched, proposed, version, now)
            elif proposed == watched:
                _close(conn, list_id, query, "kept", now)  # the finder agrees again
            conn.execute(update(watch_items).where(
                watch_items.c.id.in_([r.id for r in rows])).values(
                finder_version=version,
                resolved_codes=" ".join(proposed or baseline)[:200]))
    return opened


def _open(conn: Connection, list_id: int, query: str, watched: list[str],
          proposed: list[str], version: str, now: datetime) -> int:
    current = conn.execute(select(watch_query_notices.c.id, watch_query_notices.c.proposed_codes)
                           .where(watch_query_notices.c.watch_list_id == list_id,
                                  watch_query_notices.c.query == query,
                                  watch_query_notices.c.status == "open")).first()
    values = {"watched_codes": " ".join(watched)[:200],
              "proposed_codes": " ".join(proposed)[:200], "finder_version": version}
    if current is not None:
        if _codes(current.proposed_codes) == proposed:
            return 0
        conn.execute(update(watch_query_notices).where(watch_query_notices.c.id == current.id)
                     .values(**values, created_at=now, mailed_at=None))
        return 1
    conn.execute(insert(watch_query_notices).values(
        watch_list_id=list_id, query=query, status="open", created_at=now, resolved_at=None,
        mailed_at=None, **values))
    return 1


def _close(conn: Connection, list_id: int, query: str, status: str, now: datetime) -> None:
    conn.execute(update(watch_query_notices).where(
        watch_query_notices.c.watch_list_id == list_id, watch_query_notices.c.query == query,
        watch_query_notices.c.status == "open").values(status=status, resolved_at=now))


def _notice(row: Any) -> DriftNotice:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return DriftNotice(int(row.id), int(row.watch_list_id), str(row.query),
                       _codes(row.watched_codes), _codes(row.proposed_codes), str(row.status),
                       created)


def for_lists(conn: Connection, list_ids: Sequence[int]) -> dict[int, list[DriftNotice]]:
    """Open notices by list (manage page, watch-list JSON)."""
    out: dict[int, list[DriftNotice]] = defaultdict(list)
    if list_ids:
        for row in conn.execute(select(watch_query_notices).where(
                watch_query_notices.c.watch_list_id.in_(list(list_ids)),
                watch_query_notices.c.status == "open").order_by(watch_query_notices.c.id)):
            out[int(row.watch_list_id)].append(_notice(row))
    return dict(out)


def open_for(conn: Connection, subscriber_ids: Sequence[int]) -> dict[int, list[DriftNotice]]:
    """Open notices not yet told in a digest, by subscriber (the worker's next e-mail)."""
    out: dict[int, list[DriftNotice]] = defaultdict(list)
    if subscriber_ids:
        for row in conn.execute(
                select(watch_query_notices, watch_lists.c.subscriber_id)
                .join(watch_lists, watch_lists.c.id == watch_query_notices.c.watch_list_id)
                .where(watch_lists.c.subscriber_id.in_(list(subscriber_ids)),
                       watch_query_notices.c.status == "open",
                       watch_query_notices.c.mailed_at.is_(None))
                .order_by(watch_query_notices.c.id)):
            out[int(row.subscriber_id)].append(_notice(row))
    return dict(out)


def mark_mailed(conn: Connection, ids: Sequence[int], now: datetime) -> None:
    if ids:
        conn.execute(update(watch_query_notices).where(watch_query_notices.c.id.in_(list(ids)))
                     .values(mailed_at=now))


def resolve_notice(conn: Connection, notice_id: int, action: str, *, token: str | None = None,
                   list_id: int | None = None, now: datetime | None = None) -> DriftNotice:
    """``accept``: the watch's codes for these words become the proposed ones (same
    markets); ``keep``: the watch stays as it is.  With ``token`` only the subscriber's own
    notice.  NotFound when there is no such open notice."""
    if action not in ACTIONS:
        raise InvalidInput(N_("action must be one of %(actions)s, not %(action)r"),
                           actions=", ".join(ACTIONS), action=action, field="action")
    query = (select(watch_query_notices)
             .join(watch_lists, watch_lists.c.id == watch_query_notices.c.watch_list_id)
             .join(watch_subscribers, watch_subscribers.c.id == watch_lists.c.subscriber_id)
             .where(watch_query_notices.c.id == notice_id,
                    watch_query_notices.c.status == "open"))
    if token is not None:
        query = query.where(watch_subscribers.c.unsubscribe_token == token.strip())
    if list_id is not None:
        query = query.where(watch_query_notices.c.watch_list_id == list_id)
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(N_("no open notice %(notice_id)s for this link"), notice_id=notice_id)
    notice = _notice(row)
    now = now or datetime.now(UTC)
    if action == "accept":
        _replace_codes(conn, notice)
    _close(conn, notice.watch_list_id, notice.query,
           "accepted" if action == "accept" else "kept", now)
    return notice


def _replace_codes(conn: Connection, notice: DriftNotice) -> None:
    where = (watch_items.c.watch_list_id == notice.watch_list_id,
             watch_items.c.query == notice.query)
    old = conn.execute(select(watch_items).where(*where).order_by(watch_items.c.id)).all()
    if not old:
        return
    first = old[0]
    markets = list(dict.fromkeys(r.market for r in old))
    conn.execute(delete(watch_items).where(*where))
    conn.execute(insert(watch_items), [
        {"watch_list_id": notice.watch_list_id, "hs_prefix": code, "market": market,
         "kind_prefix": first.kind_prefix, "area": first.area, "query": notice.query,
         "finder_version": first.finder_version, "resolved_codes": " ".join(notice.proposed)}
        for code in notice.proposed for market in markets])


__all__ = ["DriftNotice", "check", "finder_version", "for_lists", "open_for",
           "resolve_notice"]

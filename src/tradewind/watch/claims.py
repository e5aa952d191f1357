"""Claim a batch of due outbox rows with a lease, and record a batch's results in bulk.

A claim is one short transaction: the due rows are selected (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two workers never select the same row), marked ``claimed_until`` /
``claimed_by`` and committed.  The worker then sends without holding any lock or transaction,
and :func:`record` writes every outcome of the batch in one transaction, each update guarded
by the claim token.

After a SIGKILL the claimed rows stay ``pending`` with a lease in the future: no worker takes
them until it expires, then one does and sends them again with the same idempotency keys
(``Message-ID`` / ``webhook-id``), so receivers drop the repeats: at-least-once, and at most
one batch is repeated.  A worker stops sending before its lease runs out, so a live claim is
never taken over.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, or_, select, update

from tradewind.changes.models import change_events
from tradewind.watch.models import watch_lists, watch_outbox, watch_subscribers

CLAIM_LIMIT = 200  # alert lines in one e-mail at most; the rest go in the next one
EVENT_COLUMNS = ("kind", "title", "market", "hs_code", "effective_date", "old_value",
                 "new_value", "reference", "occurred_at", "details")
DIGEST_EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def new_token() -> str:
    return secrets.token_hex(12)


def _email_due(now: datetime) -> Any:
    """E-mail rows whose list frequency is due for the subscriber's digest."""
    last = watch_subscribers.c.last_digest_at
    freq = watch_lists.c.frequency
    return and_(
        watch_outbox.c.channel == "email",
        watch_subscribers.c.disabled_reason.is_(None),
        or_(freq == "immediate", last.is_(None),
            and_(freq == "daily", last <= now - DIGEST_EVERY["daily"]),
            and_(freq == "weekly", last <= now - DIGEST_EVERY["weekly"])))


def _webhook_due() -> Any:
    return and_(watch_outbox.c.channel == "webhook", watch_lists.c.webhook_url.is_not(None),
                watch_lists.c.webhook_disabled_reason.is_(None))


def _unclaimed() -> Any:
    until = watch_outbox.c.claimed_until
    return or_(until.is_(None), until <= bindparam("clock"))


def _query(conn: Connection, now: datetime) -> Any:
    query = (select(watch_outbox.c.id, watch_outbox.c.idempotency_key, watch_outbox.c.attempts,
                    watch_outbox.c.purpose, watch_outbox.c.channel, watch_outbox.c.event_id,
                    watch_outbox.c.subscriber_id, watch_outbox.c.watch_list_id,
                    watch_lists.c.frequency, watch_lists.c.webhook_url,
                    watch_lists.c.webhook_secret, watch_subscribers.c.email,
                    watch_subscribers.c.language, watch_subscribers.c.unsubscribe_token,
                    *(change_events.c[c] for c in EVENT_COLUMNS))
             .join(watch_lists, watch_lists.c.id == watch_outbox.c.watch_list_id)
             .join(watch_subscribers, watch_subscribers.c.id == watch_outbox.c.subscriber_id)
             .join(change_events, change_events.c.id == watch_outbox.c.event_id)
             .where(watch_outbox.c.status == "pending", watch_outbox.c.next_attempt_at <= now,
                    watch_subscribers.c.confirmed_at.is_not(None), _unclaimed()))
    return query


def _locked(conn: Connection, query: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=watch_outbox)
    return query


@dataclass
class Batch:
    """The rows one claim took, grouped into messages (one e-mail per subscriber, one POST
    per webhook row), in the order of their first row."""

    token: str
    until: datetime
    rows: list[Any]
    messages: list[list[Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        mails: dict[int, list[Any]] = {}
        for row in self.rows:
            if row.channel == "email":
                if row.subscriber_id not in mails:
                    mails[row.subscriber_id] = []
                    self.messages.append(mails[row.subscriber_id])
                mails[row.subscriber_id].append(row)
            else:
                self.messages.append([row])


class Claimer:
    """The claim statements of one run, built once (``now`` is fixed for the run)."""

    def __init__(self, conn: Connection, now: datetime, size: int) -> None:
        base = _query(conn, now)
        self.size = max(int(size), 1)
        self.first = _locked(conn, base.where(or_(_email_due(now), _webhook_due()))
                             .order_by(watch_outbox.c.id).limit(self.size))
        # The rest of the claimed subscribers' due e-mail rows: one digest, not several.
        self.rest = _locked(conn, base.where(
            _email_due(now), watch_outbox.c.subscriber_id.in_(bindparam("subscribers",
                                                                        expanding=True)),
            watch_outbox.c.id.not_in(bindparam("taken", expanding=True)))
            .order_by(watch_outbox.c.id).limit(bindparam("room")))

    def claim(self, conn: Connection, clock: datetime, lease: timedelta) -> Batch | None:
        """Claim up to ``size`` due rows (plus the rest of their subscribers' e-mail rows)
        and commit the claim; None when nothing is due."""
        with conn.begin():
            rows = list(conn.execute(self.first, {"clock": clock}))
            if not rows:
                return None
            subscribers = sorted({r.subscriber_id for r in rows if r.channel == "email"})
            if subscribers:
                rows += conn.execute(self.rest, {
                    "clock": clock, "subscribers": subscribers, "taken": [r.id for r in rows],
                    "room": CLAIM_LIMIT * len(subscribers)}).all()
            rows = _trim(rows)
            batch = Batch(new_token(), clock + lease, rows)
            conn.execute(update(watch_outbox)
                         .where(watch_outbox.c.id.in_([r.id for r in rows]))
                         .values(claimed_until=batch.until, claimed_by=batch.token))
        return batch


def _trim(rows: list[Any]) -> list[Any]:
    """At most :data:`CLAIM_LIMIT` e-mail rows per subscriber, oldest first."""
    counts: dict[int, int] = defaultdict(int)
    out = []
    for row in sorted(rows, key=lambda r: r.id):
        if row.channel == "email":
            counts[row.subscriber_id] += 1
            if counts[row.subscriber_id] > CLAIM_LIMIT:
                continue
        out.append(row)
    return out


def mine(token: str) -> Any:
    """Rows still claimed by ``token`` (a late result never overwrites another's claim)."""
    return watch_outbox.c.claimed_by == token


def mark_sent(conn: Connection, token: str, ids: list[int], now: datetime) -> None:
    if ids:
        conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(ids), mine(token))
                     .values(status="sent", sent_at=now, last_error=None, claimed_until=None,
                             claimed_by=None, attempts=watch_outbox.c.attempts + 1))


def release(conn: Connection, token: str) -> None:
    """Give back the rows of the batch that were neither sent nor failed (lease ran short,
    or the run's limit was reached)."""
    conn.execute(update(watch_outbox).where(mine(token))
                 .values(claimed_until=None, claimed_by=None))


__all__ = ["Batch", "Claimer", "mark_sent", "release"]

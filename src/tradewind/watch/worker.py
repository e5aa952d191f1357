"""Deliver the outbox: claim due rows, one message per subscriber, mark sent after the send.

On PostgreSQL rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` so that several
workers can run; on SQLite run one worker.  Failures back off exponentially; a permanent (5xx)
refusal of the recipient disables the subscriber.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from tradewind.changes.models import change_events
from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import mailer
from tradewind.watch.models import watch_lists, watch_outbox, watch_subscribers

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=12)
DIGEST_EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
CLAIM_LIMIT = 500


@dataclass
class WorkerRun:
    messages: int = 0
    delivered: int = 0  # outbox rows marked sent
    failed: int = 0  # outbox rows that failed this run (retried later unless permanent)
    disabled: int = 0  # subscribers disabled after a permanent refusal


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _claim(conn: Connection, now: datetime) -> list[Any]:
    query = (select(watch_outbox.c.id, watch_outbox.c.subscriber_id, watch_outbox.c.attempts,
                    watch_lists.c.frequency, watch_subscribers.c.email,
                    watch_subscribers.c.language, watch_subscribers.c.unsubscribe_token,
                    watch_subscribers.c.last_digest_at, change_events.c.title,
                    change_events.c.kind, change_events.c.market, change_events.c.hs_code,
                    change_events.c.effective_date, change_events.c.old_value,
                    change_events.c.new_value)
             .join(watch_lists, watch_lists.c.id == watch_outbox.c.watch_list_id)
             .join(watch_subscribers, watch_subscribers.c.id == watch_outbox.c.subscriber_id)
             .join(change_events, change_events.c.id == watch_outbox.c.event_id)
             .where(watch_outbox.c.status == "pending", watch_outbox.c.next_attempt_at <= now,
                    watch_subscribers.c.confirmed_at.is_not(None),
                    watch_subscribers.c.disabled_reason.is_(None))
             .order_by(watch_outbox.c.subscriber_id, watch_outbox.c.id)
             .limit(CLAIM_LIMIT))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=watch_outbox)
    return list(conn.execute(query))


def _due(row: Any, now: datetime) -> bool:
    every = DIGEST_EVERY.get(row.frequency)
    if every is None:
        return True
    last = _aware(row.last_digest_at)
    return last is None or now - last >= every


def run_once(db: Database, settings: Settings, now: datetime | None = None) -> WorkerRun:
    """Deliver everything due at ``now``; returns counts."""
    now = now or datetime.now(UTC)
    run = WorkerRun()
    with db.transaction() as conn:
        per_subscriber: dict[int, list[Any]] = defaultdict(list)
        for row in _claim(conn, now):
            if _due(row, now):
                per_subscriber[row.subscriber_id].append(row)
        for subscriber_id, rows in per_subscriber.items():
            first = rows[0]
            ids = [r.id for r in rows]
            message = mailer.build_message(
                settings, to=first.email, language=first.language,
                token=first.unsubscribe_token,
                lines=[mailer.AlertLine(r.title, r.kind, r.market, r.hs_code, r.effective_date,
                                        r.old_value, r.new_value) for r in rows])
            try:
                mailer.send(settings, message)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _msg in exc.recipients.values()]
                if codes and all(code >= 500 for code in codes):
                    reason = f"recipient refused permanently: {exc.recipients}"[:500]
                    conn.execute(update(watch_subscribers)
                                 .where(watch_subscribers.c.id == subscriber_id)
                                 .values(disabled_reason=reason))
                    conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(ids))
                                 .values(status="failed", last_error=reason,
                                         attempts=watch_outbox.c.attempts + 1))
                    run.disabled += 1
                    run.failed += len(ids)
                    continue
                _retry(conn, rows, now, str(exc))
                run.failed += len(ids)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                _retry(conn, rows, now, f"{type(exc).__name__}: {exc}")
                run.failed += len(ids)
                continue
            conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(ids))
                         .values(status="sent", sent_at=now, last_error=None,
                                 attempts=watch_outbox.c.attempts + 1))
            if any(r.frequency in DIGEST_EVERY for r in rows):
                conn.execute(update(watch_subscribers)
                             .where(watch_subscribers.c.id == subscriber_id)
                             .values(last_digest_at=now))
            run.messages += 1
            run.delivered += len(ids)
    return run


def _retry(conn: Connection, rows: list[Any], now: datetime, error: str) -> None:
    for attempts, group in _by_attempts(rows).items():
        tries = attempts + 1
        conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(group)).values(
            attempts=tries, last_error=error[:1000], next_attempt_at=now + backoff(tries),
            status="failed" if tries >= MAX_ATTEMPTS else "pending"))


def _by_attempts(rows: list[Any]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        out[int(r.attempts)].append(r.id)
    return out


def outbox_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every outbox row (for the CLI and tests), oldest first."""
    return [dict(r._mapping) for r in conn.execute(
        select(watch_outbox).order_by(watch_outbox.c.id))]

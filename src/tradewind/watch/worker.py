"""Deliver the outbox: claim one message's rows, send, mark sent — one short transaction each.

Each delivery (one e-mail to a subscriber with all their due rows, or one webhook POST for one
row) runs in its own transaction: the rows are claimed, the message is sent, the rows are
marked sent, and the transaction commits.  On PostgreSQL the claim is
``SELECT … FOR UPDATE SKIP LOCKED``, so several workers run at once and never pick the same
row; on SQLite run one worker.  A worker killed between the send and the commit leaves its
rows pending: they are sent again (at-least-once), with the same ``Message-ID`` /
``webhook-id`` so that the receiver can drop the repeat.  That window is one message wide.

Failures back off exponentially (1, 2, 4 … minutes, at most 12 hours; failed after
:data:`MAX_ATTEMPTS`).  A permanent refusal — SMTP 5xx for the recipient (bounced address),
HTTP 410 from a webhook, or a webhook URL that now resolves to a private address — disables
that channel (``watch_subscribers.disabled_reason`` / ``watch_lists.webhook_disabled_reason``),
which the manage page and the API show to the user.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.changes.models import change_events
from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import mailer, notices, webhooks
from tradewind.watch.listener import outbox_key
from tradewind.watch.models import watch_lists, watch_outbox, watch_subscribers

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=12)
DIGEST_EVERY = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
CLAIM_LIMIT = 200  # alert lines in one e-mail at most; the rest go in the next one
HEAD_BATCH = 500  # due rows read per hint query
EVENT_COLUMNS = ("id", "kind", "title", "market", "hs_code", "effective_date", "old_value",
                 "new_value", "reference", "occurred_at", "details")
# Kinds whose effective date gets a reminder (entry into force of a tariff change, a measure,
# a notified regulation; a Working Group event's date).
REMINDED_KINDS = ("tariff.", "measure.", "notification.", "content.event")
DEADLINE_LOOKBACK = timedelta(days=366)  # notifications older than this have no deadline left


@dataclass
class WorkerRun:
    messages: int = 0  # e-mails and webhook calls accepted by the receiver
    delivered: int = 0  # outbox rows marked sent
    failed: int = 0  # outbox rows that failed this run (retried later unless permanent)
    disabled: int = 0  # channels disabled after a permanent refusal
    reminders: int = 0  # reminder rows queued this run
    notices: int = 0  # "channel disabled" notices sent this run

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


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


def _due_query(now: datetime, *columns: Any) -> Any:
    return (select(*columns)
            .join(watch_lists, watch_lists.c.id == watch_outbox.c.watch_list_id)
            .join(watch_subscribers, watch_subscribers.c.id == watch_outbox.c.subscriber_id)
            .where(watch_outbox.c.status == "pending", watch_outbox.c.next_attempt_at <= now,
                   watch_subscribers.c.confirmed_at.is_not(None)))


def _locked(conn: Connection, query: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=watch_outbox)
    return query


class _Queries:
    """The statements of one run, built once (``now`` is fixed for the run)."""

    def __init__(self, conn: Connection, now: datetime) -> None:
        # Hints of what is due (no lock kept: the claim below locks and re-checks).
        self.heads = _locked(conn, _due_query(now, watch_outbox.c.id, watch_outbox.c.channel,
                                              watch_outbox.c.subscriber_id)
                             .where(or_(_email_due(now), _webhook_due()))
                             .order_by(watch_outbox.c.id).limit(HEAD_BATCH))
        self.email = _locked(conn, _due_query(
            now, watch_outbox.c.id, watch_outbox.c.idempotency_key, watch_outbox.c.attempts,
            watch_outbox.c.purpose, watch_lists.c.frequency, watch_subscribers.c.email,
            watch_subscribers.c.language, watch_subscribers.c.unsubscribe_token,
            *(change_events.c[c] for c in EVENT_COLUMNS if c != "id"))
            .join(change_events, change_events.c.id == watch_outbox.c.event_id)
            .where(watch_outbox.c.subscriber_id == bindparam("subscriber_id"), _email_due(now))
            .order_by(watch_outbox.c.id).limit(CLAIM_LIMIT))
        self.webhook = _locked(conn, _due_query(
            now, watch_outbox.c.id, watch_outbox.c.idempotency_key, watch_outbox.c.attempts,
            watch_outbox.c.purpose, watch_outbox.c.watch_list_id,
            watch_lists.c.webhook_url, watch_lists.c.webhook_secret,
            *(change_events.c[c].label(f"event_{c}") for c in EVENT_COLUMNS))
            .join(change_events, change_events.c.id == watch_outbox.c.event_id)
            .where(watch_outbox.c.id == bindparam("outbox_id"), _webhook_due()))


class _Channels:
    """The SMTP connection and HTTP client one run reuses."""

    def __init__(self, settings: Settings) -> None:
        self.smtp = mailer.SmtpSession(settings)
        self.http = httpx.Client(headers={"user-agent": webhooks.USER_AGENT})

    def close(self) -> None:
        self.smtp.close()
        self.http.close()


def _messages(heads: list[Any]) -> list[Any]:
    """One head per message: the first due row of each subscriber's e-mail, every webhook
    row."""
    out, subscribers = [], set()
    for h in heads:
        if h.channel == "email":
            if h.subscriber_id in subscribers:
                continue
            subscribers.add(h.subscriber_id)
        out.append(h)
    return out


def run_once(db: Database, settings: Settings, now: datetime | None = None, *,
             limit: int | None = None) -> WorkerRun:
    """Queue due reminders, then deliver everything due at ``now`` (at most ``limit``
    messages), then the notices of disabled channels; returns counts.

    One connection serves the whole run; each message is its own transaction (claim with
    the row lock, send, mark sent, commit): three round trips to the database per message.
    The due rows are read in batches of hints first (:data:`HEAD_BATCH`), without keeping a
    lock: the claim locks the rows again (``SKIP LOCKED``) and re-checks they are still due,
    so a row another worker took in between is simply skipped."""
    now = now or datetime.now(UTC)
    run = WorkerRun()
    run.reminders = remind(db, settings, now)
    channels = _Channels(settings)
    seen: set[int] = set()
    try:
        with db.connect() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                # A "sent" mark lost in a database crash only means one more send of a
                # message receivers drop by its id: no need to wait for the WAL flush.
                conn.exec_driver_sql("SET synchronous_commit TO OFF")
                conn.commit()
            try:
                _deliver_all(conn, settings, channels, _Queries(conn, now), now, run, seen,
                             limit)
                notices.deliver(conn, settings, channels.smtp, channels.http, now, run)
            finally:
                if postgres:
                    conn.rollback()
                    conn.exec_driver_sql("RESET synchronous_commit")
                    conn.commit()
    finally:
        channels.close()
    return run


def _deliver_all(conn: Connection, settings: Settings, channels: _Channels, queries: _Queries,
                 now: datetime, run: WorkerRun, seen: set[int], limit: int | None) -> None:
    def room() -> bool:
        return limit is None or run.messages + run.failed < limit

    while room():
        heads = [h for h in conn.execute(queries.heads) if h.id not in seen]
        conn.commit()  # the hints' locks go at once
        if not heads:
            return
        for head in _messages(heads):
            if not room():
                return
            seen.add(head.id)
            with conn.begin():
                if head.channel == "email":
                    _deliver_email(conn, settings, channels, queries, head.subscriber_id,
                                   now, run)
                else:
                    _deliver_webhook(conn, settings, channels, queries, head.id, now, run)


def _deliver_email(conn: Connection, settings: Settings, channels: _Channels,
                   queries: _Queries, subscriber_id: int, now: datetime,
                   run: WorkerRun) -> None:
    rows = list(conn.execute(queries.email, {"subscriber_id": subscriber_id}))
    if not rows:
        return
    first = rows[0]
    ids = [r.id for r in rows]
    message = mailer.build_message(
        settings, to=first.email, language=first.language, token=first.unsubscribe_token,
        keys=[r.idempotency_key for r in rows],
        lines=[mailer.alert_line(r, r.purpose) for r in rows])
    try:
        channels.smtp.send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            reason = f"address refused permanently by the mail server: {exc.recipients}"
            _disable_email(conn, subscriber_id, reason[:500], now)
            run.disabled += 1
            run.failed += len(ids)
            return
        _retry(conn, rows, now, str(exc))
        run.failed += len(ids)
        return
    except (smtplib.SMTPException, OSError) as exc:
        _retry(conn, rows, now, f"{type(exc).__name__}: {exc}")
        run.failed += len(ids)
        return
    _mark_sent(conn, ids, now)
    if any(r.frequency in DIGEST_EVERY for r in rows):
        conn.execute(update(watch_subscribers).where(watch_subscribers.c.id == subscriber_id)
                     .values(last_digest_at=now))
    run.messages += 1
    run.delivered += len(ids)


def _deliver_webhook(conn: Connection, settings: Settings, channels: _Channels,
                     queries: _Queries, outbox_id: int, now: datetime, run: WorkerRun) -> None:
    row = conn.execute(queries.webhook, {"outbox_id": outbox_id}).first()
    if row is None:  # taken by another worker, or no longer due
        return
    event = {c: getattr(row, f"event_{c}") for c in EVENT_COLUMNS}
    kind = "tradewind.change" if row.purpose == "change" else "tradewind.reminder"
    if row.purpose != "change":
        event["reminder"] = ("comment_deadline" if row.purpose == "deadline"
                             else "takes_effect")
    payload = webhooks.body(kind, row.watch_list_id, event, now)
    try:
        webhooks.post(row.webhook_url, row.webhook_secret or "", webhooks.message_id(
            row.idempotency_key), payload, timeout=float(settings.watch_webhook_timeout),
            allow_private=bool(settings.watch_webhook_allow_private), client=channels.http)
    except webhooks.PermanentFailure as exc:
        _disable_webhook(conn, row.watch_list_id, str(exc)[:500], now)
        run.disabled += 1
        run.failed += 1
        return
    except webhooks.TemporaryFailure as exc:
        _retry(conn, [row], now, str(exc))
        run.failed += 1
        return
    _mark_sent(conn, [row.id], now)
    run.messages += 1
    run.delivered += 1


def _mark_sent(conn: Connection, ids: list[int], now: datetime) -> None:
    conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(ids))
                 .values(status="sent", sent_at=now, last_error=None,
                         attempts=watch_outbox.c.attempts + 1))


def _disable_email(conn: Connection, subscriber_id: int, reason: str, now: datetime) -> None:
    conn.execute(update(watch_subscribers).where(watch_subscribers.c.id == subscriber_id)
                 .values(disabled_reason=reason, disabled_at=now))
    notices.email_disabled(conn, subscriber_id, reason, now)
    conn.execute(update(watch_outbox).where(
        watch_outbox.c.subscriber_id == subscriber_id, watch_outbox.c.channel == "email",
        watch_outbox.c.status == "pending").values(
        status="failed", last_error=reason, attempts=watch_outbox.c.attempts + 1))


def _disable_webhook(conn: Connection, list_id: int, reason: str, now: datetime) -> None:
    conn.execute(update(watch_lists).where(watch_lists.c.id == list_id)
                 .values(webhook_disabled_reason=reason, webhook_disabled_at=now))
    notices.webhook_disabled(conn, list_id, reason, now)
    conn.execute(update(watch_outbox).where(
        watch_outbox.c.watch_list_id == list_id, watch_outbox.c.channel == "webhook",
        watch_outbox.c.status == "pending").values(
        status="failed", last_error=reason, attempts=watch_outbox.c.attempts + 1))


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


def _insert_ignore(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(watch_outbox)


def _deadline(details: Any) -> date | None:
    text = (details or {}).get("comment_deadline") if isinstance(details, dict) else None
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def remind(db: Database, settings: Settings, now: datetime | None = None) -> int:
    """Queue the second notices of dates within ``watch_reminder_days``, for every change
    that was announced earlier than that:

    * ``reminder``: a change taking effect (tariff changes, measures, a notified
      regulation's entry into force, a Working Group event's date);
    * ``deadline``: the comment deadline of a watched SPS/TBT notification.

    One row per channel that got the first announcement; idempotent (unique key per list,
    event, channel and purpose).  Returns the number of rows queued."""
    days = int(settings.watch_reminder_days)
    if days <= 0:
        return 0
    now = now or datetime.now(UTC)
    today = now.date()
    horizon = today + timedelta(days=days)
    with db.transaction() as conn:
        events = conn.execute(select(change_events.c.id, change_events.c.effective_date,
                                     change_events.c.occurred_at).where(
            or_(*(change_events.c.kind.like(f"{k}%") for k in REMINDED_KINDS)),
            change_events.c.effective_date > today,
            change_events.c.effective_date <= horizon)).all()
        wanted: dict[int, list[str]] = defaultdict(list)
        for e in events:
            if (_aware(e.occurred_at) or now).date() < e.effective_date - timedelta(days=days):
                wanted[e.id].append("reminder")
        # Comment deadlines live in the notification's details: read the watched ones.
        announced = select(watch_outbox.c.event_id).where(
            watch_outbox.c.purpose == "change").scalar_subquery()
        for e in conn.execute(select(change_events.c.id, change_events.c.details,
                                     change_events.c.occurred_at).where(
                change_events.c.kind.like("notification.%"),
                change_events.c.occurred_at >= now - DEADLINE_LOOKBACK,
                change_events.c.id.in_(announced))):
            deadline = _deadline(e.details)
            if (deadline is not None and today < deadline <= horizon
                    and (_aware(e.occurred_at) or now).date() < deadline - timedelta(days=days)):
                wanted[e.id].append("deadline")
        if not wanted:
            return 0
        originals = conn.execute(
            select(watch_outbox.c.subscriber_id, watch_outbox.c.watch_list_id,
                   watch_outbox.c.event_id, watch_outbox.c.channel)
            .where(watch_outbox.c.event_id.in_(list(wanted)),
                   watch_outbox.c.purpose == "change")
            .distinct()).all()
        rows = [{"idempotency_key": outbox_key(o.watch_list_id, o.event_id, o.channel,
                                               purpose),
                 "subscriber_id": o.subscriber_id, "watch_list_id": o.watch_list_id,
                 "event_id": o.event_id, "channel": o.channel, "status": "pending",
                 "attempts": 0, "last_error": None, "next_attempt_at": now, "sent_at": None,
                 "purpose": purpose} for o in originals for purpose in wanted[o.event_id]]
        if not rows:
            return 0
        before = conn.execute(select(func.count()).select_from(watch_outbox)).scalar_one()
        conn.execute(_insert_ignore(conn).on_conflict_do_nothing(
            index_elements=["idempotency_key"]), rows)
        after = conn.execute(select(func.count()).select_from(watch_outbox)).scalar_one()
    return int(after - before)


def outbox_rows(conn: Connection) -> list[dict[str, Any]]:
    """Every outbox row (for the CLI and tests), oldest first."""
    return [dict(r._mapping) for r in conn.execute(
        select(watch_outbox).order_by(watch_outbox.c.id))]


def queue_summary(conn: Connection) -> dict[str, Any]:
    """Counts by channel and status, the latest failures and the disabled channels (admin)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for channel, status, n in conn.execute(
            select(watch_outbox.c.channel, watch_outbox.c.status, func.count())
            .group_by(watch_outbox.c.channel, watch_outbox.c.status)):
        counts[channel][status] = int(n)
    failures = [dict(r._mapping) for r in conn.execute(
        select(watch_outbox.c.id, watch_outbox.c.idempotency_key, watch_outbox.c.channel,
               watch_outbox.c.status, watch_outbox.c.attempts, watch_outbox.c.last_error,
               watch_outbox.c.next_attempt_at, watch_subscribers.c.email)
        .join(watch_subscribers, watch_subscribers.c.id == watch_outbox.c.subscriber_id)
        .where(watch_outbox.c.last_error.is_not(None), watch_outbox.c.status != "sent")
        .order_by(watch_outbox.c.id.desc()).limit(200))]
    disabled_email = [dict(r._mapping) for r in conn.execute(
        select(watch_subscribers.c.id, watch_subscribers.c.email,
               watch_subscribers.c.disabled_reason, watch_subscribers.c.disabled_at)
        .where(watch_subscribers.c.disabled_reason.is_not(None))
        .order_by(watch_subscribers.c.id))]
    disabled_webhooks = [dict(r._mapping) for r in conn.execute(
        select(watch_lists.c.id, watch_lists.c.name, watch_lists.c.webhook_url,
               watch_lists.c.webhook_disabled_reason, watch_lists.c.webhook_disabled_at,
               watch_subscribers.c.email)
        .join(watch_subscribers, watch_subscribers.c.id == watch_lists.c.subscriber_id)
        .where(watch_lists.c.webhook_disabled_reason.is_not(None))
        .order_by(watch_lists.c.id))]
    pending = sum(c.get("pending", 0) for c in counts.values())
    return {"pending": pending, "counts": dict(counts), "failures": failures,
            "disabled_email": disabled_email, "disabled_webhooks": disabled_webhooks}


def retry(conn: Connection, outbox_id: int, now: datetime | None = None) -> bool:
    """Admin retry: the row is due again now with a fresh attempt count, and its channel is
    enabled again. False when there is no such unsent row."""
    row = conn.execute(select(watch_outbox.c.subscriber_id, watch_outbox.c.watch_list_id,
                              watch_outbox.c.channel, watch_outbox.c.status)
                       .where(watch_outbox.c.id == outbox_id)).first()
    if row is None or row.status == "sent":
        return False
    conn.execute(update(watch_outbox).where(watch_outbox.c.id == outbox_id).values(
        status="pending", attempts=0, next_attempt_at=now or datetime.now(UTC)))
    if row.channel == "email":
        conn.execute(update(watch_subscribers).where(
            watch_subscribers.c.id == row.subscriber_id).values(disabled_reason=None,
                                                                 disabled_at=None))
    else:
        conn.execute(update(watch_lists).where(watch_lists.c.id == row.watch_list_id).values(
            webhook_disabled_reason=None, webhook_disabled_at=None))
    return True


__all__ = ["WorkerRun", "outbox_rows", "queue_summary", "remind", "retry", "run_once"]

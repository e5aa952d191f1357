"""Deliver the outbox in batches: claim with a lease, send, record the outcomes in bulk.

A run claims up to ``watch_worker_batch`` due rows in one short transaction
(:mod:`tradewind.watch.claims`; ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
several workers run at once and never pick the same row; on SQLite run one worker), sends
them (one e-mail per subscriber with all their due rows, one webhook POST per row) over one
SMTP connection and one HTTP client, then records every outcome in one transaction.  A worker
killed mid-batch leaves its rows pending under a lease (``watch_worker_lease``): once it
expires they are sent again (at-least-once), with the same ``Message-ID`` / ``webhook-id`` so
that the receiver can drop the repeat.  That window is one batch wide.

Failures back off exponentially (1, 2, 4 … minutes, at most 12 hours; failed after
:data:`MAX_ATTEMPTS`).  A permanent refusal — SMTP 5xx for the recipient (bounced address),
HTTP 410 from a webhook, or a webhook URL that now resolves to a private address — disables
that channel (``watch_subscribers.disabled_reason`` / ``watch_lists.webhook_disabled_reason``),
which the manage page and the API show to the user.
"""

from __future__ import annotations

import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Connection, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.changes.models import change_events
from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import claims, drift, mailer, notices, titles, webhooks
from tradewind.watch.claims import DIGEST_EVERY, EVENT_COLUMNS
from tradewind.watch.listener import outbox_key
from tradewind.watch.models import watch_lists, watch_outbox, watch_subscribers

MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=12)
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


@dataclass
class _Outcome:
    """What happened to the messages of one batch, written by :func:`_record` at once."""

    sent: list[int] = field(default_factory=list)
    digests: set[int] = field(default_factory=set)  # subscribers whose digest went out
    drift_told: set[int] = field(default_factory=set)  # subscribers told of drift notices
    retries: list[tuple[Any, str]] = field(default_factory=list)  # (row, error)
    dead_email: dict[int, str] = field(default_factory=dict)  # subscriber → reason
    dead_hooks: dict[int, str] = field(default_factory=dict)  # list → reason


class _Channels:
    """The SMTP connection and HTTP client one run reuses."""

    def __init__(self, settings: Settings) -> None:
        self.smtp = mailer.SmtpSession(settings)
        self.http = httpx.Client(headers={"user-agent": webhooks.USER_AGENT})

    def close(self) -> None:
        self.smtp.close()
        self.http.close()


def run_once(db: Database, settings: Settings, now: datetime | None = None, *,
             limit: int | None = None) -> WorkerRun:
    """Queue due reminders, then deliver everything due at ``now`` (at most ``limit``
    messages), then the notices of disabled channels; returns counts.

    Rows are taken in batches of ``watch_worker_batch`` (:mod:`tradewind.watch.claims`: one
    claim transaction with a lease, the sends over one SMTP connection and one HTTP client,
    one transaction recording every outcome).  The lease is ``watch_worker_lease`` seconds
    from the run's clock (``now`` plus the time the run has taken); the worker stops
    sending a batch before its lease runs out and gives the rest back."""
    now = now or datetime.now(UTC)
    run = WorkerRun()
    run.reminders = remind(db, settings, now)
    drift.check(db, now)
    channels = _Channels(settings)
    try:
        with db.connect() as conn:
            postgres = conn.dialect.name == "postgresql"
            if postgres:
                # A "sent" mark lost in a database crash only means one more send of a
                # message receivers drop by its id: no need to wait for the WAL flush.
                conn.exec_driver_sql("SET synchronous_commit TO OFF")
                conn.commit()
            try:
                _deliver_all(conn, settings, channels, now, run, limit)
                notices.deliver(conn, settings, channels.smtp, channels.http, now, run)
            finally:
                if postgres:
                    conn.rollback()
                    conn.exec_driver_sql("RESET synchronous_commit")
                    conn.commit()
    finally:
        channels.close()
    return run


def _deliver_all(conn: Connection, settings: Settings, channels: _Channels, now: datetime,
                 run: WorkerRun, limit: int | None) -> None:
    claimer = claims.Claimer(conn, now, int(settings.watch_worker_batch))
    lease = timedelta(seconds=max(int(settings.watch_worker_lease), 1))
    started = time.monotonic()

    def room() -> bool:
        return limit is None or run.messages + run.failed < limit

    while room():
        batch_start = time.monotonic()
        batch = claimer.claim(conn, now + timedelta(seconds=batch_start - started), lease)
        if batch is None:
            return
        # Stop sending with a fifth of the lease left: a claim is never sent past it.
        stop_at = batch_start + lease.total_seconds() * 0.8
        outcome = _Outcome()
        extras = digest_extras(conn, batch)
        try:
            for message in batch.messages:
                if not room() or time.monotonic() > stop_at:
                    break
                first = message[0]
                if first.channel == "email":
                    if first.subscriber_id not in outcome.dead_email:
                        _send_email(settings, channels, message, extras, now, run, outcome)
                elif first.watch_list_id not in outcome.dead_hooks:
                    _send_webhook(settings, channels, first, extras, now, run, outcome)
        finally:
            with conn.begin():
                _record(conn, batch, outcome, extras, now)


@dataclass
class _Extras:
    """What a batch's messages add to their rows: titles in the recipient's language and
    the finder-query notices due in a subscriber's next digest."""

    titles: dict[tuple[int, str], titles.Title]
    drift: dict[int, list[drift.DriftNotice]]


def digest_extras(conn: Connection, batch: claims.Batch) -> _Extras:
    with conn.begin():
        return _Extras(
            titles.for_rows(conn, batch.rows),
            drift.open_for(conn, sorted({r.subscriber_id for r in batch.rows
                                         if r.channel == "email"})))


def _line(row: Any, extras: _Extras) -> mailer.AlertLine:
    title = extras.titles.get((row.event_id, row.language))
    return mailer.alert_line(row, row.purpose, title=title)


def _send_email(settings: Settings, channels: _Channels, rows: list[Any], extras: _Extras,
                now: datetime, run: WorkerRun, outcome: _Outcome) -> None:
    first = rows[0]
    ids = [r.id for r in rows]
    message = mailer.build_message(
        settings, to=first.email, language=first.language, token=first.unsubscribe_token,
        keys=[r.idempotency_key for r in rows], lines=[_line(r, extras) for r in rows],
        drift=extras.drift.get(first.subscriber_id, ()))
    try:
        channels.smtp.send(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            reason = f"address refused permanently by the mail server: {exc.recipients}"
            outcome.dead_email[first.subscriber_id] = reason[:500]
            run.disabled += 1
        else:
            outcome.retries += [(r, str(exc)) for r in rows]
        run.failed += len(ids)
        return
    except (smtplib.SMTPException, OSError) as exc:
        outcome.retries += [(r, f"{type(exc).__name__}: {exc}") for r in rows]
        run.failed += len(ids)
        return
    outcome.sent += ids
    if any(r.frequency in DIGEST_EVERY for r in rows):
        outcome.digests.add(first.subscriber_id)
    if first.subscriber_id in extras.drift:
        outcome.drift_told.add(first.subscriber_id)
    run.messages += 1
    run.delivered += len(ids)


def webhook_event(row: Any, title: titles.Title | None = None) -> dict[str, Any]:
    """The ``event`` object of a webhook payload: the change, its title in the list owner's
    language where a translation exists (``title_language`` says which)."""
    event = {"id": row.event_id, **{c: getattr(row, c) for c in EVENT_COLUMNS}}
    if title is not None:
        event["title"], event["title_language"] = title.text, title.language
    if row.purpose != "change":
        event["reminder"] = ("comment_deadline" if row.purpose == "deadline"
                             else "takes_effect")
    return event


def _send_webhook(settings: Settings, channels: _Channels, row: Any, extras: _Extras,
                  now: datetime, run: WorkerRun, outcome: _Outcome) -> None:
    kind = "tradewind.change" if row.purpose == "change" else "tradewind.reminder"
    event = webhook_event(row, extras.titles.get((row.event_id, row.language)))
    payload = webhooks.body(kind, row.watch_list_id, event, now)
    try:
        webhooks.post(row.webhook_url, row.webhook_secret or "", webhooks.message_id(
            row.idempotency_key), payload, timeout=float(settings.watch_webhook_timeout),
            allow_private=bool(settings.watch_webhook_allow_private), client=channels.http)
    except webhooks.PermanentFailure as exc:
        outcome.dead_hooks[row.watch_list_id] = str(exc)[:500]
        run.disabled += 1
        run.failed += 1
        return
    except webhooks.TemporaryFailure as exc:
        outcome.retries.append((row, str(exc)))
        run.failed += 1
        return
    outcome.sent.append(row.id)
    run.messages += 1
    run.delivered += 1


def _record(conn: Connection, batch: claims.Batch, outcome: _Outcome, extras: _Extras,
            now: datetime) -> None:
    """Every outcome of one batch in the caller's transaction: a few statements whatever
    the batch size (sent rows in one update, retries grouped by attempts and error)."""
    claims.mark_sent(conn, batch.token, outcome.sent, now)
    if outcome.digests:
        conn.execute(update(watch_subscribers)
                     .where(watch_subscribers.c.id.in_(sorted(outcome.digests)))
                     .values(last_digest_at=now))
    drift.mark_mailed(conn, [n.id for s in sorted(outcome.drift_told)
                             for n in extras.drift[s]], now)
    _retry(conn, batch.token, outcome.retries, now)
    for subscriber_id, reason in outcome.dead_email.items():
        _disable_email(conn, subscriber_id, reason, now)
    for list_id, reason in outcome.dead_hooks.items():
        _disable_webhook(conn, list_id, reason, now)
    claims.release(conn, batch.token)


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


def _retry(conn: Connection, token: str, failures: list[tuple[Any, str]],
           now: datetime) -> None:
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for row, error in failures:
        groups[(int(row.attempts), error[:1000])].append(row.id)
    for (attempts, error), ids in groups.items():
        tries = attempts + 1
        conn.execute(update(watch_outbox).where(watch_outbox.c.id.in_(ids), claims.mine(token))
                     .values(attempts=tries, last_error=error,
                             next_attempt_at=now + backoff(tries), claimed_until=None,
                             claimed_by=None,
                             status="failed" if tries >= MAX_ATTEMPTS else "pending"))


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

"""Tell the user when a channel is disabled for good, through the channel that still works.

* A webhook answered 410 (or its URL became unsafe): an e-mail to the subscriber, when their
  address is confirmed and not itself disabled.
* The address bounced (SMTP 5xx): a signed webhook ``tradewind.channel_disabled`` to every
  list of theirs that has an active webhook.  With no webhook the manage page says it (its
  notice is computed from the disabled state; nothing to send).

Notices are rows of ``watch_notices`` written in the transaction that disables the channel,
then sent by the worker like the outbox: claim (``SKIP LOCKED``), send, mark sent, commit —
never lost, and a repeat after a crash carries the same ``Message-ID`` / ``webhook-id``.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Connection, insert, select, update

from tradewind.settings import Settings
from tradewind.watch import mailer, webhooks
from tradewind.watch.models import watch_lists, watch_notices, watch_subscribers

MAX_ATTEMPTS = 8


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S")


def _row(key: str, subscriber_id: int, list_id: int | None, lost: str, via: str, reason: str,
         now: datetime) -> dict[str, Any]:
    return {"idempotency_key": key[:120], "subscriber_id": subscriber_id,
            "watch_list_id": list_id, "lost_channel": lost, "via": via, "reason": reason,
            "status": "pending", "attempts": 0, "last_error": None, "next_attempt_at": now,
            "created_at": now, "sent_at": None}


def webhook_disabled(conn: Connection, list_id: int, reason: str, now: datetime) -> int:
    """Queue the e-mail that tells the owner of list ``list_id`` its webhook is off."""
    row = conn.execute(select(watch_lists.c.subscriber_id)
                       .join(watch_subscribers,
                             watch_subscribers.c.id == watch_lists.c.subscriber_id)
                       .where(watch_lists.c.id == list_id,
                              watch_subscribers.c.confirmed_at.is_not(None),
                              watch_subscribers.c.disabled_reason.is_(None))).first()
    if row is None:
        return 0
    conn.execute(insert(watch_notices).values(**_row(
        f"notice:webhook:{list_id}:{_stamp(now)}:email", int(row.subscriber_id), list_id,
        "webhook", "email", reason, now)))
    return 1


def email_disabled(conn: Connection, subscriber_id: int, reason: str, now: datetime) -> int:
    """Queue a webhook notice to each active webhook of the subscriber whose address
    bounced."""
    hooks = conn.execute(select(watch_lists.c.id).where(
        watch_lists.c.subscriber_id == subscriber_id, watch_lists.c.webhook_url.is_not(None),
        watch_lists.c.webhook_disabled_reason.is_(None))).scalars().all()
    rows = [_row(f"notice:email:{subscriber_id}:{_stamp(now)}:webhook:{list_id}",
                 subscriber_id, int(list_id), "email", "webhook", reason, now)
            for list_id in hooks]
    if rows:
        conn.execute(insert(watch_notices), rows)
    return len(rows)


def _claim(conn: Connection, now: datetime) -> Any:
    query = (select(watch_notices, watch_subscribers.c.email, watch_subscribers.c.language,
                    watch_subscribers.c.unsubscribe_token, watch_subscribers.c.disabled_reason,
                    watch_lists.c.name.label("list_name"), watch_lists.c.webhook_url,
                    watch_lists.c.webhook_secret,
                    watch_lists.c.webhook_disabled_reason.label("hook_off"))
             .join(watch_subscribers, watch_subscribers.c.id == watch_notices.c.subscriber_id)
             .outerjoin(watch_lists, watch_lists.c.id == watch_notices.c.watch_list_id)
             .where(watch_notices.c.status == "pending",
                    watch_notices.c.next_attempt_at <= now)
             .order_by(watch_notices.c.id).limit(1))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=watch_notices)
    return conn.execute(query).first()


def _finish(conn: Connection, row: Any, now: datetime, error: str | None,
            permanent: bool = False) -> None:
    if error is None:
        values: dict[str, Any] = {"status": "sent", "sent_at": now, "last_error": None,
                                  "attempts": row.attempts + 1}
    else:
        from tradewind.watch.worker import backoff

        tries = row.attempts + 1
        values = {"attempts": tries, "last_error": error[:1000],
                  "next_attempt_at": now + backoff(tries),
                  "status": "failed" if permanent or tries >= MAX_ATTEMPTS else "pending"}
    conn.execute(update(watch_notices).where(watch_notices.c.id == row.id).values(**values))


def notice_payload(row: Any, settings: Settings, now: datetime) -> bytes:
    data = {"channel": row.lost_channel, "reason": row.reason,
            "manage_url": mailer.manage_url(settings, row.unsubscribe_token),
            "how_to_reenable": "open manage_url and ask for a new confirmation link: "
                               "following it re-enables e-mail alerts"}
    return webhooks.body("tradewind.channel_disabled", int(row.watch_list_id), data, now)


def deliver(conn: Connection, settings: Settings, smtp: mailer.SmtpSession,
            http: httpx.Client, now: datetime, run: Any) -> int:
    """Send every due notice, one transaction each; returns how many were sent."""
    sent = 0
    seen: set[int] = set()
    while True:
        with conn.begin():
            row = _claim(conn, now)
            if row is None or row.id in seen:
                return sent
            seen.add(row.id)
            if row.via == "email":
                if row.disabled_reason:  # the address died too: the manage page tells
                    _finish(conn, row, now, "e-mail disabled as well", permanent=True)
                    continue
                message = mailer.build_notice(
                    settings, to=row.email, language=row.language, token=row.unsubscribe_token,
                    key=row.idempotency_key, list_name=row.list_name or "", reason=row.reason)
                try:
                    smtp.send(message)
                except smtplib.SMTPRecipientsRefused as exc:
                    _finish(conn, row, now, str(exc), permanent=True)
                    continue
                except (smtplib.SMTPException, OSError) as exc:
                    _finish(conn, row, now, f"{type(exc).__name__}: {exc}")
                    continue
            else:
                if not row.webhook_url or row.hook_off:
                    _finish(conn, row, now, "webhook disabled as well", permanent=True)
                    continue
                try:
                    webhooks.post(row.webhook_url, row.webhook_secret or "",
                                  webhooks.message_id(row.idempotency_key),
                                  notice_payload(row, settings, now),
                                  timeout=float(settings.watch_webhook_timeout),
                                  allow_private=bool(settings.watch_webhook_allow_private),
                                  client=http)
                except webhooks.PermanentFailure as exc:
                    _finish(conn, row, now, str(exc), permanent=True)
                    continue
                except webhooks.TemporaryFailure as exc:
                    _finish(conn, row, now, str(exc))
                    continue
            _finish(conn, row, now, None)
            sent += 1
            run.notices += 1


def pending_notices(conn: Connection) -> list[dict[str, Any]]:
    """Every notice (for the CLI, the admin page and tests), oldest first."""
    return [dict(r._mapping) for r in conn.execute(
        select(watch_notices).order_by(watch_notices.c.id))]

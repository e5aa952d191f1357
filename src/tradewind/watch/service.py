"""Subscribe (rate-limited) and mail the confirmation link; send test messages to a list's
channels. Used by the API, the /watch pages and the CLI."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from tradewind.db import Database
from tradewind.errors import NotFound, TradewindError
from tradewind.i18n import _, current_language
from tradewind.i18n import lazy_noop as N_
from tradewind.ratelimit import hit
from tradewind.settings import Settings
from tradewind.watch import finder_query, lists, mailer, webhooks
from tradewind.watch.lists import WatchItem
from tradewind.watch.models import watch_subscribers

log = logging.getLogger(__name__)
SIGNUP_WINDOW = 3600


class TooManySignups(TradewindError):
    status_code = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _throttle(db: Database, settings: Settings, email: str, client: str | None) -> None:
    """Count one sign-up for the address and for the client; TooManySignups when over."""
    address = lists.normalize_email(email)
    checks = [(f"watch:email:{address}", int(settings.watch_signups_per_address))]
    if client:
        checks.append((f"watch:client:{client}", int(settings.watch_signups_per_client)))
    with db.transaction() as conn:
        for key, limit in checks:
            wait = hit(conn, key, limit=limit, window=SIGNUP_WINDOW)
            if wait is not None:
                minutes = max(1, (wait + 59) // 60)
                raise TooManySignups(
                    _("Too many sign-ups from this address or network. Please try again in "
                      "%(minutes)s minute(s).", minutes=minutes), wait)


def build_items(hs: Sequence[str], markets: Sequence[str], *,
                topics: Sequence[WatchItem] = (), query: str | None = None) -> list[WatchItem]:
    """The items of one sign-up: ``hs`` × ``markets`` (``hs`` being the confirmed finder
    codes when ``query`` is given), plus topic items."""
    if query is not None and query.strip():
        items = finder_query.query_items(query, hs, markets)
    elif hs or markets or not topics:
        items = [WatchItem(h or None, m or None) for h in (list(hs) or [""])
                 for m in (list(markets) or [""])]
    else:
        items = []
    return [*items, *topics]


def request_subscription(db: Database, settings: Settings, email: str, hs: Sequence[str],
                         markets: Sequence[str], *, frequency: str = "immediate",
                         language: str = "en", webhook_url: str | None = None,
                         client: str | None = None, topics: Sequence[WatchItem] = (),
                         query: str | None = None) -> lists.Subscription:
    """Create a pending list and mail the confirmation link; a mail failure is logged only
    (the person can ask again), the pending list stays.  Sign-ups are limited per address
    and per client (``client``: the caller's network address).  ``topics``: topic items
    (:func:`lists.topic_item`); ``query``: the finder words ``hs`` were confirmed from."""
    items = build_items(hs, markets, topics=topics, query=query)
    with db.connect() as conn:  # refuse bad input before counting it against the limit
        for item in items:
            lists.validate_item(conn, item)
    _throttle(db, settings, email, client)
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, items, language=language, frequency=frequency,
                              webhook_url=webhook_url,
                              allow_private=bool(settings.watch_webhook_allow_private))
    message = mailer.build_confirmation(settings, to=sub.email, language=language,
                                        token=sub.confirm_token)
    try:
        mailer.send(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("confirmation mail to %s failed: %s", sub.email, exc)
    return sub


def request_email_reenable(db: Database, settings: Settings, token: str) -> str:
    """Mail a confirmation link to the address behind ``token``; following it re-enables
    the e-mail channel after a bounce.  Returns the address.  Raises on mail failure (the
    person sees it at once and can try again)."""
    with db.transaction() as conn:
        address, language, confirm = lists.reenable_email(conn, token)
    mailer.send(settings, mailer.build_confirmation(settings, to=address, language=language,
                                                    token=confirm))
    return address


def send_test(db: Database, settings: Settings, list_id: int) -> dict[str, Any]:
    """Send one test message to each channel of list ``list_id`` now (not via the outbox);
    returns ``{"email": "sent"|error, "webhook": "sent"|error|None}``."""
    with db.connect() as conn:
        found = [w for w in lists.list_watches(conn) if w.id == list_id]
    if not found:
        raise NotFound(N_("no watch list %(list_id)s"), list_id=list_id)
    wl = found[0]
    with db.connect() as conn:
        row = conn.execute(select(watch_subscribers.c.language,
                                  watch_subscribers.c.unsubscribe_token)
                           .where(watch_subscribers.c.id == wl.subscriber_id)).one()
    now = datetime.now(UTC)
    reset = current_language.set(row.language)
    try:
        title = _("Test message from Tradewind: your watch list works")
    finally:
        current_language.reset(reset)
    result: dict[str, Any] = {"list_id": list_id, "email": None, "webhook": None}
    message = mailer.build_message(
        settings, to=wl.email, language=row.language, token=row.unsubscribe_token,
        lines=[mailer.AlertLine(title, "test", None, None, None, None, None)], subject=title)
    try:
        mailer.send(settings, message)
        result["email"] = "sent"
    except (smtplib.SMTPException, OSError) as exc:
        result["email"] = f"failed: {type(exc).__name__}: {exc}"
    if wl.webhook_url:
        payload = webhooks.body("tradewind.test", list_id, {"title": title}, now)
        try:
            webhooks.post(wl.webhook_url, wl.webhook_secret or "",
                          f"msg_test_{list_id}_{int(now.timestamp())}", payload,
                          timeout=float(settings.watch_webhook_timeout),
                          allow_private=bool(settings.watch_webhook_allow_private))
            result["webhook"] = "sent"
        except (webhooks.PermanentFailure, webhooks.TemporaryFailure) as exc:
            result["webhook"] = f"failed: {exc}"
    return result

"""Subscribe and mail the confirmation link (used by the API and the /watch page)."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch import lists, mailer
from tradewind.watch.lists import WatchItem

log = logging.getLogger(__name__)


def request_subscription(db: Database, settings: Settings, email: str, hs: Sequence[str],
                         markets: Sequence[str], *, frequency: str = "immediate",
                         language: str = "en") -> lists.Subscription:
    """Create a pending list and mail the confirmation link; a mail failure is logged only
    (the person can ask again), the pending list stays."""
    items = [WatchItem(h or None, m or None) for h in (list(hs) or [""])
             for m in (list(markets) or [""])]
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, items, language=language, frequency=frequency)
    message = mailer.build_confirmation(settings, to=sub.email, language=language,
                                        token=sub.confirm_token)
    try:
        mailer.send(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("confirmation mail to %s failed: %s", sub.email, exc)
    return sub

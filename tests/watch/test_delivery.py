"""Subscribe, confirm, match events and deliver through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.watch import lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.models import watch_subscribers
from tradewind.watch.worker import outbox_rows, run_once

from .conftest import Inbox, free_port, mail_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _subscribe(db: Database, email: str, hs: str = "0901", market: str = "DEU",
               confirm: bool = True, language: str = "en") -> lists.Subscription:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, [WatchItem(hs, market)], language=language, now=NOW)
        if confirm:
            lists.confirm(conn, sub.confirm_token, now=NOW)
    return sub


def _change(db: Database, market: str = "EUN", hs: str = "09011100") -> None:
    with db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", f"MFN duty on {hs} in {market}", market=market,
                                  hs_code=hs, effective_date=date(2026, 1, 1),
                                  old_value="7.5%", new_value="5%")], now=NOW)


def test_watched_change_reaches_the_inbox_exactly_once(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    sub = _subscribe(watch_db, "ana@example.org", market="DEU", language="fr")
    _change(watch_db, market="EUN")  # DEU is an EU member: the EU schedule change matches
    _change(watch_db, market="USA")  # not watched
    first = run_once(watch_db, settings, NOW + timedelta(seconds=1))
    second = run_once(watch_db, settings, NOW + timedelta(seconds=2))
    assert (first.messages, first.delivered, second.messages) == (1, 1, 0)
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["To"] == "ana@example.org"
    url = f"https://tradewind.example/watch/unsubscribe?token={sub.unsubscribe_token}"
    assert msg["List-Unsubscribe"] == f"<{url}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    types = [part.get_content_type() for part in msg.walk()]
    assert "text/plain" in types and "text/html" in types
    plain = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    body = plain.get_content()
    assert "7.5% → 5%" in body and "à partir du 2026-01-01" in body
    assert msg["Content-Language"] == "fr"
    assert "changement(s) que vous suivez" in msg["Subject"]
    with watch_db.connect() as conn:
        rows = outbox_rows(conn)
    assert [(r["status"], r["idempotency_key"]) for r in rows] == [
        ("sent", f"{sub.list_id}:{rows[0]['event_id']}")]


def test_group_watch_matches_member_event_and_ended_membership_does_not(
        watch_db: Database) -> None:
    _subscribe(watch_db, "eu@example.org", hs="09", market="EUN")
    _change(watch_db, market="DEU")  # member in 2026: matches
    _change(watch_db, market="GBR")  # left in 2020: no match
    with watch_db.connect() as conn:
        assert len(outbox_rows(conn)) == 1


def test_unconfirmed_subscriber_gets_nothing(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    _subscribe(watch_db, "pending@example.org", confirm=False)
    _change(watch_db)
    run = run_once(watch_db, mail_settings(watch_db, tmp_path, port), NOW + timedelta(hours=1))
    assert run.messages == 0 and inbox.messages == []
    with watch_db.connect() as conn:
        assert outbox_rows(conn) == []


def test_smtp_down_keeps_row_pending_then_delivers_once(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    _subscribe(watch_db, "bo@example.org")
    _change(watch_db)
    # Nothing listens on the configured port: connection refused.
    down = run_once(watch_db, mail_settings(watch_db, tmp_path, free_port()), NOW)
    assert down.failed == 1
    with watch_db.connect() as conn:
        (row,) = outbox_rows(conn)
    assert row["status"] == "pending" and row["attempts"] == 1 and row["last_error"]
    settings = mail_settings(watch_db, tmp_path, port)
    assert run_once(watch_db, settings, NOW + timedelta(seconds=10)).messages == 0  # backing off
    later = NOW + timedelta(hours=1)
    assert run_once(watch_db, settings, later).delivered == 1
    assert run_once(watch_db, settings, later + timedelta(hours=1)).messages == 0
    assert len(inbox.messages) == 1


def test_permanent_refusal_disables_subscriber(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    inbox.refuse.add("gone@example.org")
    _subscribe(watch_db, "gone@example.org")
    _change(watch_db)
    run = run_once(watch_db, mail_settings(watch_db, tmp_path, port), NOW + timedelta(hours=1))
    assert run.disabled == 1
    with watch_db.connect() as conn:
        reason = conn.execute(select(watch_subscribers.c.disabled_reason)).scalar_one()
        assert "550" in reason
        assert outbox_rows(conn)[0]["status"] == "failed"


@pytest.mark.parametrize(("email", "hs", "market", "message"), [
    ("not-an-address", "0901", "DEU", "not a valid e-mail address"),
    ("a@example.org", "090", "DEU", "must have 2, 4 or 6 digits"),
    ("a@example.org", "0999", "DEU", "is not in HS2022"),
    ("a@example.org", "0901", "XYZ", "unknown market"),
])
def test_bad_input_is_refused_with_clear_errors(watch_db: Database, email: str, hs: str,
                                                market: str, message: str) -> None:
    with watch_db.transaction() as conn, pytest.raises(InvalidInput, match=message):
        lists.subscribe(conn, email, [WatchItem(hs, market)])


def test_confirm_and_unsubscribe_tokens(watch_db: Database) -> None:
    sub = _subscribe(watch_db, "cy@example.org", confirm=False)
    with watch_db.connect() as conn:
        stored = conn.execute(select(watch_subscribers.c.confirm_token_hash)).scalar_one()
    assert stored != sub.confirm_token and stored == lists.token_hash(sub.confirm_token)
    with watch_db.transaction() as conn:
        assert lists.confirm(conn, sub.confirm_token) == "cy@example.org"
        with pytest.raises(NotFound):
            lists.confirm(conn, sub.confirm_token)
        assert [w.confirmed for w in lists.list_watches(conn)] == [True]
        lists.unsubscribe(conn, sub.unsubscribe_token)
        assert lists.list_watches(conn) == []

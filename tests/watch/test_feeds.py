"""Atom and iCalendar feeds per watch list, and reminders before future tariff changes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.errors import NotFound
from tradewind.watch import feeds, lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import outbox_rows, remind, run_once
from tradewind.web.app import create_app

from .conftest import Inbox, Receiver, mail_settings

ATOM = "{http://www.w3.org/2005/Atom}"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TAKES_EFFECT = date(2026, 4, 1)


def _watch(db: Database, hook: str | None = None) -> lists.WatchListInfo:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, "feed@example.org", [WatchItem("0901", "KEN")],
                              webhook_url=hook, allow_private=True, now=T0)
        lists.confirm(conn, sub.confirm_token, now=T0)
        return lists.list_watches(conn)[0]


def _events(db: Database) -> None:
    with db.transaction() as conn:
        record(conn, [
            ChangeEvent("tariff.mfn", "MFN duty on coffee in KEN", market="KEN",
                        hs_code="09011100", effective_date=TAKES_EFFECT, old_value="10%",
                        new_value="5%"),
            ChangeEvent("tariff.mfn", "Old change on coffee", market="KEN", hs_code="09011190",
                        effective_date=date(2025, 1, 1), old_value="1%", new_value="2%"),
            ChangeEvent("notification.deadline", "Comments due: G/SPS/N/KEN/1 <coffee & tea>",
                        market="KEN", hs_code="0901", effective_date=date(2026, 3, 20)),
            ChangeEvent("tariff.mfn", "Not watched", market="USA", hs_code="09011100",
                        effective_date=TAKES_EFFECT),
        ], now=T0)


def test_atom_feed_lists_the_changes_of_the_list(watch_db: Database, tmp_path: Path) -> None:
    wl = _watch(watch_db)
    _events(watch_db)
    settings = mail_settings(watch_db, tmp_path, 25)
    with watch_db.connect() as conn:
        doc = ET.fromstring(feeds.atom(conn, settings, wl.feed_token))
    titles = [e.findtext(f"{ATOM}title") for e in doc.findall(f"{ATOM}entry")]
    assert titles == ["Comments due: G/SPS/N/KEN/1 <coffee & tea>", "Old change on coffee",
                      "MFN duty on coffee in KEN"]
    summary = doc.findall(f"{ATOM}entry")[2].findtext(f"{ATOM}summary") or ""
    assert "10% → 5%" in summary
    link = doc.find(f"{ATOM}link[@rel='self']")
    assert link is not None and link.get("href", "").endswith(f"/{wl.feed_token}.atom")
    with watch_db.connect() as conn, pytest.raises(NotFound):
        feeds.atom(conn, settings, "wrong-token")


def test_icalendar_feed_has_the_upcoming_dates_only(watch_db: Database, tmp_path: Path) -> None:
    wl = _watch(watch_db)
    _events(watch_db)
    with watch_db.connect() as conn:
        text = feeds.icalendar(conn, mail_settings(watch_db, tmp_path, 25), wl.feed_token,
                               today=T0.date())
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == 2
    assert "DTSTART;VALUE=DATE:20260320" in unfolded  # comment deadline
    assert "DTSTART;VALUE=DATE:20260401" in unfolded  # entry into force
    assert "SUMMARY:Comment deadline: Comments due: G/SPS/N/KEN/1 <coffee & tea>" in unfolded
    assert "20250101" not in unfolded and "Not watched" not in unfolded
    assert "DESCRIPTION:MFN duty on coffee in KEN [KEN 09011100] 10% → 5% from 2026-04-01" \
        in unfolded.replace("\\,", ",")


def test_feeds_over_http(watch_db: Database, tmp_path: Path) -> None:
    wl = _watch(watch_db)
    _events(watch_db)
    with TestClient(create_app(mail_settings(watch_db, tmp_path, 25), db=watch_db)) as client:
        atom = client.get(f"/watch/feeds/{wl.feed_token}.atom")
        assert atom.status_code == 200 and "application/atom+xml" in atom.headers["content-type"]
        ics = client.get(f"/watch/feeds/{wl.feed_token}.ics")
        assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
        assert client.get("/watch/feeds/nope.atom").status_code == 404


def test_future_change_is_announced_then_reminded_once(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port, watch_reminder_days=7)
    _watch(watch_db, hook=receiver.url)
    _events(watch_db)
    announced = run_once(watch_db, settings, T0 + timedelta(seconds=1))
    assert announced.reminders == 0 and len(inbox.messages) == 1
    assert len(receiver.requests) == 3  # one webhook per event, the USA one is not watched
    # 10 days before: not yet; 6 days before: the reminder, once.
    assert remind(watch_db, settings, datetime(2026, 3, 22, tzinfo=UTC)) == 0
    before = datetime(2026, 3, 26, 8, 0, tzinfo=UTC)
    run = run_once(watch_db, settings, before)
    assert run.reminders == 2 and run.messages == 2  # e-mail and webhook
    assert remind(watch_db, settings, before + timedelta(hours=1)) == 0
    assert run_once(watch_db, settings, before + timedelta(days=1)).messages == 0
    assert len(inbox.messages) == 2
    body = inbox.messages[1].get_body(("plain",))
    assert body is not None and "Reminder: MFN duty on coffee in KEN" in body.get_content()
    reminder = json.loads(receiver.requests[-1][1])
    assert reminder["type"] == "tradewind.reminder"
    assert reminder["data"]["event"]["effective_date"] == "2026-04-01"
    with watch_db.connect() as conn:
        purposes = sorted(r["purpose"] for r in outbox_rows(conn))
    assert purposes.count("reminder") == 2


def test_change_announced_close_to_its_date_gets_no_second_notice(
        watch_db: Database, tmp_path: Path) -> None:
    _watch(watch_db)
    with watch_db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "Soon", market="KEN", hs_code="09011100",
                                  effective_date=date(2026, 3, 5))], now=T0)
    assert remind(watch_db, mail_settings(watch_db, tmp_path, 25), T0 + timedelta(days=1)) == 0
    assert remind(watch_db, mail_settings(watch_db, tmp_path, 25, watch_reminder_days=0),
                  T0) == 0

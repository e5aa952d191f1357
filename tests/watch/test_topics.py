"""Topic watches: a member's SPS/TBT notifications, content sections and Working Group events,
from the real importers and editor saves to a real SMTP server and HTTP receiver, exactly
once; comment-deadline and event-date reminders; bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook

from tests.notifications.fixtures import write_json
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
from tradewind.knowledge import queries as knowledge
from tradewind.watch import feeds, lists
from tradewind.watch.lists import WatchItem, topic_item
from tradewind.watch.worker import outbox_rows, remind, run_once
from tradewind.workinggroup import queries as wg

from .conftest import Inbox, Receiver, mail_settings

TODAY = datetime.now(UTC).date()


def _later(seconds: int = 1) -> datetime:
    """Events are recorded at the real time: the worker runs just after it."""
    return datetime.now(UTC) + timedelta(seconds=seconds)


def _watch(db: Database, email: str, items: list[WatchItem], hook: str | None = None
           ) -> lists.Subscription:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, items, webhook_url=hook, allow_private=True)
        lists.confirm(conn, sub.confirm_token)
    return sub


def _notice(symbol: str, member: str, area: str, hs: list[str], *,
            deadline: date | None = None, title: str = "A regulation") -> dict[str, Any]:
    return {"DocumentSymbol": symbol, "Area": area, "NotifyingMember": member,
            "DistributionDate": TODAY.isoformat(), "Title": title, "HSCodes": hs,
            "CommentDeadline": deadline.isoformat() if deadline else None,
            "EntryIntoForce": (TODAY + timedelta(days=120)).isoformat()}


def _import(db: Database, tmp_path: Path, records: list[dict[str, Any]],
            name: str = "n.json") -> None:
    import_wto_notifications_json(db, write_json(tmp_path / name, records), infer=None)


def _plain(message: Any) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_member_notifications_reach_inbox_and_receiver_once(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    sub = _watch(watch_db, "ken@example.org",
                 [topic_item("notifications", member="Kenya", area="SPS")], hook=receiver.url)
    _import(watch_db, tmp_path, [
        # Three HS codes: one notification, one line (not three).
        _notice("G/SPS/N/KEN/900", "Kenya", "SPS", ["0901", "0902", "090111"],
                title="Aflatoxin limits"),
        _notice("G/TBT/N/KEN/901", "Kenya", "TBT", ["0901"], title="Coffee labels"),  # area
        _notice("G/SPS/N/UGA/902", "Uganda", "SPS", ["0901"], title="Ugandan rule"),  # member
    ])
    first = run_once(watch_db, settings, _later())
    second = run_once(watch_db, settings, _later(2))
    assert (first.messages, second.messages) == (2, 0)  # one e-mail, one webhook
    (mail,) = inbox.messages
    text = _plain(mail)
    assert text.count("G/SPS/N/KEN/900") == 1
    assert "KEN/901" not in text and "UGA" not in text
    (request,) = receiver.requests
    with watch_db.connect() as conn:
        (wl,) = lists.list_watches(conn)
    payload = Webhook(wl.webhook_secret or "").verify(request[1], request[0])
    assert payload["data"]["event"]["reference"] == "G/SPS/N/KEN/900"
    assert payload["data"]["event"]["details"]["area"] == "SPS"
    with watch_db.connect() as conn:
        rows = outbox_rows(conn)
    assert sorted(r["channel"] for r in rows) == ["email", "webhook"]
    assert all(r["status"] == "sent" and r["watch_list_id"] == sub.list_id for r in rows)
    assert wl.items[0].topic == "notifications" and wl.items[0].market == "KEN"


def test_both_areas_when_none_is_chosen(watch_db: Database, tmp_path: Path) -> None:
    _watch(watch_db, "both@example.org", [topic_item("notifications", member="KEN")])
    _import(watch_db, tmp_path, [_notice("G/SPS/N/KEN/910", "Kenya", "SPS", ["0901"]),
                                 _notice("G/TBT/N/KEN/911", "Kenya", "TBT", [])])
    with watch_db.connect() as conn:
        assert len(outbox_rows(conn)) == 2


def test_content_sections_and_events(watch_db: Database, smtp: tuple[Inbox, int],
                                     tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    _watch(watch_db, "guides@example.org", [topic_item("section", section="guides")])
    events = _watch(watch_db, "wg@example.org", [topic_item("events")])
    _watch(watch_db, "coffee@example.org", [WatchItem("0901", "DEU")])  # products only
    guide = {"slug": "export-coffee", "lang": "en", "audience": "business", "order": 1,
             "title": "Exporting coffee", "summary": "How to", "body": "Text", "topics": [],
             "tools": [], "sources": []}
    start = datetime.combine(TODAY + timedelta(days=30), datetime.min.time(), tzinfo=UTC)
    meeting = {"slug": "wg-meeting", "title": "Working Group meeting", "start": start,
               "end": None, "place": "Geneva", "online": False, "agenda": "", "url": ""}
    with watch_db.transaction() as conn:
        knowledge.save_guide(conn, guide, "editor@example.org")
        knowledge.save_guide(conn, guide, "editor@example.org")  # unchanged: no event
        knowledge.save_library_entry(conn, {
            "slug": "itc-guide", "title": "ITC guide", "organisation": "ITC", "type": "guide",
            "topics": [], "languages": ["en"], "url": "https://example.org", "year": 2024,
            "summary": "S"}, "editor@example.org")  # the library section is not watched
        wg.save_event(conn, meeting, "editor@example.org")
    with watch_db.transaction() as conn:
        knowledge.save_guide(conn, {**guide, "title": "Exporting coffee (2nd ed.)"}, "ed")
    run_once(watch_db, settings, _later())
    run_once(watch_db, settings, _later(2))
    by_to: dict[str, list[str]] = {}
    for m in inbox.messages:
        by_to.setdefault(str(m["To"]), []).append(_plain(m))
    assert set(by_to) == {"guides@example.org", "wg@example.org"}
    (guides_mail,) = by_to["guides@example.org"]
    assert "Exporting coffee" in guides_mail and "(2nd ed.)" in guides_mail
    assert "ITC guide" not in guides_mail
    (wg_mail,) = by_to["wg@example.org"]
    assert "Working Group meeting" in wg_mail
    with watch_db.connect() as conn:
        ics = feeds.icalendar(conn, settings, _token(conn, events.list_id))
    assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in ics and "Event: Working Group" in ics
    # Seven days before the meeting: its reminder, once.
    reminder_day = start - timedelta(days=6)
    settings7 = mail_settings(watch_db, tmp_path, port, watch_reminder_days=7)
    assert remind(watch_db, settings7, reminder_day) == 1
    assert remind(watch_db, settings7, reminder_day) == 0
    assert run_once(watch_db, settings7, reminder_day).messages == 1
    assert "Reminder: Working Group meeting" in _plain(inbox.messages[-1])


def _token(conn: Any, list_id: int) -> str:
    return next(w.feed_token for w in lists.list_watches(conn) if w.id == list_id)


def test_comment_deadline_reminder_and_calendar(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port, watch_reminder_days=7)
    sub = _watch(watch_db, "dl@example.org", [WatchItem("0901", "KEN")], hook=receiver.url)
    deadline = TODAY + timedelta(days=30)
    _import(watch_db, tmp_path, [_notice("G/SPS/N/KEN/920", "Kenya", "SPS",
                                         ["090111", "0902"], deadline=deadline)])
    assert run_once(watch_db, settings, _later()).messages == 2
    with watch_db.connect() as conn:
        ics = feeds.icalendar(conn, settings, _token(conn, sub.list_id))
    assert f"DTSTART;VALUE=DATE:{deadline:%Y%m%d}" in ics and "Comment deadline:" in ics
    at = datetime.combine(deadline - timedelta(days=5), datetime.min.time(), tzinfo=UTC)
    # Entry into force is 120 days away: only the deadline is due; one row per channel.
    assert remind(watch_db, settings, at) == 2
    run = run_once(watch_db, settings, at)
    assert (run.reminders, run.messages) == (0, 2)
    assert run_once(watch_db, settings, at + timedelta(hours=1)).messages == 0
    text = _plain(inbox.messages[-1])
    assert "Comment deadline approaching" in text and deadline.isoformat() in text
    hook = json.loads(receiver.requests[-1][1])
    assert hook["type"] == "tradewind.reminder"
    assert hook["data"]["event"]["reminder"] == "comment_deadline"
    with watch_db.connect() as conn:
        purposes = sorted(r["purpose"] for r in outbox_rows(conn))
    assert purposes == ["change", "change", "deadline", "deadline"]


def test_entry_into_force_of_a_measure_is_reminded(
        watch_db: Database, tmp_path: Path) -> None:
    from tradewind.changes.events import ChangeEvent, record

    _watch(watch_db, "m@example.org", [WatchItem("0901", "KEN")])
    start = datetime(2026, 1, 5, tzinfo=UTC)
    with watch_db.transaction() as conn:
        record(conn, [ChangeEvent("measure.new", "Phytosanitary certificate", market="KEN",
                                  hs_code="090111", effective_date=date(2026, 3, 1))],
               now=start)
    settings = mail_settings(watch_db, tmp_path, 25, watch_reminder_days=7)
    assert remind(watch_db, settings, datetime(2026, 2, 25, tzinfo=UTC)) == 1


@pytest.mark.parametrize(("call", "field"), [
    (lambda: topic_item("notifications", member=""), "member"),
    (lambda: topic_item("section", section="recipes"), "section"),
    (lambda: topic_item("weather"), "topic"),
])
def test_bad_topics_are_refused(call: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        call()
    assert exc.value.field == field


def test_bad_topic_values_are_refused_on_save(watch_db: Database) -> None:
    with watch_db.transaction() as conn:
        for item, field in [
                (topic_item("notifications", member="Atlantis"), "member"),
                (topic_item("notifications", member="KEN", area="GATT"), "area"),
                (WatchItem("0901", "KEN", area="SPS"), "area")]:
            with pytest.raises(InvalidInput) as exc:
                lists.subscribe(conn, "bad@example.org", [item])
            assert exc.value.field == field, item
            if field == "member":
                assert "Atlantis" in str(exc.value)

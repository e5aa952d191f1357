"""A re-imported tariff schedule records tariff.mfn events only for changed rates; a watched one
reaches the subscriber's inbox exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tradewind.changes.events import recent_events
from tradewind.db import Database
from tradewind.ingest.tariff_csv import import_tariff_csv
from tradewind.watch import lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import run_once

from .conftest import Inbox, mail_settings

HEADER = ("economy,national_code,hs6,description,unit,rate_type,origin,agreement,duty,"
          "valid_from,valid_to,quota_volume,quota_unit\n")


def _schedule(tmp_path: Path, name: str, coffee: str, other: str = "Free") -> Path:
    path = tmp_path / name
    path.write_text(HEADER
                    + f"KEN,09011100,090111,Coffee not roasted,kg,mfn,,,{coffee},2026-01-01,,,\n"
                    + f"KEN,09011190,090111,Other coffee,kg,mfn,,,{other},2026-01-01,,,\n"
                    + "KEN,09011100,090111,Coffee not roasted,kg,preferential,UGA,,Free,,,,\n",
                    encoding="utf-8")
    return path


def test_changed_watched_line_is_mailed_once(watch_db: Database, smtp: tuple[Inbox, int],
                                             tmp_path: Path) -> None:
    inbox, port = smtp
    import_tariff_csv(watch_db, _schedule(tmp_path, "v1.csv", "25%"))
    with watch_db.connect() as conn:
        first = recent_events(conn, kinds=["tariff.mfn"])
    assert sorted(e["hs_code"] for e in first) == ["09011100", "09011190"]  # new lines

    with watch_db.transaction() as conn:
        sub = lists.subscribe(conn, "kim@example.org", [WatchItem("090111", "KEN")])
        lists.confirm(conn, sub.confirm_token)
    import_tariff_csv(watch_db, _schedule(tmp_path, "v1-again.csv", "25%"))  # nothing changed
    import_tariff_csv(watch_db, _schedule(tmp_path, "v2.csv", "10%"))
    with watch_db.connect() as conn:
        events = recent_events(conn, kinds=["tariff.mfn"])
    changed = events[0]
    assert len(events) == 3
    assert (changed["hs_code"], changed["old_value"], changed["new_value"]) == (
        "09011100", "25%", "10%")

    settings = mail_settings(watch_db, tmp_path, port)
    now = datetime.now(UTC) + timedelta(seconds=1)
    assert run_once(watch_db, settings, now).delivered == 1
    assert run_once(watch_db, settings, now + timedelta(minutes=5)).messages == 0
    assert len(inbox.messages) == 1
    body = inbox.messages[0].get_body(("plain",))
    assert body is not None and "25% → 10%" in body.get_content()

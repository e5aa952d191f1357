"""WTO notification importers (JSON search layout and .xlsx export): crafted fixtures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.notifications.fixtures import RECORDS, counts, fake_infer, write_json, write_xlsx
from tradewind.changes.models import change_events
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
from tradewind.ingest.wto_notifications_xlsx import import_wto_notifications_xlsx
from tradewind.notifications.queries import get_notification


def test_json_import(db: Database, tmp_path: Path) -> None:
    result = import_wto_notifications_json(db, write_json(tmp_path / "n.json"),
                                           infer=fake_infer)
    assert (result.notifications, result.hs_inferred) == (4, 1)
    with db.connect() as conn:
        eu = get_notification(conn, "G/SPS/N/EU/712")
        assert eu is not None
        assert (eu.member, eu.area, eu.kind, eu.base_symbol) == ("EUN", "SPS", "regular",
                                                                 "G/SPS/N/EU/712")
        assert eu.hs_codes == ["090121", "0902"] and not eu.hs_inferred
        assert eu.ics_codes == ["67.140"] and eu.countries == []
        assert eu.comment_deadline == date(2026, 4, 30)
        assert eu.document_url == "https://example.org/712"
        add = get_notification(conn, "G/SPS/N/EU/712/Add.1")
        assert add is not None and add.kind == "addendum" and add.base_symbol == eu.symbol
        us = get_notification(conn, "G/TBT/N/USA/1964")
        assert us is not None and us.distribution_date == date(2026, 5, 15)
        assert us.comment_deadline == date(2026, 7, 14) and us.countries == ["BRA", "KEN"]
        ken = get_notification(conn, "G/TBT/N/KEN/123")
        assert ken is not None and ken.hs_codes == ["090121"] and ken.hs_inferred
        events = conn.execute(select(change_events.c.kind, change_events.c.market,
                                     change_events.c.hs_code, change_events.c.reference)
                              .order_by(change_events.c.id)).all()
    assert ("notification.new", "EUN", "090121", "G/SPS/N/EU/712") in events
    assert ("notification.addendum", "EUN", "090121", "G/SPS/N/EU/712/Add.1") in events
    assert ("notification.new", "KEN", "090121", "G/TBT/N/KEN/123") in events
    assert len(events) == result.events == 5


def test_json_wrapper_and_variants(db: Database, tmp_path: Path) -> None:
    records = [{"symbol": "G/SPS/N/KEN/123/Rev.2", "area": "sps", "notifying_member": "Kenya",
                "Date of distribution": "2026-01-02T00:00:00", "title": "Aflatoxin",
                "ProductsCovered": "maize", "HS Code": "1005"}]
    result = import_wto_notifications_json(db, write_json(tmp_path / "w.json", records,
                                                          wrapper="items"), infer=None)
    assert result.notifications == 1
    with db.connect() as conn:
        n = get_notification(conn, "G/SPS/N/KEN/123/Rev.2")
        kind = conn.execute(select(change_events.c.kind)).scalar_one()
    assert n is not None and n.kind == "revision" and n.hs_codes == ["1005"]
    assert kind == "notification.revised"


def test_emergency_kind(db: Database, tmp_path: Path) -> None:
    records = [{"DocumentSymbol": "G/SPS/N/JPN/5", "NotificationType": "Emergency",
                "DistributionDate": "2026-02-01", "Title": "Urgent ban", "HSCodes": "0207"}]
    import_wto_notifications_json(db, write_json(tmp_path / "e.json", records), infer=None)
    with db.connect() as conn:
        n = get_notification(conn, "G/SPS/N/JPN/5")
        kind = conn.execute(select(change_events.c.kind)).scalar_one()
    assert n is not None and (n.kind, n.member, n.area) == ("emergency", "JPN", "SPS")
    assert kind == "notification.new"


def _refused(db: Database, path: Path, match: str, importer=import_wto_notifications_json,
             ) -> ImportFailed:
    before = counts(db)
    with pytest.raises(ImportFailed, match=match) as info:
        importer(db, path, infer=fake_infer)
    assert counts(db) == before
    assert str(path) in str(info.value)
    return info.value


def test_json_refusals(db: Database, tmp_path: Path) -> None:
    good = write_json(tmp_path / "good.json")
    text = good.read_text("utf-8")
    truncated = tmp_path / "t.json"
    truncated.write_text(text[: len(text) // 2], "utf-8")
    assert _refused(db, truncated, "truncated").line is not None
    empty = tmp_path / "e.json"
    empty.write_text("", "utf-8")
    _refused(db, empty, "empty")
    _refused(db, write_json(tmp_path / "none.json", []), "empty")
    latin = tmp_path / "l.json"
    latin.write_bytes(text.replace("Lowers MRLs.", "Réduit").encode("latin-1"))
    expected = text[: text.index("Lowers MRLs.")].count("\n") + 1
    assert _refused(db, latin, "UTF-8").line == expected
    dup = write_json(tmp_path / "d.json", [*RECORDS, RECORDS[0]])
    err = _refused(db, dup, "duplicate symbol G/SPS/N/EU/712")
    assert err.line is not None and err.line > 40 and err.field == "DocumentSymbol"
    bad_date = [dict(RECORDS[0], CommentDeadline="31/31/2026")]
    err = _refused(db, write_json(tmp_path / "bd.json", bad_date), "bad date")
    assert (err.line, err.field) == (2, "CommentDeadline")
    bad_symbol = [dict(RECORDS[0], DocumentSymbol="G/SPS/EU/712")]
    _refused(db, write_json(tmp_path / "bs.json", bad_symbol), "not a WTO notification symbol")
    wrong = [{"Foo": 1, "Title": "x"}]
    _refused(db, write_json(tmp_path / "wc.json", wrong), "no DocumentSymbol")
    mismatch = [dict(RECORDS[0], Area="TBT")]
    _refused(db, write_json(tmp_path / "mm.json", mismatch), "does not match")
    obj = tmp_path / "o.json"
    obj.write_text(json.dumps({"foo": 1}), "utf-8")
    _refused(db, obj, "expected a list")


def test_reimport_of_same_symbol_refused(db: Database, tmp_path: Path) -> None:
    path = write_json(tmp_path / "n.json")
    import_wto_notifications_json(db, path, infer=None)
    _refused(db, path, "already in the database")


def test_xlsx_import(db: Database, tmp_path: Path) -> None:
    result = import_wto_notifications_xlsx(db, write_xlsx(tmp_path / "n.xlsx"),
                                           infer=fake_infer)
    assert (result.notifications, result.hs_inferred) == (3, 1)
    with db.connect() as conn:
        eu = get_notification(conn, "G/SPS/N/EU/712")
        corr = get_notification(conn, "G/TBT/N/BRA/1500/Corr.1")
        jpn = get_notification(conn, "G/TBT/N/JPN/77")
    assert eu is not None and eu.hs_codes == ["090121", "0902"] and eu.member == "EUN"
    assert eu.distribution_date == date(2026, 3, 1)
    assert corr is not None and corr.kind == "corrigendum" and corr.language == "pt"
    assert jpn is not None and jpn.hs_codes == ["850760"] and jpn.hs_inferred


def test_xlsx_refusals(db: Database, tmp_path: Path) -> None:
    imp = import_wto_notifications_xlsx
    wrong = write_xlsx(tmp_path / "w.xlsx", header=["Symbol code", "Name", "When"])
    assert _refused(db, wrong, "no header row", imp).field == "Document symbol"
    bad = write_xlsx(tmp_path / "b.xlsx", rows=[
        ["G/SPS/N/EU/712", "European Union", "SPS", "2026-13-01", None, "T", "", "", "", "",
         "", "", "", "en"]])
    err = _refused(db, bad, "bad date", imp)
    assert (err.line, err.field) == (4, "DistributionDate")
    row = ["G/SPS/N/EU/712", "European Union", "SPS", "2026-01-01", None, "T", "", "0901",
           "", "", "", "", "", "en"]
    err = _refused(db, write_xlsx(tmp_path / "d.xlsx", rows=[row, row]), "duplicate", imp)
    assert err.line == 5
    empty = tmp_path / "e.xlsx"
    empty.write_bytes(b"")
    _refused(db, empty, "empty", imp)
    _refused(db, write_xlsx(tmp_path / "h.xlsx", rows=[]), "empty", imp)
    junk = tmp_path / "j.xlsx"
    junk.write_text("not a workbook", "utf-8")
    _refused(db, junk, "not a readable", imp)

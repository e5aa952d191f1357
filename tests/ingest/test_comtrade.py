"""UN Comtrade importer on fixtures that follow Comtrade's published column layout."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.flows.helpers import snapshot, with_hs2022
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.blocks import flow_rows
from tradewind.flows.economies import economy_id
from tradewind.ingest.comtrade import comtrade_fixture_header, import_comtrade

NAMES = {"842": ("USA", "USA"), "404": ("KEN", "Kenya"), "0": ("W00", "World"),
         "251": ("FRA", "France"), "231": ("ETH", "Ethiopia"), "999": ("", "Atlantis")}


def row(reporter: str, partner: str, cmd: str, value: str, *, flow: str = "M",
        year: str = "2022", weight: str = "1000", classification: str = "H6",
        freq: str = "A", customs: str = "C00", mot: str = "0", partner2: str = "0"
        ) -> dict[str, str]:
    values = dict.fromkeys(comtrade_fixture_header(), "")
    values.update({
        "typeCode": "C", "freqCode": freq, "refPeriodId": f"{year}0101", "refYear": year,
        "refMonth": "52", "period": year, "reporterCode": reporter,
        "reporterISO": NAMES[reporter][0], "reporterDesc": NAMES[reporter][1],
        "flowCode": flow, "flowDesc": "Import" if flow == "M" else "Export",
        "partnerCode": partner, "partnerISO": NAMES[partner][0],
        "partnerDesc": NAMES[partner][1], "partner2Code": partner2, "partner2ISO": "W00",
        "partner2Desc": "World", "classificationCode": classification,
        "classificationSearchCode": "HS", "isOriginalClassification": "True", "cmdCode": cmd,
        "cmdDesc": "Coffee", "aggrLevel": str(len(cmd)), "isLeaf": "True",
        "customsCode": customs, "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": mot,
        "motDesc": "TOTAL MOT", "qtyUnitCode": "8", "qtyUnitAbbr": "kg", "qty": weight,
        "isQtyEstimated": "False", "altQtyUnitCode": "-1", "netWgt": weight,
        "isNetWgtEstimated": "False", "grossWgt": "", "isGrossWgtEstimated": "False",
        "cifvalue": value, "fobvalue": "", "primaryValue": value,
        "legacyEstimationFlag": "0", "isReported": "True", "isAggregate": "False"})
    return values


def write(tmp_path: Path, rows: list[dict[str, str]], name: str = "comtrade.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=comtrade_fixture_header(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_imports_are_stored_with_the_reporter_as_importer(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    path = write(tmp_path, [
        row("842", "231", "090111", "1500000.4", weight="250000"),
        row("842", "404", "090111", "900000", weight=""),
        row("842", "0", "090111", "2400000"),          # World partner: skipped
        row("842", "231", "0901", "1500000"),          # four digits: skipped
        row("842", "231", "090111", "10", flow="X"),   # exports: skipped by default
        row("842", "231", "090111", "5", customs="C01"),
        row("842", "231", "090111", "5", mot="1000"),
        row("251", "999", "090111", "77"),             # unknown partner: reported
    ])
    result = import_comtrade(db, path)
    assert result.rows_read == 8
    assert result.rows_loaded == 2
    assert result.years == [2022]
    assert result.skipped == {"partner World (0)": 1, "cmdCode not six digits": 1,
                              "flowCode X": 1, "customsCode not C00": 1, "motCode not 0": 1}
    assert [(u.code, u.name, u.value_usd) for u in result.unmatched_countries] == [
        ("999", "Atlantis", 77)]
    with db.connect() as conn:
        rows = {(r.importer, r.exporter): (r.value_usd, r.quantity)
                for r in flow_rows(conn)}
    assert rows == {(economy_id("USA"), economy_id("ETH")): (1500000, 250000),
                    (economy_id("USA"), economy_id("KEN")): (900000, None)}


def test_exports_option(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    path = write(tmp_path, [row("231", "842", "090111", "10", flow="X"),
                            row("842", "231", "090111", "99")])
    result = import_comtrade(db, path, flow="X")
    assert result.rows_loaded == 1
    with db.connect() as conn:
        (only,) = flow_rows(conn)
    assert (only.exporter, only.importer) == (economy_id("ETH"), economy_id("USA"))


def test_older_classification_needs_concordance(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    path = write(tmp_path, [row("842", "231", "090111", "10", classification="H5")])
    before = snapshot(db)
    with pytest.raises(ImportFailed, match="tradewind import concordance"):
        import_comtrade(db, path)
    assert snapshot(db) == before


@pytest.mark.parametrize(("rows", "line", "field", "problem"), [
    ([row("842", "231", "090111", "10"), row("842", "404", "090111", "1"),
      row("842", "231", "090111", "12")], 4, "cmdCode", "duplicate row.*lines 2, 4"),
    ([row("842", "231", "090111", "ten")], 2, "primaryValue", "not a number"),
    ([row("842", "231", "090111", "-5")], 2, "primaryValue", "negative"),
    ([row("842", "231", "090111", "5", freq="M")], 2, "freqCode", "monthly"),
    ([row("842", "231", "090111", "5", classification="S4")], 2, "classificationCode",
     "unknown classificationCode"),
])
def test_broken_rows(db: Database, tmp_path: Path, rows: list[dict[str, str]], line: int,
                     field: str, problem: str) -> None:
    with_hs2022(db)
    path = write(tmp_path, rows)
    before = snapshot(db)
    with pytest.raises(ImportFailed, match=problem) as caught:
        import_comtrade(db, path)
    assert (caught.value.line, caught.value.field) == (line, field)
    assert snapshot(db) == before


def test_wrong_header_truncated_and_encoding(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    bad_header = tmp_path / "header.csv"
    bad_header.write_text("reporter,partner,value\n842,231,5\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="expected columns") as caught:
        import_comtrade(db, bad_header)
    assert caught.value.line == 1
    good = write(tmp_path, [row("842", "231", "090111", "10")])
    text = good.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.csv"
    truncated.write_text(text + text.splitlines()[1][:40], encoding="utf-8")
    with pytest.raises(ImportFailed, match="fields") as caught:
        import_comtrade(db, truncated)
    assert caught.value.line == 3
    latin = tmp_path / "latin.csv"
    latin.write_bytes(text.encode() + text.splitlines()[1].replace(
        "Ethiopia", "\u00c9thiopie").encode("latin-1") + b"\n")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match="not UTF-8") as caught:
        import_comtrade(db, latin)
    assert caught.value.line == 3
    assert snapshot(db) == before

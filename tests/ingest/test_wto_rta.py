"""WTO RTA database export importer: fixture in the RTA-IS "AllRTAs" layout."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.agreements import queries as q
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.wto_rta import import_wto_rta

COLUMNS = ["RTA ID", "RTA Name", "Coverage", "Type", "Notification", "Status",
           "Notification under", "Date of notification (G)", "Date of notification (S)",
           "Date of Signature (G)", "Date of Signature (S)", "Date of Entry into Force (G)",
           "Date of Entry into Force (S)", "End of implementation period", "Inactive Date",
           "Original signatories", "Current signatories", "Accession?",
           "Specific Entry/Exit dates", "RTA Composition", "Region",
           "All Parties WTO members?", "Cross-regional", "Remarks"]
ROWS = [
    ["1", "EU - Japan", "Goods & Services", "FTA & EIA", "Goods & Services", "In Force",
     "GATT Art. XXIV & GATS V", "14-Jan-2019", "14-Jan-2019", "17-Jul-2018", "17-Jul-2018",
     "01-Feb-2019", "01-Feb-2019", "", "", "European Union; Japan", "European Union; Japan",
     "No", "", "Bilateral; One party is an RTA", "East Asia; Europe", "Yes", "Yes", ""],
    ["2", "North American Free Trade Agreement (NAFTA)", "Goods & Services", "FTA & EIA",
     "Goods & Services", "Inactive", "GATT Art. XXIV & GATS V", "29-Jan-1993", "01-Mar-1995",
     "17-Dec-1992", "17-Dec-1992", "01-Jan-1994", "01-Jan-1994", "", "30-Jun-2020",
     "Canada; Mexico; United States of America", "Canada; Mexico; United States of America",
     "No", "", "Plurilateral", "North America", "Yes", "No", ""],
    ["3", "Central European Free Trade Agreement (CEFTA) 2006", "Goods", "FTA", "Goods",
     "In Force", "GATT Art. XXIV", "26-Jul-2007", "", "19-Dec-2006", "", "01-May-2007", "",
     "", "", "Albania; Croatia; North Macedonia; Montenegro; Serbia",
     "Albania; North Macedonia; Montenegro; Serbia", "Yes",
     "Croatia: Exit 30-Jun-2013", "Plurilateral", "Europe", "No", "No", ""],
    ["4", "Kenya - Japan (early announcement)", "Goods", "FTA", "", "Early announcement-Signed",
     "", "", "", "01-Jan-2025", "", "", "", "", "", "Kenya; Japan", "Kenya; Japan", "No", "",
     "Bilateral", "Africa; East Asia", "Yes", "Yes", ""],
]


def _csv(path: Path, rows: list[list[str]] | None = None,
         columns: list[str] | None = None) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns or COLUMNS)
    writer.writerows(ROWS if rows is None else rows)
    path.write_text(out.getvalue(), "utf-8")
    return path


def test_import_and_query(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    result = import_wto_rta(db, _csv(tmp_path / "AllRTAs.csv"))
    assert (result.agreements, result.parties) == (4, 12)
    with db.connect() as conn:
        eu = q.agreements_between(conn, "ITA", "JPN", date(2024, 1, 1))
        assert [(link.agreement.type, link.party_a) for link in eu] == [
            ("free trade area & economic integration agreement", "EUN")]
        assert eu[0].agreement.legal_text_url.endswith("rtaid=1")
        assert q.agreements_between(conn, "USA", "MEX", date(2019, 1, 1))
        assert q.agreements_between(conn, "USA", "MEX", date(2021, 1, 1)) == []  # inactive
        assert q.agreements_between(conn, "HRV", "SRB", date(2012, 1, 1))
        assert q.agreements_between(conn, "HRV", "SRB", date(2014, 1, 1)) == []
        assert q.agreements_between(conn, "KEN", "JPN", date(2025, 6, 1)) == []  # signed only
    before = table_counts(db)
    import_wto_rta(db, tmp_path / "AllRTAs.csv")
    assert table_counts(db) == before


def test_xlsx_export(db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "AllRTAs"
    sheet.append(COLUMNS)
    row: list[object] = list(ROWS[0])
    row[11] = date(2019, 2, 1)
    sheet.append(row)
    path = tmp_path / "AllRTAs.xlsx"
    book.save(path)
    load_reference(db)
    assert import_wto_rta(db, path).agreements == 1
    with db.connect() as conn:
        agreement = q.agreement_by_code(conn, "rta:1")
        assert agreement is not None and agreement.entry_into_force == date(2019, 2, 1)


def _bad(column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows[1][COLUMNS.index(column)] = value
    return rows


BROKEN = [
    (None, [c if c != "Current signatories" else "Parties" for c in COLUMNS],
     "wrong header", 1),
    (_bad("Type", "FTAA"), None, "unknown RTA type", 3),
    (_bad("Status", "Maybe"), None, "unknown status", 3),
    (_bad("Date of Entry into Force (G)", "31-Feb-1994"), None, "bad date", 3),
    (_bad("Current signatories", "Canada; Atlantis"), None, "unknown signatory 'Atlantis'", 3),
    ([*ROWS, ROWS[0]], None, "duplicate RTA ID 1", 6),
]


@pytest.mark.parametrize(("rows", "columns", "problem", "line"), BROKEN)
def test_broken_files(db: Database, tmp_path: Path, rows: list[list[str]] | None,
                      columns: list[str] | None, problem: str, line: int) -> None:
    load_reference(db)
    import_wto_rta(db, _csv(tmp_path / "good.csv"))
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_wto_rta(db, _csv(tmp_path / "bad.csv", rows, columns))
    assert "bad.csv" in str(info.value) and problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_truncated_and_wrong_encoding(db: Database, tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv")
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("Kenya - Japan") + 5], "utf-8")
    with pytest.raises(ImportFailed, match="truncated row") as info:
        import_wto_rta(db, path)
    assert info.value.line == 5
    path.write_bytes(text.replace("EU - Japan", "UE – Japon é").encode("cp1252"))
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        import_wto_rta(db, path)
    assert table_counts(db)["agreements"] == 0

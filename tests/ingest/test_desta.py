"""DESTA importer: fixture in the published layout, broken copies, and the real list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.agreements import queries as q
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.desta import import_desta

HEADER = ("number,base_treaty,name,entry_type,consolidated,year,entryforceyear,language,"
          "typememb,regioncon,wto_listed,wto_name,c1,c2,c3,c4,mc1,mc2,mc3,mc4,\n")
ROWS = [
    "1,1,Afghanistan India,base_treaty,0,2003,2003,English,1,Asia,1,India Afghanistan,4,356,,,0,0,,,",
    "869,869,EC Japan,base_treaty,0,2018,2019,English,3,Intercontinental,1,EU Japan,392,250,826,276,0,1,1,1,",
    "869_1,869,EC Japan withdrawal UK,withdrawal,0,2020,2020,English,7,Intercontinental,,,250,826,276,392,2,1,2,2,",
    "900,900,Kenya Uganda pact,base_treaty,0,2001,2002,English,1,Africa,0,,404,800,,,,,,,",
    "900+1,900,Kenya Uganda pact Tanzania accession,accession,0,2010,2011,English,5,Africa,0,,404,800,834,,2,2,1,,",
    "901,901,Signed only,base_treaty,0,2022,,English,1,Africa,0,,404,392,,,,,,,",
    "902,902,Under negotiation,negotiation,0,2023,,English,1,Africa,0,,404,076,,,,,,,",
]
DYADS = ("country1,country2,iso1,iso2,number,base_treaty,name,entry_type,consolidated,year,"
         "entryforceyear,language,typememb,regioncon,wto_listed,wto_name\n"
         "Afghanistan,India,4,356,1,1,Afghanistan India,base_treaty,0,2003,2003,English,1,"
         "Asia,1,India Afghanistan\n")


def _file(path: Path, rows: list[str] | None = None, header: str = HEADER) -> Path:
    path.write_text("\ufeff" + header + "\n".join(rows or ROWS) + "\n", "utf-8")
    return path


def test_import_and_query(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    dyads = tmp_path / "dyads.csv"
    dyads.write_text("\ufeff" + DYADS, "utf-8")
    result = import_desta(db, _file(tmp_path / "desta.csv"), dyads)
    assert (result.agreements, result.accessions, result.withdrawals) == (4, 1, 1)
    assert result.skipped == 1 and result.dyads_checked == 1
    with db.connect() as conn:
        assert [link.agreement.name for link in
                q.agreements_between(conn, "JPN", "FRA", date(2020, 6, 1))] == ["EC Japan"]
        assert q.agreements_between(conn, "JPN", "GBR", date(2020, 6, 1))
        assert q.agreements_between(conn, "JPN", "GBR", date(2021, 6, 1)) == []
        assert q.agreements_between(conn, "JPN", "FRA", date(2018, 6, 1)) == []
        assert q.agreements_between(conn, "KEN", "TZA", date(2010, 6, 1)) == []
        assert q.agreements_between(conn, "KEN", "TZA", date(2011, 6, 1))
        assert q.agreements_between(conn, "KEN", "JPN", date(2024, 1, 1)) == []  # signed only
        pact = q.agreement_by_code(conn, "desta:900")
        assert pact is not None and pact.status == "in force"
        assert pact.entry_into_force == date(2002, 1, 1)
    before = table_counts(db)
    import_desta(db, tmp_path / "desta.csv")
    assert table_counts(db) == before


BROKEN = [
    (HEADER.replace("entry_type", "kind"), ROWS, "wrong header", 1),
    (HEADER, [*ROWS[:3], "900,900,Kenya Uganda pact,base_treaty,0,2001"], "truncated row", 5),
    (HEADER, [*ROWS[:3], ROWS[3].replace(",404,800,", ",404,999,")], "unknown M49", 5),
    (HEADER, [*ROWS[:3], ROWS[3].replace(",2002,", ",20x2,")], "bad year", 5),
    (HEADER, [*ROWS, ROWS[0]], "duplicate treaty number 1", 9),
    (HEADER, [*ROWS, "77_1,77,Ghost withdrawal,withdrawal,0,2020,2020,English,7,Asia,0,,4,356,,,1,2,,,"],
     "unknown base treaty 77", 9),
]


@pytest.mark.parametrize(("header", "rows", "problem", "line"), BROKEN)
def test_broken_files(db: Database, tmp_path: Path, header: str, rows: list[str],
                      problem: str, line: int) -> None:
    load_reference(db)
    import_desta(db, _file(tmp_path / "good.csv"))
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_desta(db, _file(tmp_path / "bad.csv", rows, header))
    assert "bad.csv" in str(info.value) and problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_wrong_encoding_and_bad_dyads(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + ROWS[0].replace("Afghanistan India", "Côte d'Ivoire") + "\n")
                     .encode("latin-1"))
    with pytest.raises(ImportFailed, match="not valid UTF-8") as info:
        import_desta(db, path)
    assert info.value.line == 2
    dyads = tmp_path / "dyads.csv"
    dyads.write_text(DYADS.replace(",1,1,Afghanistan", ",5,5,Afghanistan"), "utf-8")
    with pytest.raises(ImportFailed, match="not in the treaty list"):
        import_desta(db, _file(tmp_path / "desta.csv"), dyads)
    assert table_counts(db)["agreements"] == 0


@pytest.mark.shared_data
def test_real_desta_list(db: Database, shared_data: Path) -> None:
    load_reference(db)
    folder = shared_data / "desta"
    result = import_desta(db, folder / "desta_list_of_treaties_02_02.csv",
                          folder / "desta_list_of_treaties_02_02_dyads.csv")
    assert result.agreements > 800 and result.dyads_checked > 20000
    with db.connect() as conn:
        names = [link.agreement.name for link in
                 q.agreements_between(conn, "USA", "MEX", date(2024, 1, 1))]
        assert any("USMCA" in n for n in names)
        assert [link.agreement.name for link in
                q.agreements_between(conn, "JPN", "GBR", date(2024, 1, 1))] == ["Japan UK"]

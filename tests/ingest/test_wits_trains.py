"""WITS/TRAINS importer: fixtures in the two published export layouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.wits_trains import import_wits
from tradewind.tariffs import queries as q

QUERY_HEADER = ("NomenCode,Reporter,ReporterName,Partner,PartnerName,ProductCode,ProductName,"
                "TariffYear,TradeYear,TradeSource,DutyType,SimpleAverage,WeightedAverage,"
                "StandardDeviation,MinRate,MaxRate,NbrFreeLines,NbrDutiableLines,"
                "TotalNoOfLines\n")
QUERY_ROWS = [
    "H6,KEN,Kenya,WLD,World,090121,Coffee roasted not decaffeinated,2022,2022,CMT,MFN,25,25,0,25,25,0,2,2",
    "H6,KEN,Kenya,WLD,World,090121,Coffee roasted not decaffeinated,2023,2023,CMT,MFN,35,35,0,35,35,0,2,2",
    "H6,KEN,Kenya,UGA,Uganda,090121,Coffee roasted not decaffeinated,2023,2023,CMT,PRF,0,0,0,0,0,2,0,2",
    "H6,KEN,Kenya,WLD,World,090121,Coffee roasted not decaffeinated,2023,2023,CMT,AHS,35,35,0,35,35,0,2,2",
    "H6,KEN,Kenya,WLD,World,090121,Coffee roasted not decaffeinated,2023,2023,CMT,BND,100,100,0,100,100,0,2,2",
    "H6,KEN,Kenya,WLD,World,610910,T-shirts of cotton,2023,2023,CMT,MFN,30.5,,4,25,35,0,3,3",
    "H6,KEN,Kenya,WLD,World,610990,T-shirts of other textiles,2023,2023,CMT,MFN,,,,,,0,0,0",
]
BULK = ("NomenCode,Reporter_ISO_N,Year,ProductCode,Sum_Of_Rates,Min_Rate,Max_Rate,"
        "SimpleAverage,Nbr_NA_Lines,Nbr_Free_Lines,Nbr_AVE_Lines,Nbr_Dutiable_Lines,"
        "TotalNoOfValidLines,TotalNoOfLines,EstCode\n"
        "H6,404,2023,090121,70,35,35,35,0,0,0,2,2,2,\n"
        "H6,918,2023,090121,7.5,7.5,7.5,7.5,0,0,0,1,1,1,\n")


def _file(path: Path, rows: list[str] | None = None, header: str = QUERY_HEADER) -> Path:
    path.write_text(header + "\n".join(QUERY_ROWS if rows is None else rows) + "\n", "utf-8")
    return path


def test_query_result_layout(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    result = import_wits(db, _file(tmp_path / "wits.csv"))
    assert (result.schedules, result.lines, result.rates) == (1, 2, 4)
    assert (result.skipped_ahs_bnd, result.skipped_empty) == (2, 1)
    with db.connect() as conn:
        assert q.mfn_rates(conn, "KEN", "090121", date(2022, 6, 1))[0].duty.text == "25%"
        assert q.mfn_rates(conn, "KEN", "090121", date(2025, 6, 1))[0].duty.text == "35%"
        assert q.mfn_rates(conn, "KEN", "090121", date(2021, 6, 1)) == []
        uganda = q.preferential_rates(conn, "KEN", "090121", "UGA", date(2024, 1, 1))
        assert [r.duty.text for r in uganda] == ["0%"]
        assert q.preferential_rates(conn, "KEN", "090121", "TZA", date(2024, 1, 1)) == []
        shirts = q.mfn_rates(conn, "KEN", "610910", date(2024, 1, 1))[0]
        assert "average of 3 national lines" in shirts.description
        assert "25% to 35%" in shirts.description
        provenance = q.schedule_provenance(conn, "KEN", date(2024, 1, 1))
        assert provenance[0].schedule.source_format == "wits"
    before = table_counts(db)
    import_wits(db, tmp_path / "wits.csv")
    assert table_counts(db) == before


def test_bulk_layout_with_numeric_reporters(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    path = tmp_path / "bulk.csv"
    path.write_text(BULK, "utf-8")
    result = import_wits(db, path)
    assert result.schedules == 2
    with db.connect() as conn:
        assert q.mfn_rates(conn, "KEN", "090121", date(2024, 1, 1))[0].duty.text == "35%"
        assert q.mfn_rates(conn, "FRA", "090121", date(2024, 1, 1))[0].duty.text == "7.5%"


BROKEN = [
    (QUERY_HEADER.replace("SimpleAverage", "Average"), QUERY_ROWS, "wrong header", 1),
    (QUERY_HEADER, [*QUERY_ROWS[:2], "H6,KEN,Kenya,WLD,World,090121"], "truncated row", 4),
    (QUERY_HEADER, [QUERY_ROWS[0].replace(",25,25,0", ",2x,25,0")], "bad number", 2),
    (QUERY_HEADER, [QUERY_ROWS[0].replace(",MFN,", ",XYZ,")], "unknown DutyType", 2),
    (QUERY_HEADER, [QUERY_ROWS[0].replace("090121", "09012")], "not an HS 6-digit", 2),
    (QUERY_HEADER, [QUERY_ROWS[0].replace(",KEN,", ",XXQ,")], "unknown economy", 2),
    (QUERY_HEADER, [QUERY_ROWS[0], QUERY_ROWS[0]], "duplicate row", 3),
    (QUERY_HEADER, [QUERY_ROWS[2].replace(",UGA,", ",WLD,")], "needs a partner", 2),
]


@pytest.mark.parametrize(("header", "rows", "problem", "line"), BROKEN)
def test_broken_files(db: Database, tmp_path: Path, header: str, rows: list[str],
                      problem: str, line: int) -> None:
    load_reference(db)
    import_wits(db, _file(tmp_path / "good.csv"))
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_wits(db, _file(tmp_path / "bad.csv", rows, header))
    assert "bad.csv" in str(info.value) and problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_text(QUERY_HEADER + QUERY_ROWS[0] + "\n", "utf-16")
    with pytest.raises(ImportFailed, match="UTF-16"):
        import_wits(db, path)
    assert table_counts(db)["tariff_schedules"] == 0

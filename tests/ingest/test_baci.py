"""BACI importer: the real AFG/ZAF extract (HS 1992 → HS 2022) and broken files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.flows.helpers import snapshot, with_hs2022, write_baci
from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.blocks import flow_rows
from tradewind.flows.economies import economy_id
from tradewind.flows.models import flow_exports, flow_import_notes
from tradewind.ingest.baci import import_baci

EXTRACT = "baci-sample/BACI_HS92_Y2021_extract_AFG_ZAF.csv"
CODES = "baci-sample/country_codes_V202201.csv"
WORKBOOK = "hs-concordance/HS2022toHS1992ConversionAndCorrelationTables.xlsx"


def _direct(path: Path) -> dict[str, object]:
    """Counts and totals computed straight from the file with the csv module."""
    rows = zaf_rows = 0
    zaf_value = afg_value = 0
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            rows += 1
            usd = round(float(row["v"]) * 1000)
            if row["i"] == "710":
                zaf_rows += 1
                zaf_value += usd
            elif row["i"] == "4":
                afg_value += usd
    return {"rows": rows, "zaf_rows": zaf_rows, "zaf_value": zaf_value, "afg_value": afg_value}


def test_real_extract(db: Database, shared_data: Path) -> None:
    """One import of the real extract (the concordance workbook import is the slow part)."""
    from tradewind.ingest.hs_concordance import import_concordance

    with_hs2022(db)
    import_concordance(db, shared_data / WORKBOOK)
    result = import_baci(db, shared_data / EXTRACT, shared_data / CODES)
    direct = _direct(shared_data / EXTRACT)

    # Counts and totals against a direct computation on the file with the csv module.
    assert result.rows_read == direct["rows"] == 71_192
    assert direct["zaf_rows"] == 68_122  # South Africa's exports, before the HS 2022 split
    assert result.source_edition == "HS1992"
    assert result.years == [2021]
    with db.connect() as conn:
        zaf = sum(r.value_usd for r in flow_rows(conn, exporter=economy_id("ZAF")))
        afg = conn.execute(select(text("sum(value_usd)")).select_from(flow_exports)
                           .where(flow_exports.c.exporter == economy_id("AFG"))).scalar_one()
        codes = {f"{r.hs6:06d}" for r in flow_rows(conn)}
        valid = set(conn.execute(text(
            "SELECT code FROM hs_codes WHERE edition = 'HS2022' AND level = 6")).scalars())
        notes = conn.execute(select(flow_import_notes.c.kind, flow_import_notes.c.code)).all()
        provenance = datasets_of_kind(conn, "flows")[-1]
    # Equal splits keep whole-USD totals exact, so the sums match the file exactly.
    assert int(zaf) == direct["zaf_value"]
    assert int(afg) == direct["afg_value"]
    assert result.value_usd == direct["zaf_value"] + direct["afg_value"]

    # Mapping to HS 2022: every stored code is an HS 2022 subheading; splits are recorded.
    assert codes <= valid
    assert result.split_rows > 0
    assert result.rows_loaded > direct["rows"]
    assert "divided equally" in provenance.notes
    # The extract writes Italy as 380 while the code file lists 381: matched and reported.
    assert [u.code for u in result.reconciled_countries] == ["380"]
    assert ("reconciled_country", "380") in notes


def test_older_edition_without_concordance_names_the_command(db: Database,
                                                             tmp_path: Path) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, "2021,4,842,90111,1.5,2\n",
                              name="BACI_HS92_Y2021_V202401.csv")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match="tradewind import concordance"):
        import_baci(db, flows, codes)
    assert snapshot(db) == before


def test_small_hs22_file_values_and_blanks(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, (
        '2021,4,842,90111,1.5,"        2.000"\n'
        '2021,4,251,90111,0.25,"           NA"\n'
        "2021,842,4,610910,10,\n"
        "2021,490,710,90121,3,1\n"))
    result = import_baci(db, flows, codes)
    assert result.rows_loaded == 4
    with db.connect() as conn:
        rows = {(r.exporter, r.importer, r.hs6): (r.value_usd, r.quantity)
                for r in flow_rows(conn)}
    assert rows[(economy_id("AFG"), economy_id("USA"), 90111)] == (1500, 2000)
    assert rows[(economy_id("AFG"), economy_id("FRA"), 90111)] == (250, None)
    assert rows[(economy_id("USA"), economy_id("AFG"), 610910)] == (10000, None)
    assert rows[(economy_id("TWN"), economy_id("ZAF"), 90121)] == (3000, 1000)


def test_unknown_country_code_is_reported_not_fatal(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, "2021,4,842,90111,1.5,2\n2021,4,999,90111,7,1\n")
    result = import_baci(db, flows, codes)
    assert [(u.code, u.rows, u.value_usd) for u in result.unmatched_countries] == [
        ("999", 1, 7000)]
    assert "999" in result.notes()
    assert result.rows_loaded == 1


@pytest.mark.parametrize(("body", "line", "field", "problem"), [
    ("2021,4,842,90111,1.5,2\n2021,4,842,90121,1.", 3, None, "expected 6 fields"),
    ("2021,4,842,90111,1.5,2\n2021,4,842,90121,12x,1\n", 3, "v", "not a number"),
    ("2021,4,842,90111,-1.5,2\n", 2, "v", "negative"),
    ("2021,4,842,9011100,1.5,2\n", 2, "k", "more than six digits"),
    ("2021,4,842,90111,1.5,2\n2021,251,842,90111,1,1\n2021,4,842,90111,2,2\n", None, "k",
     "duplicate flow"),
])
def test_broken_files_name_line_and_field(db: Database, tmp_path: Path, body: str,
                                          line: int | None, field: str | None,
                                          problem: str) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, body)
    before = snapshot(db)
    with pytest.raises(ImportFailed, match=problem) as caught:
        import_baci(db, flows, codes)
    assert caught.value.file == str(flows)
    if line is not None:
        assert caught.value.line == line
    if field is not None:
        assert caught.value.field == field
    if problem == "duplicate flow":
        assert "lines 2, 4" in str(caught.value)
    assert snapshot(db) == before


def test_wrong_header(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, "2021,4,842,90111,1.5,2\n",
                              header="year,exporter,importer,product,value,quantity\n")
    with pytest.raises(ImportFailed, match="expected the BACI header") as caught:
        import_baci(db, flows, codes)
    assert caught.value.line == 1


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, "")
    flows.write_bytes(b'"t","i","j","k","v","q"\n2021,4,842,90111,1.5,2\n'
                      b"2021,4,842,90121,1.5,\xe92\n")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match="not UTF-8") as caught:
        import_baci(db, flows, codes)
    assert caught.value.line == 3
    assert snapshot(db) == before


def test_failure_after_loading_rolls_back_everything(db: Database, tmp_path: Path) -> None:
    """A good first file, then a bad second one: the database still holds only the first."""
    with_hs2022(db)
    flows, codes = write_baci(tmp_path, "2021,4,842,90111,1.5,2\n")
    import_baci(db, flows, codes)
    after_first = snapshot(db)
    bad, _ = write_baci(tmp_path, "2021,4,842,90111,1.5,2\n2021,4,842,90111,1.5,2\n",
                        name="BACI_HS22_Y2021_bad.csv")
    with pytest.raises(ImportFailed):
        import_baci(db, bad, codes)
    assert snapshot(db) == after_first


def test_file_declined_by_the_fast_path_loads_through_the_exact_reader(
        db: Database, tmp_path: Path) -> None:
    """``90111.0`` is not an integer to pyarrow; the line-accurate reader accepts it, and both
    readers give the same flows."""
    with_hs2022(db)
    body = "2021,4,842,90111,1.5,2\n2021,4,251,90121,0.25,NA\n"
    flows, codes = write_baci(tmp_path, body)
    import_baci(db, flows, codes)
    with db.connect() as conn:
        fast = sorted(flow_rows(conn), key=lambda r: (r.hs6, r.importer))
    odd, _ = write_baci(tmp_path, body.replace("90111,", "90111.0,"),
                        name="BACI_HS22_Y2021_V202402.csv")
    result = import_baci(db, odd, codes)
    assert result.rows_loaded == 2
    with db.connect() as conn:
        exact = sorted(flow_rows(conn), key=lambda r: (r.hs6, r.importer))
    assert exact == fast
    assert fast[0].value_usd == 1500 and fast[0].quantity == 2000

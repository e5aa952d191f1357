"""TRAINS NTM importer: grouping rows into measures, HS 2017 → 2022 mapping, broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from typer.testing import CliRunner

from tradewind.agreements.init import load_groups
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.trains_ntm import import_trains_ntm
from tradewind.nomenclature.concordance import pair_relations
from tradewind.nomenclature.models import hs_correspondences
from tradewind.requirements.models import measure_origins, measure_products, measures
from tradewind.requirements.queries import requirements_for

HEADER = ("Reporter ISO3,Year,NTM Code,HS Code,HS Revision,Partner,Measure Description,"
          "Regulation Title,Regulation Symbol,Implementation Date,Repeal Date,Issuing Agency\n")
ROWS = [
    'KEN,2022,A83,090111,H5,WLD,"Phytosanitary certificate for coffee",Plant Protection Act,'
    'Cap 324,2019-01-01,,KEPHIS',
    'KEN,2022,A83,090121,H5,WLD,"Phytosanitary certificate for coffee",Plant Protection Act,'
    'Cap 324,2019-01-01,,KEPHIS',
    'KEN,2022,B31,850440,H5,CHN;IND,"Labelling of power supplies",Standards Act,'
    'Cap 496,2020-06-01,2030-12-31,KEBS',
    'KEN,2022,B31,850440,H5,USA,"Labelling of power supplies",Standards Act,'
    'Cap 496,2020-06-01,2030-12-31,KEBS',
]
# HS 2017 → HS 2022: 850440 unchanged; 090111 unchanged; 090121 splits in two (made up).
PAIRS = [("090111", "090111"), ("090121", "090121"), ("090121", "090122"),
         ("850440", "850440")]


def _concordance(db: Database) -> None:
    with db.transaction() as conn:
        load_groups(conn)
        ds = record_dataset(conn, kind="concordance", name="t", source="test", licence="-",
                            edition="HS2022/HS2017")
        rel = pair_relations([(b, a) for a, b in PAIRS])
        conn.execute(insert(hs_correspondences), [
            {"from_edition": "HS2022", "from_code": b, "to_edition": "HS2017", "to_code": a,
             "relation": rel[(b, a)], "conversion": True, "dataset_id": ds} for a, b in PAIRS])


def _write(tmp_path: Path, text: str, name: str = "ntm.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _counts(db: Database) -> tuple[int, int]:
    with db.connect() as conn:
        return (conn.execute(select(func.count()).select_from(measures)).scalar_one(),
                conn.execute(select(func.count()).select_from(datasets).where(
                    datasets.c.kind == "ntm")).scalar_one())


def test_groups_rows_and_maps_hs2017_to_hs2022(db: Database, tmp_path: Path) -> None:
    _concordance(db)
    result = import_trains_ntm(db, _write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))
    assert (result.rows, result.measures, result.reporters) == (4, 2, ["KEN"])
    assert result.editions == ["HS2017"] and result.mapped_codes == 4
    with db.connect() as conn:
        codes = {r.mast_code: r.id for r in conn.execute(select(measures))}
        phyto = sorted(conn.execute(select(measure_products.c.hs_code).where(
            measure_products.c.measure_id == codes["A83"])).scalars())
        assert phyto == ["090111", "090121", "090122"]
        origins = sorted(conn.execute(select(measure_origins.c.economy).where(
            measure_origins.c.measure_id == codes["B31"])).scalars())
        assert origins == ["CHN", "IND", "USA"]
        row = conn.execute(select(measures).where(measures.c.id == codes["B31"])).one()
        assert row.legal_reference == "Standards Act — Cap 496"
        assert (row.valid_from, row.valid_to, row.agency) == (date(2020, 6, 1),
                                                              date(2030, 12, 31), "KEBS")
        dataset = conn.execute(select(datasets).where(datasets.c.kind == "ntm")).one()
        assert dataset.edition == "2022" and "mapped to HS 2022" in dataset.notes
        found = requirements_for(conn, product="090122", destination="KEN", origin="UGA",
                                 as_of=date(2024, 1, 1))
        assert [m.mast_code for c in found.chapters for m in c.measures] == ["A83"]
        not_listed = requirements_for(conn, product="850440", destination="KEN", origin="UGA",
                                      as_of=date(2024, 1, 1))
        assert not_listed.status == "none_found"


def test_reimport_replaces_the_reporter(db: Database, tmp_path: Path) -> None:
    _concordance(db)
    import_trains_ntm(db, _write(tmp_path, HEADER + "\n".join(ROWS) + "\n"))
    import_trains_ntm(db, _write(tmp_path, HEADER + ROWS[0] + "\n", "again.csv"))
    assert _counts(db) == (1, 1)


def test_hs2022_and_tab_separated_need_no_concordance(db: Database, tmp_path: Path) -> None:
    text = ("Country imposing\tNTM code\tHS6\tAffected countries\tDescription\n"
            "Kenya\tE1\t100630\tAll\tImport licence for rice\n")
    result = import_trains_ntm(db, _write(tmp_path, text, "ntm.tsv"))
    assert (result.measures, result.editions, result.mapped_codes) == (1, ["HS2022"], 0)


@pytest.mark.parametrize(("text", "encoding", "line", "field", "words"), [
    ("", "utf-8", 1, None, "empty"),
    (HEADER, "utf-8", 2, None, "no measures"),
    (HEADER + ROWS[0] + "\n" + "KEN,2022,A83,090111\n", "utf-8", 3, None, "truncated"),
    ("Country,Year,Description\nKEN,2022,x\n", "utf-8", 1, "NTM code", "not a TRAINS"),
    (HEADER + ROWS[0].replace("A83,090111", "090111,A83") + "\n", "utf-8", 2, "NTM code",
     "unknown MAST"),
    (HEADER + ROWS[0] + "\n" + ROWS[0] + "\n", "utf-8", 3, "HS code", "duplicate"),
    (HEADER + ROWS[0].replace("coffee", "café") + "\n", "latin-1", 2, None, "UTF-8"),
    (HEADER + ROWS[0].replace("H5", "H9") + "\n", "utf-8", 2, "HS revision", "HS revision"),
    (HEADER + ROWS[0].replace(",WLD,", ",Atlantis,") + "\n", "utf-8", 2, "Partner",
     "unknown economy"),
    (HEADER + ROWS[2].replace("2030-12-31", "2001-01-01") + "\n", "utf-8", 2, "Repeal date",
     "before"),
])
def test_broken_files_are_refused_and_change_nothing(
        db: Database, tmp_path: Path, text: str, encoding: str, line: int, field: str | None,
        words: str) -> None:
    _concordance(db)
    with pytest.raises(ImportFailed) as caught:
        import_trains_ntm(db, _write(tmp_path, text, encoding=encoding))
    error = caught.value
    assert error.file and error.file.endswith("ntm.csv")
    assert error.line == line and error.field == field
    assert words in error.problem
    assert _counts(db) == (0, 0)


def test_missing_concordance_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as caught:
        import_trains_ntm(db, _write(tmp_path, HEADER + ROWS[0] + "\n"))
    assert caught.value.field == "HS revision" and "import concordance" in caught.value.problem
    assert _counts(db) == (0, 0)


def test_code_without_correspondence_is_refused(db: Database, tmp_path: Path) -> None:
    _concordance(db)
    with pytest.raises(ImportFailed) as caught:
        import_trains_ntm(db, _write(tmp_path, HEADER + ROWS[0].replace("090111", "999999")
                                     + "\n"))
    assert (caught.value.line, caught.value.field) == (2, "HS code")
    assert _counts(db) == (0, 0)


def test_cli_import_ntm(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradewind.cli import requirements as cli_requirements
    from tradewind.cli.app import app

    _concordance(db)
    monkeypatch.setattr(cli_requirements, "database", lambda: db)
    runner = CliRunner()
    ok = runner.invoke(app, ["import", "ntm", str(_write(tmp_path, HEADER + ROWS[0] + "\n")),
                             "--json"])
    assert ok.exit_code == 0, ok.output
    assert '"measures": 1' in ok.output
    bad = runner.invoke(app, ["import", "ntm", str(_write(tmp_path, HEADER, "bad.csv"))])
    assert bad.exit_code == 1 and "bad.csv" in bad.output

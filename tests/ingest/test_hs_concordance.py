"""UNSD correlation workbook importer: sheets and headers found, relations computed, atomic."""

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.ingest.hs_workbooks import PAIRS, make_workbook
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.hs_concordance import editions_from_name, import_concordance
from tradewind.nomenclature.concordance import convert
from tradewind.nomenclature.models import hs_correspondences

NAME = "HS2022toHS2017ConversionAndCorrelationTables.xlsx"


def snapshot(db: Database) -> tuple[int, int]:
    with db.connect() as conn:
        return (int(conn.execute(select(func.count()).select_from(hs_correspondences))
                    .scalar_one()),
                int(conn.execute(select(func.count()).select_from(datasets)).scalar_one()))


def test_editions_from_file_name() -> None:
    assert editions_from_name(Path(NAME)) == ("HS2022", "HS2017")
    assert editions_from_name(Path("HS2017toHS1992.xlsx")) == ("HS2017", "HS1992")
    assert editions_from_name(Path("tables.xlsx")) is None


def test_imports_pairs_with_computed_relations(db: Database, tmp_path: Path) -> None:
    result = import_concordance(db, make_workbook(tmp_path / NAME))
    assert (result.from_edition, result.to_edition, result.pairs) == ("HS2022", "HS2017", 8)
    assert result.relations == {"1:1": 1, "1:n": 3, "n:1": 3, "n:n": 1}
    assert result.disagreements == 0 and result.conversion_rows == 6
    assert result.correlation_sheet == "HS2022-HS2017 Correlations"
    with db.connect() as conn:
        stored = {(r.from_code, r.to_code): r.relation
                  for r in conn.execute(select(hs_correspondences))}
        assert stored == {(a, b): r for a, b, r in PAIRS}
        provenance = datasets_of_kind(conn, "concordance")[0]
        assert provenance.edition == "HS2022/HS2017" and provenance.row_count == 8


def test_file_relationship_is_checked_not_trusted(db: Database, tmp_path: Path) -> None:
    lying = [(a, b, "1:1") for a, b, _r in PAIRS]
    result = import_concordance(db, make_workbook(tmp_path / NAME, pairs=lying))
    assert result.disagreements == 7
    with db.connect() as conn:
        assert convert(conn, "020110", "HS2022", "HS2017").relation == "1:n"
        assert "7 disagree" in datasets_of_kind(conn, "concordance")[0].notes


def test_numbers_that_lost_leading_zeros_are_restored(db: Database, tmp_path: Path) -> None:
    result = import_concordance(db, make_workbook(tmp_path / NAME,
                                                  pairs=[(10121, 10121, "1:1")],
                                                  conversion=[(10121, 10121)]))
    assert result.pairs == 1
    with db.connect() as conn:
        assert convert(conn, "010121", "HS2022", "HS2017").targets[0].code == "010121"


def test_reimport_replaces(db: Database, tmp_path: Path) -> None:
    import_concordance(db, make_workbook(tmp_path / NAME))
    result = import_concordance(db, make_workbook(tmp_path / NAME, pairs=PAIRS[:3],
                                                  conversion=[]))
    assert result.replaced
    assert snapshot(db) == (3, 1)


def test_header_found_below_title_rows_and_other_sheets(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Read me"
    notes.append(("UNSD tables between HS editions",))
    corr = wb.create_sheet("Data")
    for _ in range(4):
        corr.append(("Some title",))
    corr.append(("HS 2017", "HS 1992", "Relationship"))
    corr.append(("010121", "010111", "1:1"))
    path = tmp_path / "HS2017toHS1992.xlsx"
    wb.save(path)
    result = import_concordance(db, path)
    assert (result.from_edition, result.to_edition, result.conversion_sheet) == \
        ("HS2017", "HS1992", None)


@pytest.mark.parametrize(("kind", "line", "problem"), [
    ("header", 1, "wrong header"),
    ("bad_code", 5, "bad HS2017 code '01x121'"),
    ("duplicate", 5, "duplicate pair 010121 → 010121 (first on line 3)"),
    ("relation", 3, "bad relationship 'many'"),
    ("empty", 3, "no rows"),
    ("mismatch", 2, "the file name says HS2022 → HS2017"),
])
def test_broken_workbooks_change_nothing(db: Database, tmp_path: Path, kind: str,
                                         line: int, problem: str) -> None:
    import_concordance(db, make_workbook(tmp_path / NAME))
    before = snapshot(db)
    path = tmp_path / "broken" / NAME
    path.parent.mkdir()
    if kind == "header":
        make_workbook(path, header=("From", "To", "Relationship"), conversion=[])
        wb_path = path
        # the conversion sheet's header still names editions: remove it
        from openpyxl import load_workbook
        wb = load_workbook(wb_path)
        del wb[wb.sheetnames[0]]
        wb.save(wb_path)
    elif kind == "bad_code":
        make_workbook(path, pairs=[*PAIRS[:2], ("020110", "01x121", "1:n")])
    elif kind == "duplicate":
        make_workbook(path, pairs=[PAIRS[0], PAIRS[1], PAIRS[0]])
    elif kind == "relation":
        make_workbook(path, pairs=[("010121", "010121", "many")])
    elif kind == "empty":
        make_workbook(path, pairs=[], conversion=[])
    elif kind == "mismatch":
        make_workbook(path, editions=("HS2017", "HS1992"))
    with pytest.raises(ImportFailed) as err:
        import_concordance(db, path)
    assert str(path) in str(err.value)
    assert err.value.line == line
    assert problem in str(err.value)
    assert snapshot(db) == before


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04truncated",
                                     "HS 2022,HS 2017\n010121,010121\n".encode("utf-16")])
def test_truncated_or_not_a_workbook(db: Database, tmp_path: Path, content: bytes) -> None:
    good = make_workbook(tmp_path / NAME)
    path = tmp_path / "cut" / NAME
    path.parent.mkdir()
    path.write_bytes(content or good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(ImportFailed) as err:
        import_concordance(db, path)
    assert "not a readable .xlsx workbook" in str(err.value) and str(path) in str(err.value)
    assert snapshot(db) == (0, 0)


# Real UNSD workbooks: counts measured on the files in ../shared/data/hs-concordance.
REAL = [
    ("HS2022toHS2017ConversionAndCorrelationTables.xlsx", "HS2022", "HS2017", 15657),
    ("HS2022toHS2012ConversionAndCorrelationTables.xlsx", "HS2022", "HS2012", 16377),
    ("HS2022toHS1992ConversionAndCorrelationTables.xlsx", "HS2022", "HS1992", 18900),
    ("HS2017toHS1992ConversionAndCorrelationTables.xlsx", "HS2017", "HS1992", 7862),
]


@pytest.mark.shared_data
def test_real_workbooks_and_conversions_both_ways(db: Database, shared_data: Path) -> None:
    """All four UNSD workbooks (imported once: they are the slow part)."""
    for name, a, b, pairs in REAL:
        result = import_concordance(db, shared_data / "hs-concordance" / name)
        assert (result.from_edition, result.to_edition, result.pairs) == (a, b, pairs)
        # our pair-by-pair relations agree with every row of UNSD's Relationship column
        assert result.disagreements == 0
        assert result.conversion_sheet is not None and result.conversion_rows > 5000
    with db.connect() as conn:
        horses = convert(conn, "010121", "HS2022", "HS2017")
        assert [(t.code, t.relation) for t in horses.targets] == [("010121", "1:1")]
        assert [t.code for t in convert(conn, "010121", "HS2017", "HS2022").targets] == \
            ["010121"]
        # HS 2022 split smartphones (8517.13) and other mobile phones (8517.14) out of 8517.12
        phones = convert(conn, "851712", "HS2017", "HS2022")
        assert {"851713", "851714"} <= {t.code for t in phones.targets}
        assert phones.relation in ("1:n", "n:n")
        back = convert(conn, "851713", "HS2022", "HS2017")
        assert "851712" in [t.code for t in back.targets]
        # composed through HS 2022, UNSD's conversion pairs on every hop come first
        phones_2012 = convert(conn, "851712", "HS2017", "HS2012")
        assert phones_2012.path == ["HS2017", "HS2022", "HS2012"]
        assert [t.code for t in phones_2012.main_targets] == ["851712"]
        # HS 1992 grouped live horses, asses and mules differently (0101.11, 0101.20) → n:n
        old = convert(conn, "010121", "HS2022", "HS1992")
        assert [t.code for t in old.targets] == ["010111", "010120"] and old.relation == "n:n"
        # no direct 2017 ↔ 2012 table: composed through HS 2022, path stated
        composed = convert(conn, "010121", "HS2017", "HS2012")
        assert composed.path == ["HS2017", "HS2022", "HS2012"]
        assert [t.code for t in composed.targets] == ["010121"]
        via = convert(conn, "010111", "HS1992", "HS2012")
        assert via.path == ["HS1992", "HS2022", "HS2012"] and via.targets

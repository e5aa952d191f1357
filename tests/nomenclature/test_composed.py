"""Stored composed conversions give the answers of the composed path, for every code."""

from pathlib import Path

import pytest
from sqlalchemy import delete, func, insert, select

from tests.ingest.hs_workbooks import make_workbook
from tradewind.datasets.queries import datasets_of_kind, record_dataset
from tradewind.db import Database
from tradewind.ingest.hs_concordance import import_concordance
from tradewind.nomenclature.composed import build_composed, stored_targets, tables_key
from tradewind.nomenclature.concordance import (
    Conversion,
    conversion_path,
    convert,
    edition_codes_in_tables,
)
from tradewind.nomenclature.models import hs_composed, hs_composed_pairs, hs_correspondences

# A second table so HS 2017 ↔ HS 2012 composes through HS 2022, with a split, a merger and
# a tangled group on the second hop too.
PAIRS_2012 = [("010121", "010121", "1:1"), ("020110", "020110", "1:1"),
              ("030110", "030110", "n:1"), ("030120", "030110", "n:1"),
              ("040110", "040110", "1:n"), ("040110", "040111", "n:n"),
              ("040130", "040111", "n:1")]
CONVERSION_2012 = [("010121", "010121"), ("020110", "020110"), ("030110", "030110"),
                   ("040110", "040110"), ("040130", "040111")]


@pytest.fixture
def two_tables(db: Database, tmp_path: Path) -> Database:
    import_concordance(db, make_workbook(tmp_path / "HS2022toHS2017Tables.xlsx"))
    import_concordance(db, make_workbook(tmp_path / "HS2022toHS2012Tables.xlsx", PAIRS_2012,
                                         editions=("HS2022", "HS2012"),
                                         conversion=CONVERSION_2012))
    return db


def _all_conversions(db: Database, source: str, target: str) -> list[Conversion]:
    with db.connect() as conn:
        return [convert(conn, code, source, target)
                for code in edition_codes_in_tables(conn, source)]


def _codes(db: Database, edition: str) -> int:
    with db.connect() as conn:
        return len(edition_codes_in_tables(conn, edition))


def _stored_pairs(db: Database) -> set[tuple[str, str]]:
    with db.connect() as conn:
        return {(r.from_edition, r.to_edition) for r in conn.execute(select(hs_composed_pairs))}


def _assert_stored_equals_composed(db: Database, pairs: list[tuple[str, str]]) -> int:
    """Every code of each pair converted from the stored table, then again from the composed
    path (stored answers removed); returns how many conversions were compared."""
    with db.connect() as conn:
        concordances = datasets_of_kind(conn, "concordance")
        for a, b in pairs:
            chain = conversion_path(conn, a, b)
            code = edition_codes_in_tables(conn, a)[0]
            assert len(chain) == 3
            assert stored_targets(conn, chain, tables_key(chain, concordances), code) is not None
    stored = {pair: _all_conversions(db, *pair) for pair in pairs}
    with db.transaction() as conn:
        conn.execute(delete(hs_composed))
        conn.execute(delete(hs_composed_pairs))
    composed = {pair: _all_conversions(db, *pair) for pair in pairs}
    assert stored == composed
    return sum(len(v) for v in stored.values())


def test_import_builds_every_composed_pair(two_tables: Database) -> None:
    assert _stored_pairs(two_tables) == {("HS2017", "HS2012"), ("HS2012", "HS2017")}
    with two_tables.connect() as conn:
        result = convert(conn, "040110", "HS2017", "HS2012")
    assert result.composed and result.path == ["HS2017", "HS2022", "HS2012"]
    assert {t.code for t in result.targets} == {"040110", "040111"}
    assert all(t.via for t in result.targets)


def test_stored_answers_equal_the_composed_path(two_tables: Database) -> None:
    compared = _assert_stored_equals_composed(
        two_tables, [("HS2017", "HS2012"), ("HS2012", "HS2017")])
    assert compared == _codes(two_tables, "HS2017") + _codes(two_tables, "HS2012")


def test_changed_tables_make_the_stored_pair_stale_until_rebuilt(two_tables: Database) -> None:
    with two_tables.transaction() as conn:  # a table changed behind the importer's back
        ds = record_dataset(conn, kind="concordance", name="t", source="test", licence="-",
                            edition="HS2022/HS2012")
        conn.execute(delete(hs_correspondences).where(
            hs_correspondences.c.to_edition == "HS2012"))
        conn.execute(insert(hs_correspondences), [
            {"from_edition": "HS2022", "from_code": "040110", "to_edition": "HS2012",
             "to_code": "040199", "relation": "1:1", "conversion": True, "dataset_id": ds}])
    with two_tables.connect() as conn:
        chain = ["HS2017", "HS2022", "HS2012"]
        key = tables_key(chain, datasets_of_kind(conn, "concordance"))
        assert stored_targets(conn, chain, key, "040110") is None  # stale: not used
        fresh = convert(conn, "040110", "HS2017", "HS2012")
    assert [t.code for t in fresh.targets] == ["040199"]
    with two_tables.transaction() as conn:
        assert build_composed(conn) == 2
        assert build_composed(conn) == 0  # current: nothing to do
    with two_tables.connect() as conn:
        stored = stored_targets(conn, chain, key, "040110")
        assert stored is not None and [t.code for t in stored] == ["040199"]
        assert convert(conn, "040110", "HS2017", "HS2012") == fresh


def test_pairs_no_longer_composed_are_dropped(two_tables: Database, tmp_path: Path) -> None:
    # A direct HS 2017 ↔ HS 2012 table: the conversion no longer composes.
    import_concordance(two_tables, make_workbook(
        tmp_path / "HS2017toHS2012Tables.xlsx", [("010121", "010121", "1:1")],
        editions=("HS2017", "HS2012"), conversion=[("010121", "010121")]))
    assert _stored_pairs(two_tables) == set()
    with two_tables.connect() as conn:
        assert conn.execute(select(func.count()).select_from(hs_composed)).scalar_one() == 0
        assert not convert(conn, "010121", "HS2017", "HS2012").composed


@pytest.mark.slow
@pytest.mark.shared_data
def test_stored_answers_equal_the_composed_path_on_unsd_tables(db: Database,
                                                               shared_data: Path) -> None:
    for name in ("HS2022toHS2017", "HS2022toHS2012"):
        import_concordance(
            db, shared_data / "hs-concordance" / f"{name}ConversionAndCorrelationTables.xlsx")
    expected = _codes(db, "HS2017") + _codes(db, "HS2012")
    compared = _assert_stored_equals_composed(db, [("HS2017", "HS2012"), ("HS2012", "HS2017")])
    assert compared == expected > 10_000

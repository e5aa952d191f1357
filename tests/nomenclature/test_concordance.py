"""Relations computed from the pairs; conversion both ways and composed through HS 2022."""

from pathlib import Path

import pytest
from sqlalchemy import insert

from tests.ingest.hs_workbooks import PAIRS, make_workbook
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput, NotFound
from tradewind.ingest.hs_concordance import import_concordance
from tradewind.nomenclature.concordance import (
    Conversion,
    Target,
    conversion_path,
    convert,
    correspondence,
    invert,
    pair_relations,
    relation_of,
    reverse_relation,
)
from tradewind.nomenclature.models import hs_correspondences


def test_relation_of_counts() -> None:
    assert relation_of(1, 1) == "1:1"
    assert relation_of(3, 1) == "1:n"
    assert relation_of(1, 2) == "n:1"
    assert relation_of(2, 2) == "n:n"
    assert reverse_relation("1:n") == "n:1"
    assert reverse_relation("n:n") == "n:n"


def test_pair_relations_match_the_expected_fixture() -> None:
    computed = pair_relations((a, b) for a, b, _r in PAIRS)
    assert computed == {(a, b): r for a, b, r in PAIRS}


def test_invert() -> None:
    assert invert({"a": ["x", "y"], "b": ["x"]}) == {"x": ["a", "b"], "y": ["a"]}


def test_conversion_overall_relation() -> None:
    one = Conversion("010121", "HS2022", "HS2017", [Target("010121", "1:1")], ["HS2022", "HS2017"])
    split = Conversion("020110", "HS2022", "HS2017",
                       [Target("020111", "1:n"), Target("020112", "1:n")], ["HS2022", "HS2017"])
    none = Conversion("999999", "HS2022", "HS2017", [], ["HS2022", "HS2017"])
    assert (one.relation, split.relation, none.relation) == ("1:1", "1:n", "none")
    assert not one.composed


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    import_concordance(db, make_workbook(tmp_path / "HS2022toHS2017Tables.xlsx"))
    return db


def test_convert_forward_and_back(loaded: Database) -> None:
    with loaded.connect() as conn:
        split = convert(conn, "0201.10", "HS2022", "HS2017")
        assert [(t.code, t.relation) for t in split.targets] == [("020111", "1:n"),
                                                                  ("020112", "1:n")]
        assert split.relation == "1:n" and split.path == ["HS2022", "HS2017"]
        back = convert(conn, "020111", "HS2017", "HS2022")
        assert [(t.code, t.relation) for t in back.targets] == [("020110", "n:1")]
        merged = convert(conn, "030100", "hs2017", "2022")
        assert [t.code for t in merged.targets] == ["030110", "030120"]
        assert merged.relation == "1:n"
        tangled = convert(conn, "040110", "HS2022", "HS2017")
        assert tangled.relation == "n:n"
        assert convert(conn, "010121", "HS2022", "HS2017").targets[0].conversion


def test_correspondence_both_directions(loaded: Database) -> None:
    with loaded.connect() as conn:
        forward = correspondence(conn, "HS2022", "HS2017")
        backward = correspondence(conn, "HS2017", "HS2022")
    assert forward["020110"] == ["020111", "020112"]
    assert backward["040120"] == ["040110", "040130"]
    assert invert(forward) == backward


def _add_table(db: Database, a: str, b: str, pairs: list[tuple[str, str]]) -> None:
    with db.transaction() as conn:
        ds = record_dataset(conn, kind="concordance", name="t", source="test", licence="-",
                            edition=f"{a}/{b}")
        rel = pair_relations(pairs)
        conn.execute(insert(hs_correspondences), [
            {"from_edition": a, "from_code": x, "to_edition": b, "to_code": y,
             "relation": rel[(x, y)], "conversion": False, "dataset_id": ds}
            for x, y in pairs])


def test_composes_through_hs2022_and_states_the_path(loaded: Database) -> None:
    _add_table(loaded, "HS2022", "HS2012", [("010121", "010121"), ("020110", "020110"),
                                            ("030110", "030110"), ("030120", "030110")])
    with loaded.connect() as conn:
        assert conversion_path(conn, "HS2017", "HS2012") == ["HS2017", "HS2022", "HS2012"]
        result = convert(conn, "020112", "HS2017", "HS2012")
        assert result.composed and result.path_text == "HS2017 → HS2022 → HS2012"
        # 020111 and 020112 both lead to 020110: a merger seen from 2017
        assert [(t.code, t.relation) for t in result.targets] == [("020110", "n:1")]
        assert correspondence(conn, "HS2017", "HS2012")["030100"] == ["030110"]
        back = convert(conn, "030110", "HS2012", "HS2017")
        assert [t.code for t in back.targets] == ["030100"]
        assert len(result.dataset_ids) == 2


def test_same_edition_is_identity(loaded: Database) -> None:
    with loaded.connect() as conn:
        result = convert(conn, "010121", "HS2017", "HS2017")
    assert [t.code for t in result.targets] == ["010121"] and result.path == ["HS2017"]


def test_unreachable_edition_is_not_found(loaded: Database) -> None:
    with loaded.connect() as conn, pytest.raises(NotFound):
        convert(conn, "010121", "HS2022", "HS1996")


def test_unknown_code_names_nearest(loaded: Database) -> None:
    with loaded.connect() as conn, pytest.raises(InvalidCode) as err:
        convert(conn, "020119", "HS2022", "HS2017")
    assert "0201.10" in err.value.suggestions


def test_bad_inputs(loaded: Database) -> None:
    with loaded.connect() as conn:
        with pytest.raises(InvalidCode):
            convert(conn, "0201", "HS2022", "HS2017")  # headings are not converted
        with pytest.raises(InvalidCode):
            convert(conn, "02011x", "HS2022", "HS2017")
        with pytest.raises(InvalidInput):
            convert(conn, "020110", "HS2022", "HS2031")

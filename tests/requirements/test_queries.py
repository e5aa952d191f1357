"""requirements_for: prefix matching both ways, validity dates, origin scope, EU groups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tradewind.agreements.init import load_groups
from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.requirements.queries import lookup, requirements_for

ROWS = [
    "EUN,B31,19,,EU food label,S,,,,2014-12-13,,",
    "EUN,A83,060311,,EU cut-flower certificate,S,,,,,,",
    "EUN,A21,0901,KEN,EU residue limits for Kenyan coffee,S,,,,,,",
    "KEN,A83,09012100,,Kenya certificate for roasted coffee,S,,,,2020-01-01,2022-12-31,",
]


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    with db.connect() as conn, conn.begin():
        load_groups(conn)
    path = tmp_path / "m.csv"
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    import_requirements_csv(db, path)
    return db


def _titles(db: Database, **kwargs: object) -> list[str]:
    with db.connect() as conn:
        result = requirements_for(conn, **kwargs)  # type: ignore[arg-type]
    return [m.title for c in result.chapters for m in c.measures]


def test_member_state_gets_eu_measures_and_prefix_match(loaded: Database) -> None:
    assert _titles(loaded, product="190531", destination="FRA", origin=None,
                   as_of=date(2024, 1, 1)) == ["EU food label"]
    # product shorter than a 2/4-digit measure code still matches (chapter 19 → 1905)
    assert _titles(loaded, product="19", destination="DEU", as_of=date(2024, 1, 1)) == [
        "EU food label"]
    # ... but not a 6-digit measure code
    assert _titles(loaded, product="0603", destination="DEU", as_of=date(2024, 1, 1)) == []


def test_validity_dates(loaded: Database) -> None:
    assert _titles(loaded, product="1905", destination="FRA", as_of=date(2010, 1, 1)) == []
    assert _titles(loaded, product="0901210010", destination="KEN",
                   as_of=date(2021, 6, 1)) == ["Kenya certificate for roasted coffee"]
    assert _titles(loaded, product="0901210010", destination="KEN",
                   as_of=date(2023, 6, 1)) == []


def test_origin_scope(loaded: Database) -> None:
    day = date(2024, 1, 1)
    assert _titles(loaded, product="090111", destination="ITA", origin="KEN", as_of=day) == [
        "EU residue limits for Kenyan coffee"]
    assert _titles(loaded, product="090111", destination="ITA", origin="BRA", as_of=day) == []
    # no origin given: every measure, listed origins included
    assert len(_titles(loaded, product="090111", destination="ITA", as_of=day)) == 1


def test_grouping_and_flags(loaded: Database) -> None:
    with loaded.connect() as conn:
        found = requirements_for(conn, product="190531", destination="FRA",
                                 as_of=date(2024, 1, 1))
        none = requirements_for(conn, product="8501", destination="FRA",
                                as_of=date(2024, 1, 1))
        no_data = requirements_for(conn, product="8501", destination="USA",
                                   as_of=date(2024, 1, 1))
    assert found.status == "found" and found.economies == ["FRA", "EUN"]
    assert found.chapters[0].chapter == "B"
    assert found.chapters[0].name == "Technical barriers to trade"
    assert none.status == "none_found" and none.provenance
    assert no_data.status == "no_data" and not no_data.market_covered
    data = found.as_dict()
    assert data["sample"] is False and data["provenance"][0]["kind"] == "requirements"


def test_lookup_validates_input(loaded: Database) -> None:
    with loaded.connect() as conn:
        with pytest.raises(InvalidInput, match="not an HS code"):
            lookup(conn, "coffee", "FRA")
        with pytest.raises(NotFound, match="unknown destination"):
            lookup(conn, "0901", "Atlantis")
        with pytest.raises(InvalidInput, match="not a date"):
            lookup(conn, "0901", "FRA", None, "2024-02-30")

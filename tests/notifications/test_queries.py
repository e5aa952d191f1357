"""Named queries: search filters, paging, product answer, deadlines; the SAMPLE loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.notifications.fixtures import counts, fake_infer, write_json
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
from tradewind.notifications import queries as q
from tradewind.notifications.sample import load_sample


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    import_wto_notifications_json(db, write_json(tmp_path / "n.json"), infer=fake_infer)
    return db


def _symbols(page: q.Page) -> list[str]:
    return [n.symbol for n in page.items]


def test_search_filters(loaded: Database) -> None:
    with loaded.connect() as conn:
        everything = q.search_notifications(conn)
        assert everything.total == 4 and _symbols(everything)[0] == "G/SPS/N/EU/712/Add.1"
        assert _symbols(q.search_notifications(conn, member="eun")) == [
            "G/SPS/N/EU/712/Add.1", "G/SPS/N/EU/712"]
        assert q.search_notifications(conn, area="TBT").total == 2
        assert set(_symbols(q.search_notifications(conn, hs="0901"))) == {
            "G/SPS/N/EU/712", "G/SPS/N/EU/712/Add.1", "G/TBT/N/KEN/123"}
        # a subheading finds a notification filed under its heading
        assert _symbols(q.search_notifications(conn, hs="0902.10")) == ["G/SPS/N/EU/712"]
        assert _symbols(q.search_notifications(conn, ics="29")) == ["G/TBT/N/USA/1964"]
        assert _symbols(q.search_notifications(conn, text="Energy MOTORS")) == [
            "G/TBT/N/USA/1964"]
        assert q.search_notifications(conn, text="100%").total == 0
        assert q.search_notifications(conn, date_from=date(2026, 5, 1),
                                      date_to=date(2026, 5, 31)).total == 2
        assert set(_symbols(q.search_notifications(conn, open_on=date(2026, 7, 1)))) == {
            "G/TBT/N/USA/1964", "G/TBT/N/KEN/123"}
        assert q.search_notifications(conn, open_on=date(2026, 4, 30)).total == 1
        paged = q.search_notifications(conn, page=2, per_page=3)
        assert (paged.total, len(paged.items), paged.pages) == (4, 1, 2)
        assert not paged.is_sample


@pytest.mark.parametrize("kwargs", [{"area": "XYZ"}, {"hs": "09a1"}, {"page": 0},
                                    {"per_page": 500},
                                    {"date_from": date(2026, 2, 1), "date_to": date(2026, 1, 1)}])
def test_search_refuses_bad_filters(loaded: Database, kwargs: dict[str, object]) -> None:
    with loaded.connect() as conn, pytest.raises(InvalidInput):
        q.search_notifications(conn, **kwargs)  # type: ignore[arg-type]


def test_notifications_for_product(loaded: Database) -> None:
    with loaded.connect() as conn:
        found = q.notifications_for_product(conn, hs_code="090121", member="EUN",
                                            as_of=date(2026, 4, 1))
        assert [(p.notification.symbol, p.comment_open, p.days_left) for p in found] == [
            ("G/SPS/N/EU/712", True, 29)]
        later = q.notifications_for_product(conn, hs_code="090121", member="EUN",
                                            as_of=date(2026, 8, 1))
        assert [p.notification.symbol for p in later] == ["G/SPS/N/EU/712/Add.1",
                                                          "G/SPS/N/EU/712"]
        assert not any(p.comment_open for p in later)
        assert q.notifications_for_product(conn, hs_code="090121", member="EUN",
                                           as_of=date(2028, 1, 1)) == []
        with pytest.raises(InvalidInput):
            q.notifications_for_product(conn, hs_code="0901", member="EUN",
                                        as_of=date(2026, 1, 1), months=0)


def test_comment_deadlines(loaded: Database) -> None:
    with loaded.connect() as conn:
        all_ = q.comment_deadlines(conn)
        assert [n.symbol for n in all_] == ["G/SPS/N/EU/712", "G/TBT/N/USA/1964",
                                            "G/TBT/N/KEN/123"]
        assert [n.symbol for n in q.comment_deadlines(conn, hs="0901", member="KEN")] == [
            "G/TBT/N/KEN/123"]
        assert q.comment_deadlines(conn, since=date(2026, 7, 15))[0].symbol == "G/TBT/N/KEN/123"


def test_sample_is_deterministic_and_labelled(db: Database) -> None:
    first = load_sample(db)
    assert first is not None and first.notifications == 15
    assert load_sample(db) is None  # idempotent
    before = counts(db)
    with db.connect() as conn:
        page = q.search_notifications(conn, per_page=100)
        members = {n.member for n in page.items}
    assert members == {"EUN", "USA", "GBR", "KEN", "IND", "BRA", "JPN"}
    assert page.is_sample and all("SAMPLE" in n.title for n in page.items)
    assert counts(db) == before

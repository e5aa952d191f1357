"""The shared aggregate cache: computed once per inputs and dataset version, read back from
the database by another process (simulated by forgetting the in-process LRU), and recomputed
after an import."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from tests.markets.flowdata import load_small_flows
from tradewind import aggcache
from tradewind.aggcache.models import aggregate_cache
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.flows.economies import economy_id
from tradewind.flows.load import FlowChunk, FlowLoader
from tradewind.i18n import current_language
from tradewind.markets import rank_markets, rank_products
from tradewind.markets.finder import compute_market_ranking
from tradewind.stats.queries import compute_product_market, product_market


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value
    return calls, compute


def test_memory_then_database_then_recomputed_after_an_import(db: Database) -> None:
    aggcache.clear_memory()
    calls, compute = _counting({"answer": [1, 2, 3]})
    with db.connect() as conn:
        assert aggcache.cached_aggregate(conn, "test", ("a", 1), compute) == {"answer": [1, 2, 3]}
        assert aggcache.cached_aggregate(conn, "test", ("a", 1), compute) == {"answer": [1, 2, 3]}
        assert len(calls) == 1
        assert aggcache.entries(conn) == 1
        # Another instance (no in-process entry) reads the shared row instead of computing.
        aggcache.clear_memory()
        assert aggcache.cached_aggregate(conn, "test", ("a", 1), compute) == {"answer": [1, 2, 3]}
        assert len(calls) == 1
        # Different inputs are a different entry.
        aggcache.cached_aggregate(conn, "test", ("a", 2), compute)
        assert len(calls) == 2
    with db.transaction() as conn:  # an import records a dataset: a new version
        record_dataset(conn, kind="tariff", name="t", source="s", licence="l", edition="1")
    with db.connect() as conn:
        aggcache.cached_aggregate(conn, "test", ("a", 1), compute)
        assert len(calls) == 3
        # storing at the new version dropped the entries of the old one
        versions = set(conn.execute(select(aggregate_cache.c.version)).scalars())
        assert len(versions) == 1
        assert aggcache.entries(conn) == 1


def test_rankings_and_statistics_equal_the_uncached_computation(db: Database) -> None:
    aggcache.clear_memory()
    load_small_flows(db)
    with db.connect() as conn:
        direct = compute_market_ranking(conn, "090111", "ETH")
        first = rank_markets(conn, "090111", "ETH")
        aggcache.clear_memory()
        from_db = rank_markets(conn, "090111", "ETH")
        for got in (first, from_db):
            assert [r.as_dict() for r in got.rows] == [r.as_dict() for r in direct.rows]
            assert got.as_dict() == direct.as_dict()
        assert len(rank_markets(conn, "090111", "ETH", limit=2).rows) == 2
        assert len(rank_markets(conn, "090111", "ETH").rows) == len(direct.rows)
        weighted = rank_markets(conn, "090111", "ETH", weights={"demand": 3})
        assert weighted.weights["demand"] == 3
        assert weighted.as_dict() == compute_market_ranking(
            conn, "090111", "ETH", weights={"demand": 3}).as_dict()
        assert product_market(conn, "090111", "DEU", "ETH").as_dict() == \
            compute_product_market(conn, "090111", "DEU", "ETH").as_dict()
        assert rank_products(conn, "DEU", "ETH").as_dict()["results"]
        assert aggcache.entries(conn) >= 4


def test_labels_follow_the_language_of_each_request(db: Database) -> None:
    aggcache.clear_memory()
    load_small_flows(db)
    with db.connect() as conn:
        token = current_language.set("en")
        try:
            english = {r.key: r.label for r in rank_markets(conn, "090111", "ETH").rows}
        finally:
            current_language.reset(token)
        token = current_language.set("fr")
        try:
            french = {r.key: r.label for r in rank_markets(conn, "090111", "ETH").rows}
        finally:
            current_language.reset(token)
    assert english["DEU"] == "Germany"
    assert french["DEU"] == "Allemagne"


def _import_one_flow(db: Database, value: int) -> None:
    """A flow import of 2023 with a single row (ETH → JPN coffee): it replaces that year."""
    with db.transaction() as conn:
        dataset = record_dataset(conn, kind="flows", name="new flows", source="tests",
                                 licence="test", edition="HS2022")
        loader = FlowLoader(conn, dataset_id=dataset, is_sample=False, source_edition="HS2022")
        loader.add(FlowChunk(
            year=np.array([2023], dtype=np.int16), hs6=np.array([90111], dtype=np.int32),
            importer=np.array([economy_id("JPN")], dtype=np.int16),
            exporter=np.array([economy_id("ETH")], dtype=np.int16),
            value_usd=np.array([value], dtype=np.int64),
            quantity=np.array([value // 4], dtype=np.int64)))
        loader.finish()


def test_the_cache_follows_new_flow_imports(db: Database) -> None:
    aggcache.clear_memory()
    load_small_flows(db)
    with db.connect() as conn:
        before = rank_markets(conn, "090111", "ETH")
        stats_before = product_market(conn, "090111", "JPN", "ETH")
    _import_one_flow(db, 7000)
    with db.connect() as conn:
        after = rank_markets(conn, "090111", "ETH")
        assert after.as_dict() == compute_market_ranking(conn, "090111", "ETH").as_dict()
        stats_after = product_market(conn, "090111", "JPN", "ETH")
    assert after.as_dict() != before.as_dict()
    assert stats_before.latest_imports is not None and stats_after.latest_imports is not None
    assert stats_before.latest_imports.value_usd == 800
    assert stats_after.latest_imports.value_usd == 7000


def test_an_editor_change_is_a_new_version_too(db: Database) -> None:
    from tradewind.audit import record_change

    with db.connect() as conn:
        before = aggcache.version_of(conn)
    with db.transaction() as conn:
        record_change(conn, actor="editor@example.org", action="update", entity="measure",
                      key="1", before={"title": "a"}, after={"title": "b"})
    with db.connect() as conn:
        assert aggcache.version_of(conn) != before

"""The market finder on the small flow dataset: the inputs it gathers must equal a direct
computation on the raw rows, and its ranking must equal the scoring maths on those inputs."""

from __future__ import annotations

import pytest

from tests.markets.flowdata import DISTANCES, GDP, flow_rows, load_small_flows
from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.markets import Weights, rank_markets, rank_products
from tradewind.markets.scoring import MarketInputs, SupplyInputs, rca, score_markets


def _sum(**match: str | int) -> float:
    keys = ("year", "exporter", "importer", "hs6")
    return float(sum(r[4] for r in flow_rows()
                     if all(dict(zip(keys, r[:4], strict=True))[k] == v
                            for k, v in match.items())))


def _expected_inputs() -> tuple[SupplyInputs, list[MarketInputs]]:
    eth = _sum(year=2023, exporter="ETH", hs6="090111")
    supply = SupplyInputs(
        exports=eth,
        rca=rca(eth, _sum(year=2023, exporter="ETH"), _sum(year=2023, hs6="090111"),
                _sum(year=2023)),
        growth=(eth / _sum(year=2019, exporter="ETH", hs6="090111")) ** (1 / 4) - 1,
        world_share=eth / _sum(year=2023, hs6="090111"))
    markets = []
    for m in ("DEU", "JPN", "KEN", "USA"):
        first_year = next(y for y in (2019, 2020, 2021, 2022)
                          if _sum(year=y, importer=m, hs6="090111") > 0)
        last = _sum(year=2023, importer=m, hs6="090111")
        growth = (last / _sum(year=first_year, importer=m, hs6="090111")) ** (
            1 / (2023 - first_year)) - 1
        first_gdp, last_gdp = GDP[m]
        markets.append(MarketInputs(
            m, imports=last, import_growth=growth,
            gdp_growth=(last_gdp / first_gdp) ** (1 / 5) - 1,
            actual_exports=_sum(year=2023, exporter="ETH", importer=m, hs6="090111"),
            distance_km=DISTANCES[m], contiguous=m == "KEN", common_language=m == "USA"))
    return supply, markets


def test_rank_markets_matches_direct_computation(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        ranking = rank_markets(conn, "0901.11", "ETH")
    supply, markets = _expected_inputs()
    expected = score_markets(supply, markets)
    assert [r.key for r in ranking.rows] == [r.key for r in expected]
    for got, want in zip(ranking.rows, expected, strict=True):
        assert got.score == pytest.approx(want.score)
        assert got.untapped == pytest.approx(want.untapped)
        assert got.actual == want.actual
    deu = next(r for r in ranking.rows if r.key == "DEU")
    assert deu.actual == 200
    assert deu.components["demand"].raw["imports_usd"] == 1760
    assert deu.label == "Germany"
    assert ranking.supply is not None and ranking.supply.rca == pytest.approx(supply.rca)
    # The origin itself is never a market, and nothing is guessed for access or agreements.
    assert "ETH" not in {r.key for r in ranking.rows}
    assert not ranking.access_known and not ranking.agreements_known
    assert {"access-unknown", "agreements-unknown"} <= set(ranking.notes)
    assert all(r.components["access"].score is None for r in ranking.rows)
    assert ranking.as_dict()["sample"] is False


def test_weights_change_the_ranking(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        by_demand = rank_markets(conn, "090111", "ETH", {"demand": 1, "supply": 0, "ease": 0})
        by_ease = rank_markets(conn, "090111", "ETH", Weights(supply=0, demand=0, ease=1))
    # Demand only: the largest importer (USA, 3 330 USD) first; ease only: Kenya (contiguous,
    # 1 150 km) first.
    assert by_demand.rows[0].key == "USA"
    assert by_ease.rows[0].key == "KEN"
    assert by_demand.weights["supply"] == 0


def test_sample_flows_are_labelled(db: Database) -> None:
    load_small_flows(db, is_sample=True)
    with db.connect() as conn:
        ranking = rank_markets(conn, "090111", "ETH")
    assert ranking.is_sample and ranking.as_dict()["sample"] is True


def test_without_geography_ease_is_unknown(db: Database) -> None:
    load_small_flows(db, geography=False)
    with db.connect() as conn:
        ranking = rank_markets(conn, "090111", "ETH")
    assert not ranking.geography_known and "geography-unknown" in ranking.notes
    assert all(not r.components["ease"].known for r in ranking.rows)
    # Only supply and demand count, so the ranking follows demand (supply is the same).
    assert ranking.rows[0].key == "USA"


def test_rank_markets_errors(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        with pytest.raises(NotFound, match="no market imported 010121"):
            rank_markets(conn, "010121", "ETH")
        with pytest.raises(InvalidInput):
            rank_markets(conn, "090111", "ETH", {"supply": -3})


def test_rank_products(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        ranking = rank_products(conn, "DEU", "ETH")
        with pytest.raises(InvalidInput):
            rank_products(conn, "ETH", "ETH")
    # ETH exported 090111 and 610910 in 2023; Germany imported both (and cars, which ETH
    # does not export).
    assert sorted(r.key for r in ranking.rows) == ["090111", "610910"]
    by = {r.key: r for r in ranking.rows}
    assert by["610910"].actual == 25
    assert by["090111"].actual == 200
    assert by["090111"].components["demand"].score == pytest.approx(100.0)

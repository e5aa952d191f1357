"""Scoring maths against hand-computed expectations (the arithmetic is in each docstring)."""

from __future__ import annotations

import math

import pytest

from tradewind.errors import InvalidInput
from tradewind.markets.scoring import (
    MarketInputs,
    ProductInputs,
    SupplyInputs,
    Weights,
    access_ratio,
    cagr,
    ease_factor,
    minmax_scores,
    projected_growth,
    rca,
    score_markets,
    score_products,
    series_cagr,
    supply_score,
)

SUPPLY = SupplyInputs(exports=1000.0, rca=1.0, growth=0.1, world_share=0.01)
# Three markets chosen so every number is easy to check by hand:
#   imports 999 / 99 999 / 9 999 → log10(1 + x) = 3 / 5 / 4 → demand 0 / 100 / 50
#   distances 1 000 / 10 000 / 100 km → −ln d min–max → 50 / 0 / 100
MARKETS = [
    MarketInputs("AAA", imports=999.0, import_growth=None, actual_exports=5.0,
                 distance_km=1000.0, contiguous=True, common_language=False),
    MarketInputs("BBB", imports=99999.0, import_growth=None, distance_km=10000.0),
    MarketInputs("CCC", imports=9999.0, import_growth=None, distance_km=100.0,
                 contiguous=False, common_language=True, agreement=True),
]


def test_cagr_and_series_cagr() -> None:
    """100 → 121 in two years is 10 % a year; zero years are skipped; the window is 5 years."""
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert cagr(0, 121, 2) is None and cagr(100, None, 2) is None
    assert series_cagr({2018: 100.0, 2019: 0.0, 2020: 121.0}, 2020) == pytest.approx(0.1)
    # 2015 is outside the 5-year window ending 2021, so the start is 2016 (value 100).
    series = {2015: 1.0, 2016: 100.0, 2021: 100.0 * 1.2 ** 5}
    assert series_cagr(series, 2021) == pytest.approx(0.2)
    assert series_cagr({2020: 5.0}, 2020) is None


def test_rca() -> None:
    """(10/100) / (50/10 000) = 0.1 / 0.005 = 20."""
    assert rca(10, 100, 50, 10_000) == pytest.approx(20.0)
    assert rca(10, 0, 50, 10_000) is None


def test_minmax_scores_handles_unknown_and_ties() -> None:
    assert minmax_scores([1.0, None, 3.0, 2.0]) == [0.0, None, 100.0, 50.0]
    assert minmax_scores([7.0, 7.0]) == [50.0, 50.0]
    assert minmax_scores([None, None]) == [None, None]


def test_supply_score() -> None:
    """75 % × RCA/(1+RCA) + 25 % × (g + 0.5)/1 = 0.75 × 0.5 + 0.25 × 0.6 = 0.525 → 52.5."""
    assert supply_score(SUPPLY).score == pytest.approx(52.5)
    # Without growth only the RCA part counts: RCA 3 → 3/4 → 75.
    only_rca = SupplyInputs(exports=1.0, rca=3.0, growth=None, world_share=0.0)
    assert supply_score(only_rca).score == pytest.approx(75.0)
    # Growth is clamped at +50 %: 0.75 × 0.5 + 0.25 × 1 = 0.625.
    fast = SupplyInputs(exports=1.0, rca=1.0, growth=3.0, world_share=0.0)
    assert supply_score(fast).score == pytest.approx(62.5)
    assert supply_score(SupplyInputs(0.0, None, None, 0.0)).score is None


def test_projected_growth_mixes_signals() -> None:
    """g = mean(import CAGR 10 %, GDP CAGR 4 %) = 7 %; population only when GDP is missing."""
    m = MarketInputs("X", imports=1.0, import_growth=0.1, gdp_growth=0.04, population_growth=0.02)
    assert projected_growth(m) == (pytest.approx(0.07), "imports+gdp")
    m2 = MarketInputs("X", imports=1.0, import_growth=0.1, population_growth=0.02)
    assert projected_growth(m2) == (pytest.approx(0.06), "imports+population")
    assert projected_growth(MarketInputs("X", imports=1.0, import_growth=None)) == (0.0, "none")
    assert projected_growth(MarketInputs("X", 1.0, import_growth=-0.9))[0] == -0.5


def test_score_markets_by_hand() -> None:
    """Components (access unknown everywhere, so it is left out of the mean):

    AAA: supply 52.5, demand 0, ease = (0.55×50 + 0.15×100 + 0.15×0)/0.85 = 50 → 34.1667
    BBB: supply 52.5, demand 100, ease = distance only = 0                 → 50.8333
    CCC: supply 52.5, demand 50, ease = 0.55×100 + 0 + 0.15×100 + 0.15×100 = 85 → 62.5
    """
    rows = score_markets(SUPPLY, MARKETS)
    assert [r.key for r in rows] == ["CCC", "BBB", "AAA"]
    assert [r.rank for r in rows] == [1, 2, 3]
    by = {r.key: r for r in rows}
    assert by["AAA"].components["demand"].score == pytest.approx(0.0)
    assert by["CCC"].components["demand"].score == pytest.approx(50.0)
    assert by["AAA"].components["ease"].score == pytest.approx(50.0)
    assert by["BBB"].components["ease"].score == pytest.approx(0.0)
    assert by["CCC"].components["ease"].score == pytest.approx(85.0)
    assert all(not r.components["access"].known for r in rows)
    assert "unknown" in by["AAA"].components["access"].note
    assert by["AAA"].score == pytest.approx((52.5 + 0 + 50) / 3)
    assert by["BBB"].score == pytest.approx((52.5 + 100 + 0) / 3)
    assert by["CCC"].score == pytest.approx((52.5 + 50 + 85) / 3)


def test_weights_change_the_order() -> None:
    """Demand weight 2: BBB = (52.5 + 2×100 + 0)/4 = 63.125 beats CCC = (52.5 + 100 + 85)/4."""
    rows = score_markets(SUPPLY, MARKETS, Weights(demand=2))
    assert [r.key for r in rows][:2] == ["BBB", "CCC"]
    assert rows[0].score == pytest.approx(63.125)
    assert rows[1].score == pytest.approx(59.375)
    # Only ease counts: CCC 85, AAA 50, BBB 0.
    only_ease = score_markets(SUPPLY, MARKETS, Weights(supply=0, demand=0, access=0, ease=1))
    assert [(r.key, round(r.score, 6)) for r in only_ease] == [
        ("CCC", 85.0), ("AAA", 50.0), ("BBB", 0.0)]


def test_potential_and_untapped_by_hand() -> None:
    """potential = projected imports × world share × access ratio (1) × ease factor.

    Median distance 1 000 km. AAA: √(1000/1000) × 1.3 (contiguous) = 1.3 → 999 × 0.01 × 1.3
    = 12.987, minus actual 5 = 7.987.  BBB: √0.1 → 99 999 × 0.01 × 0.316228 = 316.2246.
    CCC: √10 × 1.2 × 1.2 = 4.55 capped at 4 → 9 999 × 0.01 × 4 = 399.96.
    """
    by = {r.key: r for r in score_markets(SUPPLY, MARKETS)}
    assert by["AAA"].potential == pytest.approx(12.987)
    assert by["AAA"].untapped == pytest.approx(7.987)
    assert by["BBB"].potential == pytest.approx(99999 * 0.01 * math.sqrt(0.1))
    assert by["CCC"].potential == pytest.approx(399.96)
    assert ease_factor(MARKETS[2], 1000.0) == 4.0


def test_access_component() -> None:
    """Origin duty 0 % vs rivals 10 % → ratio 1.1 → 100; 10 % vs 10 % → 1.0 → 0; unknown stays out.

    Potential of the first market includes the ratio: 1000 × 0.01 × 1.1 × 1 = 11.
    """
    markets = [
        MarketInputs("AAA", imports=1000.0, import_growth=None, tariff_origin=0.0,
                     tariff_competitors=10.0),
        MarketInputs("BBB", imports=1000.0, import_growth=None, tariff_origin=10.0,
                     tariff_competitors=10.0),
        MarketInputs("CCC", imports=1000.0, import_growth=None),
    ]
    assert access_ratio(markets[0]) == pytest.approx(1.1)
    by = {r.key: r for r in score_markets(SUPPLY, markets)}
    assert by["AAA"].components["access"].score == pytest.approx(100.0)
    assert by["BBB"].components["access"].score == pytest.approx(0.0)
    assert by["CCC"].components["access"].score is None
    # Equal demand (50 each), no geography: AAA = (52.5 + 50 + 100)/3, CCC = (52.5 + 50)/2.
    assert by["AAA"].score == pytest.approx((52.5 + 50 + 100) / 3)
    assert by["CCC"].score == pytest.approx((52.5 + 50) / 2)
    assert by["AAA"].potential == pytest.approx(11.0)


def test_demand_projection_in_score() -> None:
    """Projected imports = imports × (1 + g)³: 1000 × 1.1³ = 1331."""
    rows = score_markets(SUPPLY, [MarketInputs("AAA", 1000.0, import_growth=0.1),
                                  MarketInputs("BBB", 1000.0, import_growth=None)])
    by = {r.key: r for r in rows}
    assert by["AAA"].projected_demand == pytest.approx(1331.0)
    assert by["AAA"].components["demand"].score == pytest.approx(100.0)
    assert by["BBB"].components["demand"].score == pytest.approx(0.0)


def test_score_products_normalises_across_products() -> None:
    """Supply now varies: RCA 3 → 3/4 → 75; RCA 1/3 → (1/3)/(4/3) → 25 (no growth known, so
    the RCA part carries the whole supply score).

    Demand 100 / 0 (imports 9 999 vs 99); ease is the market's own (no data → unknown).
    """
    market_big = MarketInputs("DEU", imports=9999.0, import_growth=None)
    market_small = MarketInputs("DEU", imports=99.0, import_growth=None)
    rows = score_products([
        ProductInputs("090111", SupplyInputs(10.0, 1 / 3, None, 0.001), market_big),
        ProductInputs("610910", SupplyInputs(10.0, 3.0, None, 0.1), market_small),
    ])
    by = {r.key: r for r in rows}
    assert by["610910"].components["supply"].score == pytest.approx(75.0)
    assert by["090111"].components["supply"].score == pytest.approx(25.0)
    assert by["090111"].score == pytest.approx((25 + 100) / 2)
    assert by["610910"].score == pytest.approx((75 + 0) / 2)
    assert rows[0].key == "090111"
    assert by["610910"].potential == pytest.approx(99 * 0.1)


@pytest.mark.parametrize("bad", [{"supply": -1}, {"demand": float("nan")}, {"ease": 1000},
                                 {"supply": 0, "demand": 0, "access": 0, "ease": 0}])
def test_bad_weights_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        Weights.from_mapping(bad)


def test_weights_ignore_unknown_names() -> None:
    assert Weights.from_mapping({"supply": 2, "other": 5}).as_dict()["supply"] == 2.0

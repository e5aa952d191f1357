"""SAMPLE geography is plausible: real capitals, borders and languages (GeoNames)."""

from __future__ import annotations

from tradewind.flows.generator import capitals, make_world
from tradewind.flows.sample import SAMPLE_SEED


def _pair(a: str, b: str) -> tuple[float, bool, bool]:
    world = make_world(SAMPLE_SEED)
    i, j = world.iso3.index(a), world.iso3.index(b)
    return (float(world.distance_km[i, j]), bool(world.contiguous[i, j]),
            bool(world.common_language[i, j]))


def test_known_distances_have_the_right_order_of_magnitude() -> None:
    assert _pair("FRA", "DEU")[0] < 1500
    assert _pair("KEN", "USA")[0] > 10000
    assert _pair("GBR", "IRL")[0] < 1000
    assert 15000 < _pair("ESP", "NZL")[0] < 21000
    assert _pair("BRA", "ARG")[0] < 3000


def test_borders_and_languages_are_real() -> None:
    assert _pair("FRA", "DEU")[1] and _pair("KEN", "UGA")[1]
    assert not _pair("KEN", "USA")[1] and not _pair("GBR", "FRA")[1]
    assert _pair("FRA", "BEL")[2] and _pair("ESP", "MEX")[2] and _pair("USA", "GBR")[2]
    assert not _pair("FRA", "DEU")[2]


def test_every_inhabited_economy_with_a_geonames_entry_has_its_capital() -> None:
    world = make_world(SAMPLE_SEED)
    placed = capitals().position
    assert sum(code in placed for code in world.iso3) >= 0.95 * len(world.iso3)

"""Statistics queries on a small flow dataset built in code; expectations recomputed directly
from the raw rows (``tests.markets.flowdata.flow_rows``), not copied from the code under test."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.markets.flowdata import flow_rows, load_small_flows
from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput, NotFound
from tradewind.stats import queries as q


def _sum(**match: str | int) -> float:
    keys = ("year", "exporter", "importer", "hs6")
    total = 0.0
    for row in flow_rows():
        fields = dict(zip(keys, row[:4], strict=True))
        if all(fields[k] == v for k, v in match.items()):
            total += row[4]
    return total


def test_no_flows_is_a_clear_404(db: Database) -> None:
    with db.connect() as conn, pytest.raises(NotFound, match="no trade flows"):
        q.product_market(conn, "090111", "DEU")


def test_parse_product() -> None:
    assert q.parse_product("0901.11") == "090111"
    with pytest.raises(InvalidInput, match="six-digit"):
        q.parse_product("0901")
    with pytest.raises(InvalidCode):
        q.parse_product("0901.1x")


def test_imports_by_market(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        figures = q.imports_by_market(conn, "090111", "DEU")
    assert [f.year for f in figures] == [2019, 2020, 2021, 2022, 2023]
    for f in figures:
        assert f.value_usd == _sum(year=f.year, importer="DEU", hs6="090111")
    latest = figures[-1]
    # 2023: 1500 + 200 + 60 = 1760 USD; quantity value//4 each = 375 + 50 + 15 = 440 kg.
    assert latest.value_usd == 1760
    assert latest.quantity_kg == 440
    assert latest.unit_value == pytest.approx(1760 / 440)


def test_product_market_page_data(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        pm = q.product_market(conn, "090111", "DEU", origin="ETH")
    assert pm.year == 2023 and pm.years == [2019, 2020, 2021, 2022, 2023]
    # 5-year growth: 2019 = 1100, 2023 = 1760 → (1760/1100)^(1/4) − 1 (four years apart).
    assert pm.import_growth == pytest.approx((1760 / 1100) ** (1 / 4) - 1)
    assert [s.iso3 for s in pm.suppliers] == ["BRA", "ETH", "KEN"]
    assert pm.suppliers[0].share == pytest.approx(1500 / 1760)
    assert pm.origin_share == pytest.approx(200 / 1760)
    assert pm.origin_rank == 2
    assert [(f.year, f.value_usd) for f in pm.origin_exports] == [
        (2019, 100), (2020, 120), (2021, 150), (2022, 180), (2023, 200)]
    world_2023 = _sum(year=2023, hs6="090111")
    assert pm.world[-1].value_usd == world_2023
    assert pm.market_share_of_world == pytest.approx(1760 / world_2023)
    assert pm.is_sample is False
    assert pm.as_dict()["provenance"][0]["name"] == "test flows"


def test_origin_absent_from_market(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        pm = q.product_market(conn, "090111", "JPN", origin="KEN")
    assert pm.origin_share == 0.0 and pm.origin_rank is None
    assert pm.origin_exports == []


def test_as_of_picks_an_earlier_year(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        pm = q.product_market(conn, "090111", "DEU", as_of=2021)
        assert pm.year == 2021 and pm.years == [2019, 2020, 2021]
        with pytest.raises(InvalidInput, match="no flows loaded for 2010"):
            q.product_market(conn, "090111", "DEU", as_of=2010)


def test_export_basket_and_rca(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        basket = q.export_basket(conn, "ETH", 2023, limit=None)
    eth_total = _sum(year=2023, exporter="ETH")
    world_total = _sum(year=2023)
    by_product = {b.product: b for b in basket}
    assert set(by_product) == {"090111", "610910"}
    coffee = by_product["090111"]
    eth_coffee = _sum(year=2023, exporter="ETH", hs6="090111")
    world_coffee = _sum(year=2023, hs6="090111")
    assert coffee.value_usd == eth_coffee
    assert coffee.share == pytest.approx(eth_coffee / eth_total)
    assert coffee.rca == pytest.approx((eth_coffee / eth_total) / (world_coffee / world_total))
    assert coffee.partners == 3  # 2023 markets: DEU, USA and KEN
    assert basket[0].value_usd >= basket[-1].value_usd


def test_import_basket(db: Database) -> None:
    load_small_flows(db)
    with db.connect() as conn:
        basket = q.import_basket(conn, "DEU", 2023)
    totals: dict[str, float] = defaultdict(float)
    for year, _e, importer, hs6, value, _qty in flow_rows():
        if year == 2023 and importer == "DEU":
            totals[hs6] += value
    assert [(b.product, b.value_usd) for b in basket] == sorted(
        totals.items(), key=lambda kv: -kv[1])
    assert sum(b.share for b in basket) == pytest.approx(1.0)
    assert basket[0].rca is None

"""The bulk duty lookups of a ranking give what the pair-by-pair lookup gives, and so the
same ranking, on the SAMPLE data (every engine the tests run on)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tradewind.db import Database
from tradewind.errors import TradewindError
from tradewind.flows.models import flow_world
from tradewind.markets import links, rates
from tradewind.markets.finder import compute_market_ranking
from tradewind.tariffs import queries as tq
from tradewind.tariffs.models import tariff_rates, tariff_schedules

DAY = date(2025, 6, 2)
ORIGINS = ("KEN", "IND", "BRA", "VNM", "CHN")


def _products(conn: object, count: int) -> list[str]:
    """Products with both SAMPLE flows and SAMPLE rates (the ones whose access is known)."""
    traded = {int(k) for k in conn.execute(select(flow_world.c.hs6).distinct()).scalars()}  # type: ignore[attr-defined]
    rated = sorted({str(k) for k in conn.execute(  # type: ignore[attr-defined]
        select(tariff_rates.c.hs6).distinct()).scalars() if int(k) in traded})
    return rated[:count]


def test_bulk_rates_equal_pair_by_pair(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        markets = sorted(set(conn.execute(select(tariff_schedules.c.economy)).scalars()))
        products = _products(conn, 12)
        assert products and markets, "the SAMPLE should have rates of traded products"
        version = links.data_version(conn)
        compared = 0
        for hs6 in products:
            bulk = rates.ProductRates(tq, conn, hs6, DAY, version)
            for market in markets:
                for who in ORIGINS:
                    pricing = links.Pricing(2.5, DAY)
                    expected = links.best_rate(tq, conn, market, hs6, who, pricing)
                    found = bulk.best(market, who,
                                      lambda r, p=pricing: links._percent(conn, r, p))
                    assert found == expected, (hs6, market, who)
                    compared += expected is not None
        assert compared, "some lookups should find a duty"


def _rankings(conn: object, products: list[str]) -> dict[tuple[str, str], object]:
    out: dict[tuple[str, str], object] = {}
    for hs6 in products:
        for origin in ORIGINS:
            try:
                out[(hs6, origin)] = compute_market_ranking(conn, hs6, origin,  # type: ignore[arg-type]
                                                            as_of=DAY).as_dict()
            except TradewindError as exc:
                out[(hs6, origin)] = str(exc)
    return out


def test_ranking_unchanged_by_bulk_reading(hs_db: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Bulk reading (duties per ranking, suppliers from one block) against the pair-by-pair
    path of the tariff functions: the same rankings, ranks, scores and components."""
    with hs_db.connect() as conn:
        products = _products(conn, 8)
        links.clear_derived()
        fast = _rankings(conn, products)
        links.clear_derived()
        monkeypatch.setattr(rates, "supported", lambda _queries: False)
        slow = _rankings(conn, products)
        links.clear_derived()
    assert any(isinstance(v, dict) and v["access_known"] for v in slow.values())
    assert fast == slow

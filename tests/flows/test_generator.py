"""The synthetic BACI generator: deterministic, BACI-shaped, gravity-like."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from tradewind.flows.generator import (
    MSME_PRODUCTS,
    generate_baci,
    hs2022_products,
    make_world,
    parse_years,
    product_flows,
    sample_products,
)

PRODUCTS = [90111, 90121, 610910, 851830, 940360]


def _generate(out: Path) -> Path:
    files = generate_baci(out, [2021, 2022], scale=0.002, seed=3, products=PRODUCTS)
    return files.flows[2022]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a = _generate(tmp_path / "a")
    b = _generate(tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a" / "country_codes_V202401.csv").read_bytes() == \
        (tmp_path / "b" / "country_codes_V202401.csv").read_bytes()
    other = generate_baci(tmp_path / "c", [2022], scale=0.002, seed=4, products=PRODUCTS)
    assert other.flows[2022].read_bytes() != a.read_bytes()


def test_files_follow_baci(tmp_path: Path) -> None:
    path = _generate(tmp_path)
    with path.open(encoding="ascii", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == ["t", "i", "j", "k", "v", "q"]
        rows = list(reader)
    assert len(rows) > 1000
    codes = {int(r[0]) for r in csv.reader((tmp_path / "country_codes_V202401.csv").open())
             if r[0].isdigit()}
    assert {842, 251, 699, 757, 579, 490} <= codes  # BACI's own numeric codes
    assert len(codes) >= 200
    keys = set()
    for t, i, j, k, v, q in rows:
        assert t == "2022" and int(i) in codes and int(j) in codes and i != j
        assert int(k) in PRODUCTS
        assert float(v) > 0
        assert q.strip() == "NA" or float(q) >= 0
        keys.add((i, j, k))
    assert len(keys) == len(rows)  # no duplicates
    assert any(q.strip() == "NA" for *_, q in rows)


def test_gravity_shape() -> None:
    """Bigger economies trade more, and nearer markets buy more of a product."""
    world = make_world(1)
    flows = product_flows(world, 90111, 20_000, [2021], seed=1)
    value = flows.values[2021]
    by_exporter = np.bincount(flows.exporter, weights=value, minlength=len(world.iso3))
    big = world.gdp_usd > np.quantile(world.gdp_usd, 0.75)
    assert by_exporter[big].sum() > by_exporter[~big].sum()
    distance = world.distance_km[flows.exporter, flows.importer]
    near = distance < np.median(distance)
    assert value[near].mean() > value[~near].mean()
    # Many zeros: far fewer pairs trade than could.
    assert len(value) < 0.5 * len(world.iso3) ** 2


def test_world_and_products() -> None:
    world = make_world(1)
    assert len(world.iso3) >= 200
    assert len(hs2022_products()) >= 5000
    sample = sample_products(500, 1)
    assert len(sample) == 500
    assert set(MSME_PRODUCTS) & set(hs2022_products()) <= set(sample)
    assert sample == sample_products(500, 1)


def test_parse_years() -> None:
    assert parse_years("2019-2021") == [2019, 2020, 2021]
    assert parse_years("2021,2019") == [2019, 2021]
    with pytest.raises(ValueError):
        parse_years("soon")


def test_msme_unit_values_are_plausible() -> None:
    """Coffee around 4 USD/kg, jewellery in the thousands (SAMPLE duties use unit values)."""
    world = make_world(1)
    for hs6, low, high in ((90111, 2, 8), (711319, 1000, 4000)):
        flows = product_flows(world, hs6, 500, [2021], seed=1)
        v, q = flows.values[2021], flows.tonnes[2021]
        known = ~np.isnan(q) & (q > 0) & (v > 0)
        assert low < v[known].sum() / q[known].sum() < high

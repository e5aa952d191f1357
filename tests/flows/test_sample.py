"""The SAMPLE flows loaded by ``tradewind init``: present, labelled, small and useful."""

from __future__ import annotations

from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.flows.economies import economy_id
from tradewind.flows.generator import MSME_PRODUCTS
from tradewind.flows.models import (
    country_pairs,
    flow_exports,
    flow_imports,
    flow_years,
    indicators,
)
from tradewind.flows.sample import SAMPLE_YEARS, init_sample_flows
from tradewind.settings import Settings


def test_init_loads_labelled_sample(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        years = conn.execute(select(flow_years.c.year, datasets.c.is_sample, datasets.c.name)
                             .join(datasets, datasets.c.id == flow_years.c.dataset_id)
                             .order_by(flow_years.c.year)).all()
        products = set(conn.execute(select(flow_imports.c.hs6).distinct()).scalars())
        markets = conn.execute(select(func.count(func.distinct(flow_imports.c.importer))))\
            .scalar_one()
        gdp = conn.execute(select(func.count()).select_from(indicators)
                           .where(indicators.c.indicator == "NY.GDP.MKTP.CD")).scalar_one()
        pairs = conn.execute(select(func.count()).select_from(country_pairs)).scalar_one()
        ethiopia_coffee = conn.execute(select(func.count()).select_from(flow_exports).where(
            flow_exports.c.hs6 == 90111)).scalar_one()
        sample_kinds = set(conn.execute(select(datasets.c.kind).where(
            datasets.c.is_sample.is_(True))).scalars())
    assert [y.year for y in years] == SAMPLE_YEARS
    assert all(y.is_sample and y.name.startswith("SAMPLE") for y in years)
    assert set(MSME_PRODUCTS) <= products
    assert 300 <= len(products) <= 800
    assert markets >= 200
    assert gdp > 0 and pairs > 0 and ethiopia_coffee > 0
    assert {"flows", "indicators", "geography"} <= sample_kinds
    assert economy_id("USA") > 0


def test_sample_step_is_idempotent_and_optional(db: Database, tmp_path) -> None:
    settings = Settings.load(env={}, dotenv=tmp_path / "none", database_url=db.url,
                             load_samples=False)
    init_sample_flows(db, settings, lambda _m: None)
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(flow_years)).scalar_one() == 0


def test_queries_report_sample(hs_db: Database) -> None:
    from tradewind.flows.queries import flow_datasets, flow_years_loaded, is_sample_flows

    with hs_db.connect() as conn:
        assert flow_years_loaded(conn) == SAMPLE_YEARS
        assert is_sample_flows(conn)
        assert [p.kind for p in flow_datasets(conn)] == ["flows"]

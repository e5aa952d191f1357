"""A small flow dataset built in code, loaded through FLOWS' loader (so the aggregates are
exactly what a real import builds).  Shared by the stats, markets and charts tests."""

from __future__ import annotations

import numpy as np
from sqlalchemy import insert

from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.flows.economies import economy_id
from tradewind.flows.load import FlowChunk, FlowLoader
from tradewind.flows.models import country_pairs, indicators

YEARS = [2019, 2020, 2021, 2022, 2023]
# (exporter, importer, hs6, {year: value USD}), quantities are value / 4 (USD 4 per kg).
FLOWS: list[tuple[str, str, str, dict[int, int]]] = [
    ("BRA", "DEU", "090111", {2019: 1000, 2020: 1100, 2021: 1200, 2022: 1300, 2023: 1500}),
    ("ETH", "DEU", "090111", {2019: 100, 2020: 120, 2021: 150, 2022: 180, 2023: 200}),
    ("KEN", "DEU", "090111", {2023: 60}),
    ("BRA", "USA", "090111", {2019: 3000, 2020: 3000, 2021: 3100, 2022: 3200, 2023: 3300}),
    ("ETH", "USA", "090111", {2019: 50, 2021: 40, 2023: 30}),
    ("BRA", "JPN", "090111", {2019: 400, 2023: 800}),
    ("ETH", "KEN", "090111", {2022: 10, 2023: 12}),
    ("BRA", "ETH", "090111", {2023: 5}),
    ("ETH", "FRA", "610910", {2019: 70, 2023: 90}),
    ("KEN", "FRA", "610910", {2019: 300, 2023: 350}),
    ("BRA", "DEU", "610910", {2023: 40}),
    ("ETH", "DEU", "610910", {2023: 25}),
    ("DEU", "FRA", "870323", {2019: 9000, 2023: 10000}),
    ("FRA", "DEU", "870323", {2019: 8000, 2023: 8500}),
    ("USA", "JPN", "870323", {2023: 4000}),
]
GDP = {"DEU": (3.8e12, 4.4e12), "USA": (21e12, 27e12), "JPN": (5.1e12, 4.2e12),
       "FRA": (2.7e12, 3.0e12), "KEN": (1.0e11, 1.1e11), "ETH": (9.6e10, 1.6e11)}
DISTANCES = {"DEU": 5600.0, "USA": 11500.0, "JPN": 9500.0, "FRA": 5500.0, "KEN": 1150.0,
             "BRA": 9900.0}


def flow_rows() -> list[tuple[int, str, str, str, int, int]]:
    """(year, exporter, importer, hs6, value, quantity) for every flow above."""
    return [(year, e, i, k, v, v // 4) for e, i, k, series in FLOWS for year, v in series.items()]


def load_small_flows(db: Database, *, is_sample: bool = False, geography: bool = True) -> int:
    """Load the flows (and, with ``geography``, GDP and ETH's distances); returns the dataset id."""
    rows = flow_rows()
    with db.transaction() as conn:
        dataset = record_dataset(conn, kind="flows", name="test flows", source="tests",
                                 licence="test", edition="HS2022", is_sample=is_sample)
        loader = FlowLoader(conn, dataset_id=dataset, is_sample=is_sample,
                            source_edition="HS2022")
        loader.add(FlowChunk(
            year=np.array([r[0] for r in rows], dtype=np.int16),
            hs6=np.array([int(r[3]) for r in rows], dtype=np.int32),
            importer=np.array([economy_id(r[2]) for r in rows], dtype=np.int16),
            exporter=np.array([economy_id(r[1]) for r in rows], dtype=np.int16),
            value_usd=np.array([r[4] for r in rows], dtype=np.int64),
            quantity=np.array([r[5] for r in rows], dtype=np.int64)))
        loader.finish()
        if geography:
            geo = record_dataset(conn, kind="indicators", name="test GDP", source="tests",
                                 licence="test", edition="2023", is_sample=is_sample)
            conn.execute(insert(indicators), [
                {"indicator": "NY.GDP.MKTP.CD", "iso3": iso3, "year": year, "value": value,
                 "dataset_id": geo}
                for iso3, (first, last) in GDP.items()
                for year, value in ((2018, first), (2023, last))])
            conn.execute(insert(country_pairs), [
                {"origin": "ETH", "destination": d, "distance_km": km,
                 "contiguous": d == "KEN", "common_official_language": False,
                 "common_language": d == "USA", "colonial_link": False,
                 "common_colonizer": False, "dataset_id": geo}
                for d, km in DISTANCES.items()])
    return dataset

"""FlowLoader: staging, merging, aggregates, year replacement and SAMPLE replacement."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.flows.blocks import flow_rows
from tradewind.flows.economies import economy_id
from tradewind.flows.load import MISSING_QUANTITY, FlowChunk, FlowLoader
from tradewind.flows.models import (
    flow_economy_totals,
    flow_exports,
    flow_imports,
    flow_world,
    flow_years,
    trade_flow_blocks,
)

USA, KEN, ETH, DEU = (economy_id(c) for c in ("USA", "KEN", "ETH", "DEU"))


def _chunk(rows: list[tuple[int, int, int, int, int, int]]) -> FlowChunk:
    cols = [np.array(c, dtype=np.int64) for c in zip(*rows, strict=True)]
    return FlowChunk(*cols)


def _load(db: Database, rows: list[tuple[int, int, int, int, int, int]], *,
          is_sample: bool = False, merge: bool = True) -> int:
    with db.transaction() as conn:
        dataset_id = record_dataset(conn, kind="flows", name="test", source="test",
                                    licence="test", edition="HS2022", is_sample=is_sample)
        loader = FlowLoader(conn, dataset_id=dataset_id, is_sample=is_sample,
                            source_edition="HS2022")
        loader.add(_chunk(rows))
        loader.finish(merge=merge)
    return dataset_id


def test_aggregates(db: Database) -> None:
    # (year, hs6, importer, exporter, value, quantity)
    _load(db, [
        (2022, 90111, USA, ETH, 100, 10), (2022, 90111, USA, KEN, 50, MISSING_QUANTITY),
        (2022, 90111, DEU, ETH, 70, 7), (2022, 610910, DEU, USA, 5, 1),
        (2022, 90111, USA, ETH, 1, 1),  # same key twice (an n:1 merge): summed
    ])
    with db.connect() as conn:
        flows = {(r.importer, r.exporter, r.hs6): (r.value_usd, r.quantity)
                 for r in flow_rows(conn)}
        imports = {(r.hs6, r.importer): (r.value_usd, r.quantity, r.suppliers)
                   for r in conn.execute(select(flow_imports))}
        exports = {(r.hs6, r.exporter): (r.value_usd, r.markets)
                   for r in conn.execute(select(flow_exports))}
        world = {r.hs6: (r.value_usd, r.exporters, r.importers)
                 for r in conn.execute(select(flow_world))}
        totals = {r.economy: (r.exports_usd, r.imports_usd)
                  for r in conn.execute(select(flow_economy_totals))}
        year = conn.execute(select(flow_years)).one()
    assert flows[(USA, ETH, 90111)] == (101, 11)
    assert flows[(USA, KEN, 90111)] == (50, None)
    assert imports[(90111, USA)] == (151, 11, 2)
    assert exports[(90111, ETH)] == (171, 2)
    assert world[90111] == (221, 2, 2)
    assert totals[USA] == (5, 151) and totals[ETH] == (171, 0)
    assert (year.year, year.row_count, year.value_usd, year.quantity_unit) == (2022, 4, 226, "kg")


def test_reimporting_a_year_replaces_it(db: Database) -> None:
    _load(db, [(2022, 90111, USA, ETH, 100, 10), (2021, 90111, USA, ETH, 9, 1)])
    _load(db, [(2022, 90111, USA, KEN, 7, 1)], merge=False)
    with db.connect() as conn:
        rows = sorted((r.year, r.exporter, r.value_usd) for r in flow_rows(conn))
        years = sorted(conn.execute(select(flow_years.c.year)).scalars())
    assert rows == [(2021, ETH, 9), (2022, KEN, 7)]
    assert years == [2021, 2022]


def test_real_import_replaces_every_sample_year(db: Database) -> None:
    _load(db, [(2019, 90111, USA, ETH, 1, 1), (2020, 90111, USA, ETH, 2, 1)], is_sample=True)
    real = _load(db, [(2022, 90111, USA, KEN, 7, 1)])
    with db.connect() as conn:
        years = conn.execute(select(flow_years.c.year, flow_years.c.dataset_id)).all()
        left = conn.execute(select(trade_flow_blocks.c.year)).scalars().all()
    assert [tuple(y) for y in years] == [(2022, real)]
    assert left == [2022]

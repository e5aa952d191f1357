"""Flow blocks: one row per (year, product) round-trips flows and filters them like SQL did."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.flows.blocks import NO_QUANTITY, FlowRow, decode, encode, flow_rows
from tradewind.flows.economies import economy_id
from tradewind.flows.load import FlowChunk, FlowLoader
from tradewind.flows.models import trade_flow_blocks

USA, KEN, ETH, DEU = (economy_id(c) for c in ("USA", "KEN", "ETH", "DEU"))


def test_encode_decode_round_trip() -> None:
    blobs = encode(np.array([840, 276]), np.array([231, 404]), np.array([2**40, 5]),
                   np.array([NO_QUANTITY, 7]))

    class Row:
        year, hs6 = 2022, 90111
        importer, exporter, value_usd, quantity = blobs

    block = decode(Row())
    assert block.importer.tolist() == [840, 276] and block.exporter.tolist() == [231, 404]
    assert block.rows() == [FlowRow(2022, 90111, 840, 231, 2**40, None),
                            FlowRow(2022, 90111, 276, 404, 5, 7)]


def test_one_block_per_year_and_product_and_filters(db: Database) -> None:
    rows = [(2022, 90111, USA, ETH, 100, 10), (2022, 90111, USA, KEN, 50, NO_QUANTITY),
            (2022, 90111, DEU, ETH, 70, 7), (2022, 610910, DEU, USA, 5, 1),
            (2021, 90111, USA, ETH, 9, 1)]
    with db.transaction() as conn:
        dataset = record_dataset(conn, kind="flows", name="t", source="t", licence="t",
                                 edition="HS2022", is_sample=False)
        loader = FlowLoader(conn, dataset_id=dataset, is_sample=False, source_edition="HS2022")
        loader.add(FlowChunk(*(np.array(c, dtype=np.int64) for c in zip(*rows, strict=True))))
        loader.finish(merge=False)
    with db.connect() as conn:
        keys = conn.execute(select(trade_flow_blocks.c.year, trade_flow_blocks.c.hs6,
                                   trade_flow_blocks.c.flows)
                            .order_by(trade_flow_blocks.c.year, trade_flow_blocks.c.hs6)).all()
        assert [tuple(k) for k in keys] == [(2021, 90111, 1), (2022, 90111, 3),
                                            (2022, 610910, 1)]
        # sorted by importer then exporter inside a block
        assert [(r.importer, r.exporter) for r in flow_rows(conn, years=[2022], hs6=[90111])] \
            == sorted([(USA, ETH), (USA, KEN), (DEU, ETH)])
        assert flow_rows(conn, years=[2022], hs6=[90111], importer=USA, exporter=KEN) == [
            FlowRow(2022, 90111, USA, KEN, 50, None)]
        assert {r.year for r in flow_rows(conn, hs6=[90111], exporter=ETH)} == {2021, 2022}
        values_only = flow_rows(conn, years=[2022], exporter=ETH, quantities=False)
        assert sorted(r.value_usd for r in values_only) == [70, 100]
        assert all(r.quantity is None for r in values_only)
        assert flow_rows(conn, years=[2020]) == []

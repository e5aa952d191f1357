"""Migration 0022 converts row-per-flow data into blocks (and back on downgrade)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from tests.conftest import drop_database, make_database
from tradewind.db import migrate
from tradewind.flows.blocks import FlowRow, flow_rows


def test_upgrade_keeps_existing_flows(backend: str, tmp_path: Path) -> None:
    db = make_database(backend, "flowblocks", tmp_path)
    try:
        migrate.downgrade(db, "0021_origin_rules")
        rows = [(2021, 90111, 840, 231, 100, 10), (2021, 90111, 276, 231, 7, None),
                (2021, 90111, 840, 404, 50, 5), (2022, 610910, 276, 840, 3, 1)]
        with db.transaction() as conn:
            conn.execute(text("INSERT INTO trade_flows (year, hs6, importer, exporter, "
                              "value_usd, quantity) VALUES (:y, :k, :m, :x, :v, :q)"),
                         [dict(zip("ykmxvq", r, strict=True)) for r in rows])
        migrate.upgrade(db)
        with db.connect() as conn:
            got = flow_rows(conn)
        assert sorted(got, key=lambda r: (r.year, r.hs6, r.importer, r.exporter)) == sorted(
            (FlowRow(*r) for r in rows), key=lambda r: (r.year, r.hs6, r.importer, r.exporter))
        migrate.downgrade(db, "0021_origin_rules")
        with db.connect() as conn:
            back = conn.execute(text("SELECT year, hs6, importer, exporter, value_usd, quantity "
                                     "FROM trade_flows ORDER BY 1, 2, 3, 4")).all()
        assert [tuple(r) for r in back] == sorted(rows)
        migrate.upgrade(db)
    finally:
        drop_database(db)

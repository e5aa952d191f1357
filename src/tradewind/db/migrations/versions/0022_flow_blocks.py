"""Bilateral flows as one columnar block per (year, product) instead of one row per flow.

A full BACI year is ~11 M flows; one database row (and two B-tree entries) per flow made the
import slower than pandas.  ``trade_flow_blocks`` keeps each product's flows of a year as
packed little-endian arrays (see ``tradewind.flows.blocks``).  Existing flows are converted
here, product by product, so the upgrade keeps the data; the aggregates are unchanged.

Revision ID: 0022_flow_blocks
Revises: 0021_origin_rules
"""
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from alembic import op

revision: str = "0022_flow_blocks"
down_revision: str | None = "0021_origin_rules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLOB_COLUMNS = ("importer", "exporter", "value_usd", "quantity")


def _create_blocks() -> None:
    op.create_table(
        "trade_flow_blocks",
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("flows", sa.Integer, nullable=False),
        *(sa.Column(name, sa.LargeBinary, nullable=False) for name in _BLOB_COLUMNS),
        sa.PrimaryKeyConstraint("year", "hs6", name="pk_trade_flow_blocks"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Packed integers barely compress: skip TOAST's pglz pass on every import.
        for name in _BLOB_COLUMNS:
            op.execute(f"ALTER TABLE trade_flow_blocks ALTER COLUMN {name} SET STORAGE EXTERNAL")


def _flush(bind: sa.Connection, blocks: sa.TableClause, key: tuple[int, int],
           rows: list[tuple[int, int, int, int | None]]) -> None:
    imp, exp, val, qty = zip(*rows, strict=True)
    bind.execute(blocks.insert().values(
        year=key[0], hs6=key[1], flows=len(rows),
        importer=np.asarray(imp, dtype="<i2").tobytes(),
        exporter=np.asarray(exp, dtype="<i2").tobytes(),
        value_usd=np.asarray(val, dtype="<i8").tobytes(),
        quantity=np.asarray([-1 if q is None else q for q in qty], dtype="<i8").tobytes()))


def upgrade() -> None:
    _create_blocks()
    bind = op.get_bind()
    blocks = sa.table("trade_flow_blocks", *(sa.column(c) for c in (
        "year", "hs6", "flows", *_BLOB_COLUMNS)))
    result = bind.execute(sa.text(
        "SELECT year, hs6, importer, exporter, value_usd, quantity FROM trade_flows "
        "ORDER BY year, hs6, importer, exporter").execution_options(
            stream_results=True, yield_per=20_000))
    current: tuple[int, int] | None = None
    rows: list[tuple[int, int, int, int | None]] = []
    for year, hs6, importer, exporter, value, quantity in result:
        key = (int(year), int(hs6))
        if key != current and rows:
            assert current is not None
            _flush(bind, blocks, current, rows)
            rows = []
        current = key
        rows.append((int(importer), int(exporter), int(value),
                     None if quantity is None else int(quantity)))
    if rows and current is not None:
        _flush(bind, blocks, current, rows)
    result.close()
    op.drop_index("ix_trade_flows_year_hs6_exporter", table_name="trade_flows")
    op.drop_table("trade_flows")


def downgrade() -> None:
    op.create_table(
        "trade_flows",
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("importer", sa.SmallInteger, nullable=False),
        sa.Column("exporter", sa.SmallInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("year", "hs6", "importer", "exporter", name="pk_trade_flows"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_trade_flows_year_hs6_exporter", "trade_flows",
                    ["year", "hs6", "exporter"])
    bind = op.get_bind()
    flows = sa.table("trade_flows", *(sa.column(c) for c in (
        "year", "hs6", "importer", "exporter", "value_usd", "quantity")))
    for row in bind.execute(sa.text(
            "SELECT year, hs6, importer, exporter, value_usd, quantity FROM trade_flow_blocks "
            "ORDER BY year, hs6")).all():
        imp = np.frombuffer(bytes(row.importer), dtype="<i2").tolist()
        exp = np.frombuffer(bytes(row.exporter), dtype="<i2").tolist()
        val = np.frombuffer(bytes(row.value_usd), dtype="<i8").tolist()
        qty = np.frombuffer(bytes(row.quantity), dtype="<i8").tolist()
        bind.execute(flows.insert(), [
            {"year": row.year, "hs6": row.hs6, "importer": i, "exporter": e, "value_usd": v,
             "quantity": None if q < 0 else q}
            for i, e, v, q in zip(imp, exp, val, qty, strict=True)])
    op.drop_table("trade_flow_blocks")

"""Bilateral flows stored as one columnar block per (year, product): encode, decode, read.

A year of BACI is ~11 M bilateral rows but only ~5,600 products.  Storing one row per flow
made the import cost one database row (and two B-tree entries) per flow, which no bulk
technique brings under a few microseconds each on SQLite; one row per (year, HS 2022
subheading) holding the product's flows as packed little-endian arrays (sorted by importer,
then exporter) costs ~5,600 rows a year and reads a product's whole world in one primary-key
lookup.  Every query on bilateral flows asks for one product (or a handful) in a few years,
then filters by importer and/or exporter: :func:`flow_rows` does that in numpy.

Block columns: ``flows`` (count), ``importer`` and ``exporter`` (int16 economy ids, see
:mod:`tradewind.flows.economies`), ``value_usd`` (int64, whole USD), ``quantity`` (int64,
whole kg, :data:`NO_QUANTITY` when the source gave none).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from tradewind.flows.models import trade_flow_blocks

NO_QUANTITY = -1
ECONOMY = np.dtype("<i2")
AMOUNT = np.dtype("<i8")


@dataclass(frozen=True)
class FlowRow:
    """One bilateral flow, as the old row-per-flow table gave it."""

    year: int
    hs6: int
    importer: int
    exporter: int
    value_usd: int
    quantity: int | None  # kg


@dataclass
class Block:
    """A product's flows in one year, decoded (parallel arrays)."""

    year: int
    hs6: int
    importer: np.ndarray
    exporter: np.ndarray
    value_usd: np.ndarray
    quantity: np.ndarray  # NO_QUANTITY when unknown

    def rows(self, mask: np.ndarray | None = None) -> list[FlowRow]:
        imp, exp, val, qty = self.importer, self.exporter, self.value_usd, self.quantity
        if mask is not None:
            imp, exp, val, qty = imp[mask], exp[mask], val[mask], qty[mask]
        return [FlowRow(self.year, self.hs6, i, e, v, None if q == NO_QUANTITY else q)
                for i, e, v, q in zip(imp.tolist(), exp.tolist(), val.tolist(), qty.tolist(),
                                      strict=True)]


def encode(importer: np.ndarray, exporter: np.ndarray, value: np.ndarray,
           quantity: np.ndarray) -> tuple[bytes, bytes, bytes, bytes]:
    """The four BLOBs of a block (arrays already sorted by importer, exporter)."""
    return (importer.astype(ECONOMY).tobytes(), exporter.astype(ECONOMY).tobytes(),
            value.astype(AMOUNT).tobytes(), quantity.astype(AMOUNT).tobytes())


def decode(row: Any) -> Block:
    """A block from a row with its columns (quantity optional: all unknown when absent)."""
    value = np.frombuffer(bytes(row.value_usd), dtype=AMOUNT)
    quantity = getattr(row, "quantity", None)
    return Block(
        year=int(row.year), hs6=int(row.hs6),
        importer=np.frombuffer(bytes(row.importer), dtype=ECONOMY),
        exporter=np.frombuffer(bytes(row.exporter), dtype=ECONOMY),
        value_usd=value,
        quantity=(np.full(value.shape[0], NO_QUANTITY, dtype=AMOUNT) if quantity is None
                  else np.frombuffer(bytes(quantity), dtype=AMOUNT)),
    )


def blocks(conn: Connection, *, years: Iterable[int] | None = None,
           hs6: Iterable[int] | None = None, quantities: bool = True) -> Iterator[Block]:
    """Decoded blocks, by year then product (all of them when no filter is given).

    ``quantities=False`` leaves the last column unread (SQLite then stops before its
    overflow pages): quantities come back unknown."""
    t = trade_flow_blocks
    columns = [t.c.year, t.c.hs6, t.c.importer, t.c.exporter, t.c.value_usd]
    if quantities:
        columns.append(t.c.quantity)
    query = select(*columns)
    if years is not None:
        query = query.where(t.c.year.in_([int(y) for y in years]))
    if hs6 is not None:
        query = query.where(t.c.hs6.in_([int(k) for k in hs6]))
    for row in conn.execute(query.order_by(t.c.year, t.c.hs6)):
        yield decode(row)


def flow_rows(conn: Connection, *, years: Sequence[int] | None = None,
              hs6: Sequence[int] | None = None, importer: int | None = None,
              exporter: int | None = None, quantities: bool = True) -> list[FlowRow]:
    """Bilateral flows of some products and years, optionally of one importer/exporter
    (``quantities=False``: values only, quantity None)."""
    found: list[FlowRow] = []
    for block in blocks(conn, years=years, hs6=hs6, quantities=quantities):
        mask = np.ones(block.importer.shape[0], dtype=bool)
        if importer is not None:
            mask &= block.importer == importer
        if exporter is not None:
            mask &= block.exporter == exporter
        found.extend(block.rows(mask))
    return found

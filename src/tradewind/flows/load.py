"""Bulk loading of bilateral flows and the pre-aggregated tables, for every importer.

Importers parse their files into :class:`FlowChunk` arrays (numpy, HS 2022 codes, economy
ids) and hand them to a :class:`FlowLoader` that runs INSIDE the caller's single
transaction, so a failure anywhere leaves the database unchanged:

1. each chunk is reduced to one int64 sort key per flow (year, product, importer,
   exporter) plus value and quantity (24 bytes a flow: a full BACI year is ~260 MB);
2. :meth:`FlowLoader.finish` sorts the keys once (numpy), sums rows that several source
   codes merged into (n:1), computes every aggregate table from the sorted arrays
   (``reduceat``/``bincount``, no SQL ``GROUP BY``), replaces the earlier data of the same
   years (and every SAMPLE year when the import is real), and writes one columnar block per
   (year, product) (:mod:`tradewind.flows.blocks`) and the aggregate rows — SQLite:
   ``executemany`` of prepared tuples on the raw connection; PostgreSQL: binary
   ``COPY … FROM STDIN`` built with numpy, no per-row Python.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.flows.blocks import NO_QUANTITY, encode
from tradewind.flows.economies import all_economies
from tradewind.flows.models import economies, flow_years

MISSING_QUANTITY = NO_QUANTITY  # "no quantity" in FlowChunk.quantity (becomes NULL)
_ECON = 1000  # economy ids are 0..999 (ISO 3166 numeric + 900-999 extras)
_HS = 1_000_000
_YEAR0 = 1900
_FLOAT_EXACT = 2**53  # bincount sums in float64: exact below this
_PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_PG_TRAILER = struct.pack(">h", -1)
_PG_TYPES = {"int2": ">i2", "int4": ">i4", "int8": ">i8"}


@dataclass
class FlowChunk:
    """Parsed flows: parallel arrays, one element per flow (HS 2022, economy ids)."""

    year: np.ndarray
    hs6: np.ndarray
    importer: np.ndarray
    exporter: np.ndarray
    value_usd: np.ndarray  # int64, whole USD
    quantity: np.ndarray  # int64, kg; MISSING_QUANTITY when unknown

    def __len__(self) -> int:
        return int(self.year.shape[0])


class DuplicateFlow(Exception):
    """Two staged flows share (year, product, importer, exporter) although the caller
    promised unique keys (``finish(merge=False)``); the importer names the lines."""

    def __init__(self, year: int, hs6: int, importer: int, exporter: int) -> None:
        super().__init__(f"duplicate flow {year} {hs6:06d} {importer} {exporter}")
        self.year, self.hs6, self.importer, self.exporter = year, hs6, importer, exporter


@dataclass
class LoadStats:
    years: list[int] = field(default_factory=list)
    staged_rows: int = 0
    flow_rows: int = 0
    value_usd: int = 0


@contextmanager
def import_transaction(db: Database) -> Iterator[Connection]:
    """ONE transaction for a whole import, like ``db.transaction()`` (commit on success,
    rollback on any error), with SQLite's temporary storage on disk meanwhile (the
    statement journal of a big transaction would otherwise be held in RAM).  The pragma
    cannot change inside a transaction, so it is set before BEGIN and restored after.
    """
    if not db.is_sqlite:
        with db.transaction() as conn:
            yield conn
        return
    with db.connect() as conn:
        conn.exec_driver_sql("PRAGMA temp_store=FILE")
        conn.commit()
        try:
            with conn.begin():
                yield conn
        finally:
            conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
            conn.commit()


def ensure_economies(conn: Connection) -> None:
    """Fill the ``economies`` lookup table once (ISO 3166 plus the extras)."""
    present = {row[0] for row in conn.execute(select(economies.c.id))}
    missing = [{"id": i, "iso3": iso3, "name": name[:120]}
               for i, iso3, name in all_economies() if i not in present]
    if missing:
        conn.execute(insert(economies), missing)


def flow_key(year: np.ndarray, hs6: np.ndarray, importer: np.ndarray,
             exporter: np.ndarray) -> np.ndarray:
    """One int64 per flow that sorts like (year, hs6, importer, exporter)."""
    return ((((year.astype(np.int64) - _YEAR0) * _HS + hs6) * _ECON + importer) * _ECON
            + exporter)


def _sum_by(bins: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Exact int64 sums of ``weights`` per bin (float bincount when that is exact)."""
    if weights.size == 0:
        return np.zeros(size, dtype=np.int64)
    if float(np.abs(weights).sum(dtype=np.float64)) < _FLOAT_EXACT / 2:
        return np.rint(np.bincount(bins, weights=weights, minlength=size)).astype(np.int64)
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, bins, weights)
    return out


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Index of the first element of each run of equal values."""
    if sorted_keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    edge = np.empty(sorted_keys.shape[0], dtype=bool)
    edge[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=edge[1:])
    return np.flatnonzero(edge)


def _nullable(total: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Quantity sums: NO_QUANTITY where no element had a quantity (SQL ``sum`` of NULLs)."""
    return np.where(known > 0, total, NO_QUANTITY)


@dataclass
class _Table:
    """Rows of one aggregate table as parallel arrays (``None`` marks the nullable one)."""

    name: str
    columns: list[tuple[str, str, np.ndarray]]  # (column, pg type, values)
    nullable: str | None = None  # column whose NO_QUANTITY values are NULL


class FlowLoader:
    """Collects flows in memory and publishes them atomically within the caller's
    transaction (see the module docstring for the steps)."""

    def __init__(self, conn: Connection, *, dataset_id: int, is_sample: bool,
                 source_edition: str) -> None:
        self.conn = conn
        self.dataset_id = dataset_id
        self.is_sample = is_sample
        self.source_edition = source_edition
        self.dialect = conn.dialect.name
        self.stats = LoadStats()
        self._keys: list[np.ndarray] = []
        self._values: list[np.ndarray] = []
        self._quantities: list[np.ndarray] = []
        self._driver: Any = conn.connection.driver_connection
        if self.dialect == "postgresql":
            self.conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        ensure_economies(self.conn)

    def add(self, chunk: FlowChunk) -> None:
        n = len(chunk)
        if n == 0:
            return
        self.stats.staged_rows += n
        self._keys.append(flow_key(chunk.year, chunk.hs6, chunk.importer, chunk.exporter))
        self._values.append(np.asarray(chunk.value_usd, dtype=np.int64))
        self._quantities.append(np.asarray(chunk.quantity, dtype=np.int64))

    def abort(self) -> None:
        """Drop what was collected (the transaction is rolled back by the caller)."""
        self._keys.clear()
        self._values.clear()
        self._quantities.clear()

    # -- publishing ----------------------------------------------------------------------
    def _sorted(self, merge: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keys = np.concatenate(self._keys) if self._keys else np.zeros(0, np.int64)
        self._keys.clear()
        order = np.argsort(keys)
        keys = keys[order]
        value = np.concatenate(self._values)[order] if self._values else keys.copy()
        self._values.clear()
        qty = np.concatenate(self._quantities)[order] if self._quantities else keys.copy()
        self._quantities.clear()
        del order
        if keys.size > 1:
            same = keys[1:] == keys[:-1]
            if same.any():
                if not merge:
                    k = int(keys[int(np.flatnonzero(same)[0])])
                    yh, pair = divmod(k, _ECON * _ECON)
                    raise DuplicateFlow(yh // _HS + _YEAR0, yh % _HS, pair // _ECON,
                                        pair % _ECON)
                starts = _starts(keys)
                value = np.add.reduceat(value, starts)
                qty = _nullable(np.add.reduceat(np.where(qty >= 0, qty, 0), starts),
                                np.add.reduceat((qty >= 0).astype(np.int64), starts))
                keys = keys[starts]
        return keys, value, qty

    def finish(self, *, merge: bool = True) -> LoadStats:
        """Sort, merge, aggregate and write everything collected; replaces the same years.

        ``merge=False`` promises that keys are unique (the importer checked nothing else):
        a duplicate raises :class:`DuplicateFlow` instead of being summed."""
        keys, value, qty = self._sorted(merge)
        year_of = keys // (_HS * _ECON * _ECON) + _YEAR0
        years = sorted(int(y) for y in np.unique(year_of))
        self.stats.years = years
        self._replace(years)
        if keys.size == 0:
            return self.stats
        yh = keys // (_ECON * _ECON)  # (year, hs6)
        importer = ((keys // _ECON) % _ECON).astype(np.int16)
        exporter = (keys % _ECON).astype(np.int16)
        block_starts = _starts(yh)
        block_ends = np.append(block_starts[1:], keys.shape[0])
        block_keys = yh[block_starts]
        self._write_blocks(block_keys, block_starts, block_ends, importer, exporter, value, qty)
        tables = self._aggregates(keys, yh, block_starts, block_keys, importer, exporter,
                                  value, qty, year_of, years)
        for table in tables:
            self._write(table)
        for year in years:
            lo, hi = np.searchsorted(year_of, [year, year + 1])
            rows, total = int(hi - lo), int(value[lo:hi].sum())
            self.stats.flow_rows += rows
            self.stats.value_usd += total
            self.conn.execute(insert(flow_years).values(
                year=year, dataset_id=self.dataset_id, source_edition=self.source_edition,
                quantity_unit="kg", row_count=rows, value_usd=total))
        return self.stats

    def _replace(self, years: Sequence[int]) -> None:
        replaced = set(years)
        if not self.is_sample:
            sample_years = self.conn.execute(
                select(flow_years.c.year).join(datasets, datasets.c.id == flow_years.c.dataset_id)
                .where(datasets.c.is_sample.is_(True))
            ).scalars()
            replaced.update(int(y) for y in sample_years)
        if not replaced:
            return
        listed = ", ".join(str(int(y)) for y in sorted(replaced))
        for table in ("trade_flow_blocks", "flow_imports", "flow_exports", "flow_world",
                      "flow_economy_totals", "flow_years"):
            self.conn.exec_driver_sql(f"DELETE FROM {table} WHERE year IN ({listed})")

    @staticmethod
    def _aggregates(keys: np.ndarray, yh: np.ndarray, block_starts: np.ndarray,
                    block_keys: np.ndarray, importer: np.ndarray, exporter: np.ndarray,
                    value: np.ndarray, qty: np.ndarray, year_of: np.ndarray,
                    years: list[int]) -> list[_Table]:
        """Every aggregate table from the sorted flows (same figures as SQL GROUP BYs)."""
        n = keys.shape[0]
        known = (qty >= 0).astype(np.int64)
        qv = np.where(qty >= 0, qty, 0)
        blocks = block_starts.shape[0]
        block_of = np.repeat(np.arange(blocks), np.diff(np.append(block_starts, n)))
        # imports: (year, hs6, importer) runs are contiguous in key order
        ik = keys // _ECON
        i_starts = _starts(ik)
        i_key = ik[i_starts]
        i_block = block_of[i_starts]
        imports = _Table("flow_imports", [
            ("hs6", "int4", (i_key // _ECON) % _HS),
            ("importer", "int2", i_key % _ECON),
            ("year", "int2", i_key // (_ECON * _HS) + _YEAR0),
            ("value_usd", "int8", np.add.reduceat(value, i_starts)),
            ("quantity", "int8", _nullable(np.add.reduceat(qv, i_starts),
                                           np.add.reduceat(known, i_starts))),
            ("suppliers", "int2", np.diff(np.append(i_starts, n))),
        ], nullable="quantity")
        # exports: (block, exporter) bins over the exporters present
        present_exp = np.flatnonzero(np.bincount(exporter, minlength=_ECON))
        dense = np.zeros(_ECON, dtype=np.int64)
        dense[present_exp] = np.arange(present_exp.size)
        width = max(1, present_exp.size)
        bins = block_of * width + dense[exporter]
        size = blocks * width
        e_count = np.bincount(bins, minlength=size)
        e_bins = np.flatnonzero(e_count)
        e_block = e_bins // width
        e_value = _sum_by(bins, value, size)[e_bins]
        e_qty = _nullable(_sum_by(bins, qv, size)[e_bins],
                          np.bincount(bins, weights=known, minlength=size)[e_bins])
        exports = _Table("flow_exports", [
            ("hs6", "int4", block_keys[e_block] % _HS),
            ("exporter", "int2", present_exp[e_bins % width]),
            ("year", "int2", block_keys[e_block] // _HS + _YEAR0),
            ("value_usd", "int8", e_value),
            ("quantity", "int8", e_qty),
            ("markets", "int2", e_count[e_bins]),
        ], nullable="quantity")
        world = _Table("flow_world", [
            ("hs6", "int4", block_keys % _HS),
            ("year", "int2", block_keys // _HS + _YEAR0),
            ("value_usd", "int8", np.add.reduceat(value, block_starts) if n else value),
            ("quantity", "int8", _nullable(np.add.reduceat(qv, block_starts),
                                           np.add.reduceat(known, block_starts))
             if n else qty),
            ("exporters", "int2", np.bincount(e_block, minlength=blocks)),
            ("importers", "int2", np.bincount(i_block, minlength=blocks)),
        ], nullable="quantity")
        # economy totals: (year, economy) bins, exports and imports side by side
        year_index = np.searchsorted(np.asarray(years, dtype=np.int64), year_of)
        size = len(years) * _ECON
        x_bins = year_index * _ECON + exporter
        m_bins = year_index * _ECON + importer
        active = np.flatnonzero(np.bincount(x_bins, minlength=size)
                                + np.bincount(m_bins, minlength=size))
        totals = _Table("flow_economy_totals", [
            ("economy", "int2", active % _ECON),
            ("year", "int2", np.asarray(years, dtype=np.int64)[active // _ECON]),
            ("exports_usd", "int8", _sum_by(x_bins, value, size)[active]),
            ("imports_usd", "int8", _sum_by(m_bins, value, size)[active]),
        ])
        return [imports, exports, world, totals]

    # -- writing -------------------------------------------------------------------------
    def _write_blocks(self, block_keys: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                      importer: np.ndarray, exporter: np.ndarray, value: np.ndarray,
                      qty: np.ndarray) -> None:
        columns = "year, hs6, flows, importer, exporter, value_usd, quantity"

        def rows() -> Iterator[tuple[int, int, int, bytes, bytes, bytes, bytes]]:
            for k, lo, hi in zip(block_keys.tolist(), starts.tolist(), ends.tolist(),
                                 strict=True):
                yield (k // _HS + _YEAR0, k % _HS, hi - lo,
                       *encode(importer[lo:hi], exporter[lo:hi], value[lo:hi], qty[lo:hi]))

        if self.dialect == "postgresql":
            with self._driver.cursor() as cursor, cursor.copy(
                    f"COPY trade_flow_blocks ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.write(_PG_HEADER)
                for year, hs6, flows, *blobs in rows():
                    parts = [struct.pack(">hihiiii", 7, 2, year, 4, hs6, 4, flows)]
                    for blob in blobs:
                        parts.append(struct.pack(">i", len(blob)))
                        parts.append(blob)
                    copy.write(b"".join(parts))
                copy.write(_PG_TRAILER)
        else:
            self._driver.executemany(
                f"INSERT INTO trade_flow_blocks ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows())

    def _write(self, table: _Table) -> None:
        names = [c[0] for c in table.columns]
        if not names or table.columns[0][2].size == 0:
            return
        if self.dialect == "postgresql":
            self._copy_binary(table)
            return
        lists = [c[2].tolist() for c in table.columns]
        if table.nullable is not None:
            index = names.index(table.nullable)
            column = lists[index]
            for i in np.flatnonzero(table.columns[index][2] == NO_QUANTITY).tolist():
                column[i] = None
        marks = ", ".join("?" for _ in names)
        self._driver.executemany(
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
            zip(*lists, strict=True))

    def _copy_binary(self, table: _Table) -> None:
        """Binary COPY of a table's arrays: rows with and without the nullable value go
        in two fixed-width record layouts (a COPY stream may mix them in any order)."""
        names = [c[0] for c in table.columns]
        n = table.columns[0][2].shape[0]
        null = (table.columns[names.index(table.nullable)][2] == NO_QUANTITY
                if table.nullable else np.zeros(n, dtype=bool))
        with self._driver.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(_PG_HEADER)
            for is_null in (False, True):
                chosen = null if is_null else ~null
                count = int(chosen.sum())
                if count == 0:
                    continue
                fields: list[tuple[str, str]] = [("n", ">i2")]
                for name, pg, _ in table.columns:
                    fields.append((f"l_{name}", ">i4"))
                    if not (is_null and name == table.nullable):
                        fields.append((name, _PG_TYPES[pg]))
                rows = np.empty(count, dtype=np.dtype(fields))
                rows["n"] = len(names)
                for name, pg, values in table.columns:
                    if is_null and name == table.nullable:
                        rows[f"l_{name}"] = -1
                        continue
                    rows[f"l_{name}"] = np.dtype(_PG_TYPES[pg]).itemsize
                    rows[name] = values[chosen]
                copy.write(rows.tobytes())
            copy.write(_PG_TRAILER)

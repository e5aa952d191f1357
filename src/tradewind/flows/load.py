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
    if float(weights.max()) * weights.size < _FLOAT_EXACT or (
            float(weights.sum(dtype=np.float64)) < _FLOAT_EXACT / 2 and weights.min() >= -1):
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


def _qty_sums(qty: np.ndarray, starts: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Per run, the sum of the known quantities: the unknown ones are -1, added back."""
    sizes = np.diff(np.append(starts, qty.shape[0]))
    return np.add.reduceat(qty, starts) + (sizes - known)


def _nullable(total: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Quantity sums: NO_QUANTITY where no element had a quantity (SQL ``sum`` of NULLs)."""
    return np.where(known > 0, total, NO_QUANTITY)


# Secondary indexes of the aggregate tables (as declared in flows/models.py).
_AGGREGATE_INDEXES = [
    ("ix_flow_imports_importer_year", "flow_imports", "importer, year"),
    ("ix_flow_exports_exporter_year", "flow_exports", "exporter, year"),
]


@dataclass
class _Table:
    """Rows of one aggregate table as parallel arrays (``None`` marks the nullable one)."""

    name: str
    columns: list[tuple[str, str, np.ndarray]]  # (column, pg type, values)
    nullable: str | None = None  # column whose NO_QUANTITY values are NULL


class _Growable:
    """An int64 column that grows by copying into one large buffer.

    One big allocation (not a list of batch-sized arrays) so that, once freed, the memory
    goes back to the system instead of staying in the allocator's heap."""

    def __init__(self, capacity: int) -> None:
        self._data = np.empty(max(capacity, 1024), dtype=np.int64)
        self.size = 0

    def append(self, values: np.ndarray) -> None:
        end = self.size + values.shape[0]
        if end > self._data.shape[0]:
            grown = np.empty(max(end, int(self._data.shape[0] * 1.5)), dtype=np.int64)
            grown[:self.size] = self._data[:self.size]
            self._data = grown
        self._data[self.size:end] = values
        self.size = end

    def take(self) -> np.ndarray:
        """The values (a view); the buffer is released when the view is."""
        data, self._data, self.size = self._data[:self.size], np.empty(0, np.int64), 0
        return data


class FlowLoader:
    """Collects flows in memory and publishes them atomically within the caller's
    transaction (see the module docstring for the steps)."""

    def __init__(self, conn: Connection, *, dataset_id: int, is_sample: bool,
                 source_edition: str, expected_rows: int = 0) -> None:
        self.conn = conn
        self.dataset_id = dataset_id
        self.is_sample = is_sample
        self.source_edition = source_edition
        self.dialect = conn.dialect.name
        self.stats = LoadStats()
        self._keys = _Growable(expected_rows)
        self._values = _Growable(expected_rows)
        self._quantities = _Growable(expected_rows)
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
        self._values.append(np.asarray(chunk.value_usd))
        self._quantities.append(np.asarray(chunk.quantity))

    def abort(self) -> None:
        """Drop what was collected (the transaction is rolled back by the caller)."""
        for column in (self._keys, self._values, self._quantities):
            column.take()

    # -- publishing ----------------------------------------------------------------------
    def _sorted(self, merge: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Keys, values and quantities sorted by key (merged when ``merge``); each column
        is released as soon as it is sorted, to bound peak memory."""
        keys = self._keys.take()
        order = np.argsort(keys)
        if order.shape[0] < 2**31:
            order = order.astype(np.int32)  # half the memory for the three gathers
        keys = keys[order]
        value = self._values.take()[order]
        qty = self._quantities.take()[order]
        del order
        if keys.size > 1:
            same = keys[1:] == keys[:-1]
            if same.any():
                if not merge:
                    k = int(keys[int(np.flatnonzero(same)[0])])
                    yh, pair = divmod(k, _ECON * _ECON)
                    raise DuplicateFlow(yh // _HS + _YEAR0, yh % _HS, pair // _ECON,
                                        pair % _ECON)
                del same
                starts = _starts(keys)
                value = np.add.reduceat(value, starts)
                known = np.add.reduceat(qty >= 0, starts, dtype=np.int64)
                qty = _nullable(_qty_sums(qty, starts, known), known)
                keys = keys[starts]
        return keys, value, qty

    def finish(self, *, merge: bool = True) -> LoadStats:
        """Sort, merge, aggregate and write everything collected; replaces the same years.

        ``merge=False`` promises that keys are unique (the importer checked nothing else):
        a duplicate raises :class:`DuplicateFlow` instead of being summed."""
        keys, value, qty = self._sorted(merge)
        block_starts = _starts(keys // (_ECON * _ECON))  # runs of (year, hs6)
        block_keys = keys[block_starts] // (_ECON * _ECON)
        block_years = block_keys // _HS + _YEAR0
        years = sorted(int(y) for y in np.unique(block_years))
        self.stats.years = years
        self._replace(years)
        if keys.size == 0:
            return self.stats
        year_starts = np.searchsorted(keys, [(y - _YEAR0) * _HS * _ECON * _ECON
                                             for y in [*years, years[-1] + 1]])
        importer = ((keys // _ECON) % _ECON).astype(np.int16)
        exporter = (keys % _ECON).astype(np.int16)
        rebuild = self._only_years_loaded()
        if rebuild:  # building the indexes once after the load is cheaper than row by row
            for name, _table, _columns in _AGGREGATE_INDEXES:
                self.conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        for aggregate in self._aggregates(keys, block_starts, block_keys, importer, exporter,
                                          value, qty, years, year_starts):
            self._write(aggregate)
        if rebuild:
            for name, table, columns in _AGGREGATE_INDEXES:
                self.conn.exec_driver_sql(f"CREATE INDEX {name} ON {table} ({columns})")
        block_ends = np.append(block_starts[1:], keys.shape[0])
        del keys
        self._write_blocks(block_keys, block_starts, block_ends, importer, exporter, value, qty)
        for position, year in enumerate(years):
            lo, hi = int(year_starts[position]), int(year_starts[position + 1])
            rows, total = hi - lo, int(value[lo:hi].sum())
            self.stats.flow_rows += rows
            self.stats.value_usd += total
            self.conn.execute(insert(flow_years).values(
                year=year, dataset_id=self.dataset_id, source_edition=self.source_edition,
                quantity_unit="kg", row_count=rows, value_usd=total))
        return self.stats

    def _only_years_loaded(self) -> bool:
        """True when no other year is loaded (after the replaced ones were deleted)."""
        return self.conn.execute(select(flow_years.c.year).limit(1)).first() is None

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
    def _aggregates(keys: np.ndarray, block_starts: np.ndarray, block_keys: np.ndarray,
                    importer: np.ndarray, exporter: np.ndarray, value: np.ndarray,
                    qty: np.ndarray, years: list[int], year_starts: np.ndarray
                    ) -> list[_Table]:
        """Every aggregate table from the sorted flows (the same figures as the SQL
        ``GROUP BY``s they replace; few full-size temporaries, one at a time)."""
        n = keys.shape[0]
        blocks = block_starts.shape[0]
        # imports: (year, hs6, importer) runs are contiguous in key order
        i_starts = _starts(keys // _ECON)
        i_key = keys[i_starts] // _ECON
        i_known = np.add.reduceat(qty >= 0, i_starts, dtype=np.int64)
        block_of = np.repeat(np.arange(blocks, dtype=np.int32),
                             np.diff(np.append(block_starts, n)))
        imports = _Table("flow_imports", [
            ("hs6", "int4", (i_key // _ECON) % _HS),
            ("importer", "int2", i_key % _ECON),
            ("year", "int2", i_key // (_ECON * _HS) + _YEAR0),
            ("value_usd", "int8", np.add.reduceat(value, i_starts)),
            ("quantity", "int8", _nullable(_qty_sums(qty, i_starts, i_known), i_known)),
            ("suppliers", "int2", np.diff(np.append(i_starts, n))),
        ], nullable="quantity")
        i_block = block_of[i_starts]
        # exports: (block, exporter) bins over the exporters present
        present_exp = np.flatnonzero(np.bincount(exporter, minlength=_ECON))
        dense = np.zeros(_ECON, dtype=np.int32)
        dense[present_exp] = np.arange(present_exp.size, dtype=np.int32)
        width = max(1, present_exp.size)
        bins = block_of.astype(np.intp)
        del block_of
        bins *= width
        bins += dense[exporter]
        size = blocks * width
        e_count = np.bincount(bins, minlength=size)
        e_bins = np.flatnonzero(e_count)
        e_count = e_count[e_bins]
        e_value = _sum_by(bins, value, size)[e_bins]
        e_known = np.bincount(bins, weights=qty >= 0, minlength=size)[e_bins].astype(np.int64)
        # quantity sums with the -1 markers added back (one per flow without a quantity)
        e_qty = _sum_by(bins, qty, size)[e_bins] + (e_count - e_known)
        del bins
        e_block = e_bins // width
        exports = _Table("flow_exports", [
            ("hs6", "int4", block_keys[e_block] % _HS),
            ("exporter", "int2", present_exp[e_bins % width]),
            ("year", "int2", block_keys[e_block] // _HS + _YEAR0),
            ("value_usd", "int8", e_value),
            ("quantity", "int8", _nullable(e_qty, e_known)),
            ("markets", "int2", e_count),
        ], nullable="quantity")
        w_known = np.add.reduceat(qty >= 0, block_starts, dtype=np.int64)
        world = _Table("flow_world", [
            ("hs6", "int4", block_keys % _HS),
            ("year", "int2", block_keys // _HS + _YEAR0),
            ("value_usd", "int8", np.add.reduceat(value, block_starts)),
            ("quantity", "int8", _nullable(_qty_sums(qty, block_starts, w_known), w_known)),
            ("exporters", "int2", np.bincount(e_block, minlength=blocks)),
            ("importers", "int2", np.bincount(i_block, minlength=blocks)),
        ], nullable="quantity")
        # economy totals, year by year (keys are sorted by year first)
        economy: list[np.ndarray] = []
        year_column: list[np.ndarray] = []
        exported: list[np.ndarray] = []
        imported: list[np.ndarray] = []
        for index, year in enumerate(years):
            lo, hi = int(year_starts[index]), int(year_starts[index + 1])
            x = _sum_by(exporter[lo:hi], value[lo:hi], _ECON)
            m = _sum_by(importer[lo:hi], value[lo:hi], _ECON)
            active = np.flatnonzero(np.bincount(exporter[lo:hi], minlength=_ECON)
                                    + np.bincount(importer[lo:hi], minlength=_ECON))
            economy.append(active)
            year_column.append(np.full(active.size, year, dtype=np.int64))
            exported.append(x[active])
            imported.append(m[active])
        totals = _Table("flow_economy_totals", [
            ("economy", "int2", np.concatenate(economy)),
            ("year", "int2", np.concatenate(year_column)),
            ("exports_usd", "int8", np.concatenate(exported)),
            ("imports_usd", "int8", np.concatenate(imported)),
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

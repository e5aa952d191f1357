"""Bulk loading of bilateral flows and the pre-aggregated tables, for every importer.

Importers parse their files into :class:`FlowChunk` arrays (numpy, HS 2022 codes, economy
ids) and hand them to a :class:`FlowLoader` that runs INSIDE the caller's single
transaction, so a failure anywhere leaves the database unchanged:

1. chunks stream into a staging table (SQLite: ``executemany`` in big batches on the raw
   connection; PostgreSQL: binary ``COPY … FROM STDIN`` built with numpy, no per-row Python);
2. ``INSERT … SELECT … GROUP BY`` moves them into ``trade_flows`` sorted by primary key
   (summing rows that several source codes merged into, n:1), replacing any earlier data
   for the same years (and every SAMPLE year when the import is real);
3. the aggregates are rebuilt for those years with ``INSERT … SELECT … GROUP BY``.

Memory stays bounded by the chunk size; sorting happens in the database.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select, text

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.flows.economies import all_economies
from tradewind.flows.models import economies, flow_years

STAGING = "flow_staging"
MISSING_QUANTITY = -1  # staging sentinel for "no quantity" (becomes NULL)

_PG_ROW = np.dtype([
    ("n", ">i2"),
    ("l0", ">i4"), ("year", ">i2"),
    ("l1", ">i4"), ("hs6", ">i4"),
    ("l2", ">i4"), ("importer", ">i2"),
    ("l3", ">i4"), ("exporter", ">i2"),
    ("l4", ">i4"), ("value", ">i8"),
    ("l5", ">i4"), ("quantity", ">i8"),
])
_PG_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_PG_TRAILER = struct.pack(">h", -1)


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


@dataclass
class LoadStats:
    years: list[int] = field(default_factory=list)
    staged_rows: int = 0
    flow_rows: int = 0
    value_usd: int = 0


@contextmanager
def import_transaction(db: Database) -> Iterator[Connection]:
    """ONE transaction for a whole import, like ``db.transaction()`` (commit on success,
    rollback on any error), with SQLite's temporary storage on disk meanwhile.

    The application's connections keep ``temp_store=MEMORY``; for a bulk load that would
    hold SQLite's statement journal and sort spill in RAM (≈ 500 MB more for 11 M rows).
    The pragma cannot change inside a transaction, so it is set before BEGIN and restored
    after COMMIT/ROLLBACK on the same connection.
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


class FlowLoader:
    """Stages flows and publishes them atomically within the caller's transaction."""

    def __init__(self, conn: Connection, *, dataset_id: int, is_sample: bool,
                 source_edition: str) -> None:
        self.conn = conn
        self.dataset_id = dataset_id
        self.is_sample = is_sample
        self.source_edition = source_edition
        self.dialect = conn.dialect.name
        self.stats = LoadStats()
        self._years: set[int] = set()
        self._copy_cm: Any = None
        self._copy: Any = None
        self._driver: Any = conn.connection.driver_connection
        self._start()

    # -- staging -------------------------------------------------------------------------
    def _start(self) -> None:
        columns = ("year SMALLINT NOT NULL, hs6 INTEGER NOT NULL, importer SMALLINT NOT NULL, "
                   "exporter SMALLINT NOT NULL, value_usd BIGINT NOT NULL, "
                   "quantity BIGINT NOT NULL")
        if self.dialect == "postgresql":
            self.conn.exec_driver_sql("SET LOCAL work_mem = '256MB'")
            self.conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
            self.conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING}")
            self.conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGING} ({columns}) ON COMMIT DROP")
        else:
            # A real (not TEMP) table: temp_store=MEMORY would hold a whole year in RAM.
            # The DDL is transactional: the caller has already written its dataset row,
            # so pysqlite's implicit BEGIN has happened and a failure rolls this back too.
            # 128 MB of page cache; SQLite's sorter sizes its in-memory runs from this too,
            # so it also bounds the memory of the ORDER BY below.
            self.conn.exec_driver_sql("PRAGMA cache_size=-131072")
            self.conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGING}")
            self.conn.exec_driver_sql(f"CREATE TABLE {STAGING} ({columns})")
        ensure_economies(self.conn)

    def add(self, chunk: FlowChunk) -> None:
        n = len(chunk)
        if n == 0:
            return
        self._years.update(int(y) for y in np.unique(chunk.year))
        self.stats.staged_rows += n
        if self.dialect == "postgresql":
            if self._copy is None:
                cursor = self._driver.cursor()
                self._copy_cm = cursor.copy(f"COPY {STAGING} FROM STDIN (FORMAT BINARY)")
                self._copy = self._copy_cm.__enter__()
                self._copy.write(_PG_HEADER)
            rows = np.empty(n, dtype=_PG_ROW)
            rows["n"] = 6
            rows["l0"], rows["l1"], rows["l2"] = 2, 4, 2
            rows["l3"], rows["l4"], rows["l5"] = 2, 8, 8
            rows["year"] = chunk.year
            rows["hs6"] = chunk.hs6
            rows["importer"] = chunk.importer
            rows["exporter"] = chunk.exporter
            rows["value"] = chunk.value_usd
            rows["quantity"] = chunk.quantity
            self._copy.write(rows.tobytes())
        else:
            data = zip(chunk.year.tolist(), chunk.hs6.tolist(), chunk.importer.tolist(),
                       chunk.exporter.tolist(), chunk.value_usd.tolist(),
                       chunk.quantity.tolist(), strict=True)
            self._driver.executemany(f"INSERT INTO {STAGING} VALUES (?, ?, ?, ?, ?, ?)", data)

    def abort(self) -> None:
        """Close an open COPY after an error (the transaction is rolled back by the caller)."""
        if self._copy_cm is not None:
            with contextlib.suppress(Exception):
                self._copy_cm.__exit__(RuntimeError, RuntimeError("import aborted"), None)
            self._copy_cm = self._copy = None

    # -- publishing ----------------------------------------------------------------------
    def finish(self, *, merge: bool = True) -> LoadStats:
        """Move staged rows into ``trade_flows`` and rebuild the aggregates of their years.

        ``merge=False`` promises that staged keys are unique (the importer checked), which
        skips the GROUP BY: a plain sorted copy is several times faster on PostgreSQL."""
        if self._copy_cm is not None:
            self._copy.write(_PG_TRAILER)
            self._copy_cm.__exit__(None, None, None)
            self._copy_cm = self._copy = None
        years = sorted(self._years)
        self.stats.years = years
        execute = self.conn.exec_driver_sql
        replaced = set(years)
        if not self.is_sample:
            sample_years = self.conn.execute(
                select(flow_years.c.year).join(datasets, datasets.c.id == flow_years.c.dataset_id)
                .where(datasets.c.is_sample.is_(True))
            ).scalars()
            replaced.update(int(y) for y in sample_years)
        for year in sorted(replaced):
            for table in ("trade_flows", "flow_imports", "flow_exports", "flow_world",
                          "flow_economy_totals", "flow_years"):
                execute(f"DELETE FROM {table} WHERE year = {int(year)}")
        if self.dialect == "sqlite":
            # SQLite's sorter sizes its in-memory runs from cache_size and spills the rest to
            # OS temp files: a small cache during the sort keeps the importer's peak memory
            # low (the target sorted insert appends, so it needs little cache).
            execute("PRAGMA cache_size=-32768")
            execute("PRAGMA threads=0")
        if merge:
            execute(
                "INSERT INTO trade_flows (year, hs6, importer, exporter, value_usd, quantity) "
                "SELECT year, hs6, importer, exporter, sum(value_usd), "
                f"sum(NULLIF(quantity, {MISSING_QUANTITY})) FROM {STAGING} "
                "GROUP BY year, hs6, importer, exporter ORDER BY year, hs6, importer, exporter"
            )
        else:
            execute(
                "INSERT INTO trade_flows (year, hs6, importer, exporter, value_usd, quantity) "
                f"SELECT year, hs6, importer, exporter, value_usd, "
                f"NULLIF(quantity, {MISSING_QUANTITY}) FROM {STAGING} "
                "ORDER BY year, hs6, importer, exporter"
            )
        if self.dialect == "sqlite":
            execute(f"DROP TABLE {STAGING}")
            execute("PRAGMA cache_size=-65536")
        for year in years:
            self._aggregate(year)
        return self.stats

    def _aggregate(self, year: int) -> None:
        execute = self.conn.exec_driver_sql
        y = int(year)
        execute(
            "INSERT INTO flow_imports (hs6, importer, year, value_usd, quantity, suppliers) "
            "SELECT hs6, importer, year, sum(value_usd), sum(quantity), count(*) "
            f"FROM trade_flows WHERE year = {y} GROUP BY hs6, importer, year "
            "ORDER BY hs6, importer"
        )
        execute(
            "INSERT INTO flow_exports (hs6, exporter, year, value_usd, quantity, markets) "
            "SELECT hs6, exporter, year, sum(value_usd), sum(quantity), count(*) "
            f"FROM trade_flows WHERE year = {y} GROUP BY hs6, exporter, year "
            "ORDER BY hs6, exporter"
        )
        execute(
            "INSERT INTO flow_world (hs6, year, value_usd, quantity, exporters, importers) "
            "SELECT e.hs6, e.year, e.v, e.q, e.n, COALESCE(i.n, 0) FROM "
            "(SELECT hs6, year, sum(value_usd) AS v, sum(quantity) AS q, count(*) AS n "
            f" FROM flow_exports WHERE year = {y} GROUP BY hs6, year) e "
            "LEFT JOIN (SELECT hs6, count(*) AS n FROM flow_imports "
            f" WHERE year = {y} GROUP BY hs6) i ON i.hs6 = e.hs6"
        )
        execute(
            "INSERT INTO flow_economy_totals (economy, year, exports_usd, imports_usd) "
            f"SELECT economy, {y}, sum(x), sum(m) FROM ("
            f" SELECT exporter AS economy, value_usd AS x, 0 AS m FROM flow_exports WHERE year = {y}"
            " UNION ALL"
            f" SELECT importer AS economy, 0 AS x, value_usd AS m FROM flow_imports WHERE year = {y}"
            ") t GROUP BY economy"
        )
        row = self.conn.execute(text(
            "SELECT count(*), COALESCE(sum(markets), 0), COALESCE(sum(value_usd), 0) "
            "FROM flow_exports WHERE year = :y"), {"y": y}).one()
        rows, value = int(row[1]), int(row[2])
        self.stats.flow_rows += rows
        self.stats.value_usd += value
        self.conn.execute(insert(flow_years).values(
            year=y, dataset_id=self.dataset_id, source_edition=self.source_edition,
            quantity_unit="kg", row_count=rows, value_usd=value,
        ))

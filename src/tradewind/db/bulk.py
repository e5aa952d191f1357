"""Bulk writes for importers: reserve primary keys, then insert many rows at once, so rows
and their children can be written with plain multi-row INSERTs (no ``RETURNING`` row by row).

SQLAlchemy cannot batch ``INSERT … RETURNING`` with ``sort_by_parameter_order`` on SQLite (it
falls back to one statement per row), which made imports of tens of thousands of rows slow.
Instead the ids are reserved first: on PostgreSQL from the column's sequence (safe under
concurrency), on SQLite from ``max(id)`` — the caller's transaction already holds SQLite's
single write lock once it has written anything, so no other writer can take the same ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text


def reserve_ids(conn: Connection, table: Table, count: int, column: str = "id") -> list[int]:
    """``count`` new ids for ``table.column`` in ``conn``'s transaction."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": column}).scalar()
        if sequence:
            return [int(i) for i in conn.execute(
                text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                {"s": sequence, "n": count}).scalars()]
    if conn.dialect.name == "sqlite":
        # a write that changes nothing takes SQLite's write lock now (if the transaction
        # does not hold it yet), so max(id) cannot change under us until commit
        conn.execute(text(f'UPDATE "{table.name}" SET "{column}" = "{column}" WHERE 0'))
    top = conn.execute(select(func.max(table.c[column]))).scalar() or 0
    return list(range(int(top) + 1, int(top) + 1 + count))


def bulk_insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]],
                chunk: int = 10_000) -> None:
    """Insert ``rows`` (dicts with the same keys) in ``conn``'s transaction, fast.

    On SQLite the values go through each column's own SQLAlchemy bind processor (dates,
    JSON, booleans stored exactly as ``insert()`` would) and then straight to the driver's
    ``executemany``: SQLAlchemy's per-row parameter handling cost more than the insert.
    On PostgreSQL the processed values are sent with ``COPY … FROM STDIN``.
    Python-side column defaults are not applied: give every such column in ``rows``.
    """
    if not rows:
        return
    names = list(rows[0])
    processors = [table.c[n].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                  for n in names]

    def values() -> Any:
        # Column by column (list comprehensions, not a generator per value), each processor
        # called once per distinct value: imports repeat dates, flags and timestamps.
        columns = []
        for name, processor in zip(names, processors, strict=True):
            column = [row[name] for row in rows]
            if processor is not None:
                column = _processed(column, processor)
            columns.append(column)
        return zip(*columns, strict=True)

    if conn.dialect.name == "postgresql":
        # COPY: several times faster than executemany (which psycopg pipelines row by row)
        columns = ", ".join(f'"{n}"' for n in names)
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(
                f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in values():
                copy.write_row(row)
        return
    if conn.dialect.name != "sqlite":
        for start in range(0, len(rows), chunk):
            conn.execute(insert(table), list(rows[start:start + chunk]))
        return
    columns = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" * len(names))
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    remaining = values()
    while batch := list(islice(remaining, chunk)):
        conn.exec_driver_sql(sql, batch)  # type: ignore[arg-type]


def _processed(column: list[Any], processor: Callable[[Any], Any]) -> list[Any]:
    """``processor(v)`` for every value, computed once per distinct value (keyed by type and
    value, so ``1`` and ``True`` stay apart; unhashable values such as JSON dicts by
    identity — the rows keep them alive meanwhile)."""
    memo: dict[Any, Any] = {}
    out = []
    for v in column:
        key: Any
        try:
            key = (v.__class__, v)
            hash(key)
        except TypeError:
            key = ("id", id(v))
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = memo[key] = processor(v)
        out.append(found)
    return out


_MISSING = object()

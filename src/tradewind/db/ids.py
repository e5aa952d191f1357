"""Reserve primary keys for a bulk insert, so rows and their children can be written with
plain multi-row INSERTs (no ``RETURNING`` row by row).

SQLAlchemy cannot batch ``INSERT … RETURNING`` with ``sort_by_parameter_order`` on SQLite (it
falls back to one statement per row), which made imports of tens of thousands of rows slow.
Instead the ids are reserved first: on PostgreSQL from the column's sequence (safe under
concurrency), on SQLite from ``max(id)`` — the caller's transaction already holds SQLite's
single write lock once it has written anything, so no other writer can take the same ids.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select, text


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

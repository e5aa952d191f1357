"""Upgrading a database created at EVERY earlier migration, with data in it.

For each revision: a fresh database (SQLite and PostgreSQL) is migrated to that revision;
two rows are generated for every table by reflecting the schema as it was then (values
that fit each column's type and length, NOT NULL filled, foreign keys pointing at the rows of
the referenced table, unique values per row); then the database is upgraded to head and every
row must still be there with the same key and the same values in the columns that still
exist.  Downgrading back to the revision must keep them too (every migration defines a
downgrade; ``0007_markets`` is a no-op both ways).
"""

from __future__ import annotations

import decimal
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    text,
)

from tests.conftest import PG_URL, _run_id
from tradewind.db import Database, migrate

SCRIPTS = ScriptDirectory(str(migrate.MIGRATIONS_DIR))
REVISIONS = [s.revision for s in reversed(list(SCRIPTS.walk_revisions()))]
HEAD = REVISIONS[-1]
ROWS = 2
#: Tables whose rows are packed binary arrays: random bytes are no valid data, and their
#: conversion is tested with real rows in tests/db/test_migration_flow_blocks.py.
NOT_SEEDED = {"trade_flow_blocks"}
#: Tables a migration replaces by another holding the same data in a new shape:
#: old table → (new table, SQL counting the rows the new table holds).
REPLACED = {"trade_flows": ("trade_flow_blocks", "SELECT coalesce(sum(flows), 0) FROM "
                                                 "trade_flow_blocks")}


def blank_database(backend: str, name: str, tmp: Path) -> Database:
    """A database with no tables at all (``make_database`` would migrate it to head)."""
    if backend == "sqlite":
        return Database(f"sqlite:///{tmp / name}.db")
    from urllib.parse import quote

    schema = f"tw_{_run_id()}_{name}".lower()
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in PG_URL else "?"
    return Database(f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}")


def drop(db: Database) -> None:
    from tests.conftest import drop_database

    if db.is_postgresql:
        drop_database(db)
    else:
        db.dispose()


def reflect(db: Database) -> MetaData:
    meta = MetaData()
    meta.reflect(db.engine)
    meta.remove(meta.tables["alembic_version"])
    return meta


def value_for(table: Table, column: Any, row: int) -> Any:
    """A value of ``column``'s type, distinct per row (so unique keys hold)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return row % 2 == 0
    if isinstance(kind, SmallInteger | Integer | BigInteger):
        return row + 1
    if isinstance(kind, Numeric | Float):
        return decimal.Decimal(f"{row + 1}.5") if isinstance(kind, Numeric) and \
            kind.asdecimal else row + 1.5
    if isinstance(kind, DateTime):
        return datetime(2024, 1, 1 + row, 12, 0, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2024, 1, 1 + row)
    if isinstance(kind, JSON):
        return {"row": row, "list": [row]}
    if isinstance(kind, LargeBinary):
        return bytes([row]) * 4
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or 40
        word = f"{column.name[:20]}-{table.name[:10]}-{row}"
        return word[:length - 1] + str(row) if len(word) > length else word
    raise AssertionError(f"no generator for {table.name}.{column.name}: {kind!r}")


def seed(db: Database, meta: MetaData) -> dict[str, list[dict[str, Any]]]:
    """Two rows in every table, parents first; foreign keys point at the parents' rows."""
    written: dict[str, list[dict[str, Any]]] = {}
    with db.transaction() as conn:
        for table in meta.sorted_tables:
            if table.name in NOT_SEEDED:
                continue
            rows = []
            for row in range(ROWS):
                values = {c.name: value_for(table, c, row) for c in table.columns}
                for fk in table.foreign_key_constraints:
                    parent = written.get(fk.referred_table.name)
                    if parent is None:  # self-reference: point at no row
                        for column in fk.columns:
                            values[column.name] = None
                        continue
                    for element in fk.elements:
                        values[element.parent.name] = parent[row][element.column.name]
                rows.append(values)
            conn.execute(insert(table), rows)
            written[table.name] = rows
        if db.is_postgresql:  # explicit ids: move the sequences past them
            for table in meta.sorted_tables:
                for column in table.primary_key.columns:
                    sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                            {"t": table.name, "c": column.name}).scalar()
                    if sequence:
                        conn.execute(text(f'SELECT setval(:s, (SELECT max("{column.name}") '
                                          f'FROM "{table.name}"))'), {"s": sequence})
    return written


def _same(stored: Any, written: Any) -> bool:
    if isinstance(written, datetime) and isinstance(stored, datetime):
        return stored.replace(tzinfo=None) == written.replace(tzinfo=None)
    if isinstance(written, dict) and isinstance(stored, str):
        return json.loads(stored) == written
    if isinstance(written, float | decimal.Decimal) and stored is not None:
        return float(stored) == float(written)
    return bool(stored == written)


def check_rows(db: Database, written: dict[str, list[dict[str, Any]]]) -> None:
    meta = reflect(db)
    with db.connect() as conn:
        for name, rows in written.items():
            if name not in meta.tables and name in REPLACED:
                new_table, count = REPLACED[name]
                assert new_table in meta.tables, f"table {name} disappeared"
                assert conn.execute(text(count)).scalar() == len(rows), \
                    f"{name}: rows not all carried into {new_table}"
                continue
            assert name in meta.tables, f"table {name} disappeared"
            table = meta.tables[name]
            stored = [dict(r._mapping) for r in conn.execute(select(table))]
            assert len(stored) == len(rows), f"{name}: {len(stored)} rows, {len(rows)} written"
            keys = [c.name for c in table.primary_key.columns] or list(rows[0])
            by_key = {tuple(r[k] for k in keys): r for r in stored}
            for row in rows:
                found = by_key.get(tuple(row[k] for k in keys))
                assert found is not None, f"{name}: row {row} lost"
                for column, value in row.items():
                    if column in found:
                        assert _same(found[column], value), \
                            f"{name}.{column}: {found[column]!r} != {value!r}"


@pytest.mark.slow
@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_upgrade_from_every_revision_keeps_the_data(backend: str, tmp_path: Path,
                                                    revision: str) -> None:
    db = blank_database(backend, f"up{revision[:4]}", tmp_path)
    try:
        migrate.upgrade(db, revision)
        written = seed(db, reflect(db))
        assert sum(map(len, written.values())) > 0
        migrate.upgrade(db)
        assert migrate.is_up_to_date(db)
        check_rows(db, written)
        migrate.downgrade(db, revision)
        assert migrate.current_revision(db) == revision
        check_rows(db, written)
    finally:
        drop(db)


@pytest.mark.slow
def test_full_downgrade_and_upgrade_again(backend: str, tmp_path: Path) -> None:
    """Every migration's downgrade runs: head → base leaves only alembic's table."""
    db = blank_database(backend, "downall", tmp_path)
    try:
        migrate.upgrade(db)
        seed(db, reflect(db))
        migrate.downgrade(db, "base")
        assert list(reflect(db).tables) == []
        migrate.upgrade(db)
        assert migrate.is_up_to_date(db)
    finally:
        drop(db)


def test_revisions_form_one_chain() -> None:
    assert REVISIONS[0] == "0001_core" and len(SCRIPTS.get_heads()) == 1
    assert SCRIPTS.get_current_head() == HEAD

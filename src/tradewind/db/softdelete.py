"""Soft delete for editor-managed records: ``deleted_at``/``deleted_by`` instead of DELETE.

Why: an editor's delete must be reversible and auditable.  A deleted record stays in its
table (so restore gives back exactly what was there) and every public query filters it out
with :func:`live`.  The audit row is written by the caller in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, ColumnElement, Connection, DateTime, String, Table, update

#: Tables whose rows editors delete and restore (the admin "deleted" list reads these).
SOFT_DELETE_TABLES = ("guides", "library_entries", "glossary_terms", "organisations",
                      "wg_events", "wg_tracker", "champion_editions")


def soft_delete_columns() -> list[Column[object]]:
    """The two columns every soft-deletable table declares."""
    return [Column("deleted_at", DateTime(timezone=True), nullable=True),
            Column("deleted_by", String(254), nullable=False, server_default="")]


def live(table: Table) -> ColumnElement[bool]:
    """WHERE clause keeping rows that are not deleted."""
    return table.c.deleted_at.is_(None)


def set_deleted(conn: Connection, table: Table, where: ColumnElement[bool], actor: str,
                deleted: bool) -> int:
    """Mark rows deleted (or restore them); the number of rows changed."""
    state = table.c.deleted_at.is_(None) if deleted else table.c.deleted_at.is_not(None)
    result = conn.execute(update(table).where(where, state).values(
        deleted_at=datetime.now(UTC) if deleted else None,
        deleted_by=actor if deleted else ""))
    return int(result.rowcount or 0)

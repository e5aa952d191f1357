"""A backup restores exactly what was there, on SQLite and PostgreSQL; bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.operations.backup import backup, restore


def _names(db: Database) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(select(datasets.c.name).order_by(datasets.c.name)).scalars())


def test_round_trip_restores_the_backed_up_state(db: Database, tmp_path: Path) -> None:
    with db.transaction() as conn:
        record_dataset(conn, kind="tariff", name="before backup", source="test", licence="none",
                       edition="1")
    file = backup(db, tmp_path / "tradewind.backup")
    assert file.stat().st_size > 0
    with db.transaction() as conn:
        record_dataset(conn, kind="tariff", name="after backup", source="test", licence="none",
                       edition="2")
    assert _names(db) == ["after backup", "before backup"]
    restore(db, file)
    assert _names(db) == ["before backup"]
    with db.connect() as conn:  # the schema (and its migrations table) came back whole
        assert conn.execute(select(func.count()).select_from(datasets)).scalar() == 1


def test_a_file_that_is_not_a_backup_is_refused(db: Database, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"notes\.txt"):
        restore(db, bogus)
    with pytest.raises(InvalidInput, match="no such backup file"):
        restore(db, tmp_path / "missing.backup")

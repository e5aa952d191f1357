"""Backups and restores for both engines.

SQLite: the online backup API copies a consistent snapshot while the portal keeps serving.
PostgreSQL: ``pg_dump --format=custom`` of the schema Tradewind uses, restored with
``pg_restore --clean --if-exists``; both tools come with the PostgreSQL client package.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import make_url

from tradewind.db import Database
from tradewind.errors import InvalidInput

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def backup(db: Database, target: Path) -> Path:
    """Write a consistent copy of the whole database to ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if db.is_sqlite:
        source = sqlite3.connect(_sqlite_path(db))
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              *_pg_schema_args(db), "--file", str(partial), _libpq_url(db)])
    partial.replace(target)
    return target


def restore(db: Database, source: Path) -> None:
    """Replace the database's contents with the backup in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput(f"{source}: no such backup file")
    head = source.read_bytes()[:16]
    db.dispose()
    if db.is_sqlite:
        if head != SQLITE_MAGIC:
            raise InvalidInput(f"{source}: not a SQLite backup (wrong file header)")
        src = sqlite3.connect(source)
        try:
            src.execute("PRAGMA schema_version").fetchone()
            dest = sqlite3.connect(_sqlite_path(db))
            try:
                src.backup(dest)
            finally:
                dest.close()
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(f"{source}: damaged SQLite backup ({exc})") from exc
        finally:
            src.close()
    else:
        if not head.startswith(PG_MAGIC):
            raise InvalidInput(f"{source}: not a PostgreSQL custom-format dump (wrong header)")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", "--dbname", _libpq_url(db), str(source)])


def _sqlite_path(db: Database) -> str:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise InvalidInput("an in-memory SQLite database cannot be backed up")
    return database


def _libpq_url(db: Database) -> str:
    """The SQLAlchemy URL as a libpq connection string (driver and options removed)."""
    url = make_url(db.url).set(drivername="postgresql")
    url = url.difference_update_query(["options"])
    return url.render_as_string(hide_password=False)


def _pg_schema_args(db: Database) -> list[str]:
    """``--schema`` for a search_path given in the URL's options (as the tests use)."""
    query = make_url(db.url).query.get("options")
    if not query:
        return []
    options = unquote(query if isinstance(query, str) else query[0])
    for part in options.split():
        if part.startswith("-csearch_path="):
            return ["--schema", part.split("=", 1)[1]]
    return []


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise InvalidInput(f"{command[0]} is not installed: install the PostgreSQL client tools")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise InvalidInput(f"{command[0]} failed: {result.stderr.strip()[:500]}")

"""Liveness and readiness: is the process up, is the database reachable and current?"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from tradewind.db import Database, migrate


@dataclass(frozen=True)
class Readiness:
    ready: bool
    database: str  # "ok" or the reason it is not
    schema_revision: str | None
    expected_revision: str | None

    def as_dict(self) -> dict[str, object]:
        return {"status": "ready" if self.ready else "not ready", "database": self.database,
                "schema_revision": self.schema_revision,
                "expected_revision": self.expected_revision}


def readiness(db: Database) -> Readiness:
    """Ready when a query answers and the schema is at the newest migration."""
    expected = migrate.head_revision(db)
    try:
        with db.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = migrate.current_revision(db)
    except Exception as exc:  # any driver error means "not ready", never a 500
        return Readiness(False, f"unreachable: {type(exc).__name__}", None, expected)
    if current != expected:
        return Readiness(False, "migrations pending: run `tradewind init`", current, expected)
    return Readiness(True, "ok", current, expected)

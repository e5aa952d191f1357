"""The Alembic migrations produce exactly the tables the code declares."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tradewind.db import Database, migrate
from tradewind.db.tables import metadata


def test_migrations_reach_head(db: Database) -> None:
    assert migrate.is_up_to_date(db)


def test_schema_matches_declared_tables(db: Database) -> None:
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"migrations and models disagree: {diff}"

"""Cached market rankings and statistics, shared by every instance (issue 12).

Revision ID: 0019_aggregate_cache
Revises: 0017_finder_evidence
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_aggregate_cache"
down_revision: str | None = "0017_finder_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "aggregate_cache",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_aggregate_cache"),
    )
    op.create_index("ix_aggregate_cache_version", "aggregate_cache", ["version"])


def downgrade() -> None:
    op.drop_index("ix_aggregate_cache_version", table_name="aggregate_cache")
    op.drop_table("aggregate_cache")

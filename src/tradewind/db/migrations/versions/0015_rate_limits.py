"""Shared rate-limit counters (one row per client key and window), read by every instance.

Revision ID: 0015_rate_limits
Revises: 0014_policy
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_rate_limits"
down_revision: str | None = "0014_policy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limits"),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")

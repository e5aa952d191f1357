"""Composed HS conversions precomputed per edition pair (issue 12, item 10).

Revision ID: 0028_hs_composed
Revises: 0026_watch_batches_drift
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_hs_composed"
down_revision: str | None = "0026_watch_batches_drift"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hs_composed_pairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("from_edition", sa.String(10), nullable=False),
        sa.Column("to_edition", sa.String(10), nullable=False),
        sa.Column("path", sa.String(80), nullable=False),
        sa.Column("tables_key", sa.Text, nullable=False),
        sa.UniqueConstraint("from_edition", "to_edition", name="uq_hs_composed_pairs_editions"),
    )
    op.create_table(
        "hs_composed",
        sa.Column("pair_id", sa.Integer,
                  sa.ForeignKey("hs_composed_pairs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("from_code", sa.String(6), primary_key=True),
        sa.Column("targets", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hs_composed")
    op.drop_table("hs_composed_pairs")

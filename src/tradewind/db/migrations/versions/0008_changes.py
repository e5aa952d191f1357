"""Change events (the log that alerts, feeds and the policy side read).

Revision ID: 0008_changes
Revises: 0007_markets
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_changes"
down_revision: str | None = "0007_markets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("market", sa.String(3), nullable=True),
        sa.Column("hs_code", sa.String(12), nullable=True),
        sa.Column("effective_date", sa.Date, nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="SET NULL",
                                name="fk_change_events_dataset_id_datasets"), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_change_events"),
    )
    op.create_index("ix_change_events_kind_occurred_at", "change_events", ["kind", "occurred_at"])
    op.create_index("ix_change_events_market_hs_code", "change_events", ["market", "hs_code"])
    op.create_index("ix_change_events_effective_date", "change_events", ["effective_date"])


def downgrade() -> None:
    op.drop_table("change_events")

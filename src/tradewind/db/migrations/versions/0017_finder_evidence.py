"""Finder evidence: binding rulings (EU BTI, US CBP) and advisors' confirmations.

Revision ID: 0017_finder_evidence
Revises: 0016_watch_channels
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_finder_evidence"
down_revision: str | None = "0016_watch_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finder_rulings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("authority", sa.String(2), nullable=False),
        sa.Column("reference", sa.String(80), nullable=False),
        sa.Column("ruling_date", sa.Date, nullable=True),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("source_code", sa.String(14), nullable=False),
        sa.Column("source_edition", sa.String(10), nullable=False),
        sa.UniqueConstraint("dataset_id", "reference", "code", name="uq_finder_rulings_ref_code"),
    )
    op.create_index("ix_finder_rulings_dataset_id", "finder_rulings", ["dataset_id"])
    op.create_index("ix_finder_rulings_code", "finder_rulings", ["code"])
    op.create_table(
        "finder_confirmations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("proposed", sa.String(6), nullable=True),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("confirmed_by", sa.String(254), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("portal", sa.String(300), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("ix_finder_confirmations_code", "finder_confirmations", ["code"])
    op.create_index("ix_finder_confirmations_dataset_id", "finder_confirmations",
                    ["dataset_id"])


def downgrade() -> None:
    op.drop_index("ix_finder_confirmations_dataset_id", table_name="finder_confirmations")
    op.drop_index("ix_finder_confirmations_code", table_name="finder_confirmations")
    op.drop_table("finder_confirmations")
    op.drop_index("ix_finder_rulings_code", table_name="finder_rulings")
    op.drop_index("ix_finder_rulings_dataset_id", table_name="finder_rulings")
    op.drop_table("finder_rulings")

"""Finder: learned reranker models with their provenance (issue 15, item 2).

Revision ID: 0025_finder_models
Revises: 0024_hs_descriptions_soft_delete
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_finder_models"
down_revision: str | None = "0024_hs_descriptions_soft_delete"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finder_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("edition", sa.String(10), nullable=False),
        sa.Column("feature_version", sa.Integer, nullable=False),
        sa.Column("data_signature", sa.String(64), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provenance", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
    )
    op.create_index("ix_finder_models_kind_edition", "finder_models", ["kind", "edition"])


def downgrade() -> None:
    op.drop_index("ix_finder_models_kind_edition", table_name="finder_models")
    op.drop_table("finder_models")

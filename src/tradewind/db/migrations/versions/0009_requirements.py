"""Non-tariff requirements: measures (MAST-classified) with products, origins and documents.

Revision ID: 0009_requirements
Revises: 0008_changes
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_requirements"
down_revision: str | None = "0008_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("mast_code", sa.String(8), nullable=False),
        sa.Column("title", sa.String(400), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("legal_reference", sa.String(400), nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("origins_scope", sa.String(4), nullable=False),
        sa.Column("hs_edition", sa.String(10), nullable=False),
    )
    op.create_index("ix_measures_economy", "measures", ["economy"])
    op.create_index("ix_measures_dataset_id", "measures", ["dataset_id"])
    for table, column, length in (("measure_products", "hs_code", 10),
                                  ("measure_origins", "economy", 3),
                                  ("measure_documents", "name", 300)):
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("measure_id", sa.Integer,
                      sa.ForeignKey("measures.id", ondelete="CASCADE"), nullable=False),
            sa.Column(column, sa.String(length), nullable=False),
        )
        op.create_index(f"ix_{table}_measure_id", table, ["measure_id"])
    op.create_index("ix_measure_products_hs_code", "measure_products", ["hs_code"])


def downgrade() -> None:
    op.drop_table("measure_documents")
    op.drop_table("measure_origins")
    op.drop_table("measure_products")
    op.drop_table("measures")

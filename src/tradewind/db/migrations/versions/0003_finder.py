"""Product finder index (product finder issue).

Revision ID: 0003_finder
Revises: 0002_nomenclature
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_finder"
down_revision: str | None = "0002_nomenclature"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "finder_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("source_code", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["datasets.id"], ondelete="CASCADE",
                                name="fk_finder_references_dataset_id_datasets"),
        sa.PrimaryKeyConstraint("id", name="pk_finder_references"),
    )
    op.create_index("ix_finder_references_dataset_id", "finder_references", ["dataset_id"])
    op.create_index("ix_finder_references_code", "finder_references", ["code"])


def downgrade() -> None:
    op.drop_index("ix_finder_references_code", table_name="finder_references")
    op.drop_index("ix_finder_references_dataset_id", table_name="finder_references")
    op.drop_table("finder_references")

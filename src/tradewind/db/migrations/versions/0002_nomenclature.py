"""HS editions side by side, concordances, search references (product finder issue).

Adds the UNSD correspondence pairs between HS editions and the regulation flags per code.

Revision ID: 0002_nomenclature
Revises: 0001_core
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_nomenclature"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hs_correspondences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("from_edition", sa.String(10), nullable=False),
        sa.Column("from_code", sa.String(6), nullable=False),
        sa.Column("to_edition", sa.String(10), nullable=False),
        sa.Column("to_code", sa.String(6), nullable=False),
        sa.Column("relation", sa.String(3), nullable=False),
        sa.Column("conversion", sa.Boolean, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("from_edition", "from_code", "to_edition", "to_code",
                            name="uq_hs_correspondences_pair"),
    )
    op.create_index("ix_hs_correspondences_from", "hs_correspondences",
                    ["from_edition", "to_edition", "from_code"])
    op.create_index("ix_hs_correspondences_to", "hs_correspondences",
                    ["to_edition", "from_edition", "to_code"])
    op.create_table(
        "hs_code_flags",
        sa.Column("edition", sa.String(10), primary_key=True),
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("flag", sa.String(10), primary_key=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("hs_code_flags")
    op.drop_index("ix_hs_correspondences_to", table_name="hs_correspondences")
    op.drop_index("ix_hs_correspondences_from", table_name="hs_correspondences")
    op.drop_table("hs_correspondences")

"""Core: dataset provenance, countries, HS nomenclature.

Revision ID: 0001_core
Revises:
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_core"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("licence", sa.String(200), nullable=False),
        sa.Column("edition", sa.String(100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_sample", sa.Boolean, nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_datasets_kind", "datasets", ["kind"])
    op.create_table(
        "countries",
        sa.Column("iso3", sa.String(3), primary_key=True),
        sa.Column("iso2", sa.String(2), nullable=False, unique=True),
        sa.Column("numeric", sa.String(3), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("official_name", sa.String(200), nullable=False),
        sa.Column("region", sa.String(60), nullable=False),
    )
    op.create_table(
        "hs_sections",
        sa.Column("edition", sa.String(10), primary_key=True),
        sa.Column("section", sa.String(5), primary_key=True),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_table(
        "hs_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition", sa.String(10), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("parent", sa.String(6), nullable=True),
        sa.Column("section", sa.String(5), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
        sa.UniqueConstraint("edition", "code", name="uq_hs_codes_edition_code"),
    )
    op.create_index("ix_hs_codes_edition_parent", "hs_codes", ["edition", "parent"])
    op.create_index("ix_hs_codes_edition_level", "hs_codes", ["edition", "level"])


def downgrade() -> None:
    op.drop_table("hs_codes")
    op.drop_table("hs_sections")
    op.drop_table("countries")
    op.drop_table("datasets")

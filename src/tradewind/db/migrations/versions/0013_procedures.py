"""Import procedures and shipment documents per market; editors' soft deletion of measures.

Revision ID: 0013_procedures
Revises: 0012_party_roles
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_procedures"
down_revision: str | None = "0012_party_roles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("description_fr", sa.Text, nullable=False),
        sa.Column("description_es", sa.Text, nullable=False),
        sa.Column("hs_scope", sa.String(400), nullable=False),
        sa.Column("days_min", sa.Integer, nullable=True),
        sa.Column("days_max", sa.Integer, nullable=True),
        sa.Column("fee", sa.String(120), nullable=False),
        sa.Column("glossary", sa.String(80), nullable=False),
        sa.Column("help_service", sa.String(60), nullable=False),
        sa.Column("help_organisation", sa.String(300), nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
    ]


def _dataset() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("dataset_id", sa.Integer,
                     sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("measures") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(254), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deleted_by", sa.String(254), nullable=False,
                                   server_default=""))
    op.create_table(
        "procedure_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        _dataset(),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("title_fr", sa.String(300), nullable=False),
        sa.Column("title_es", sa.String(300), nullable=False),
        sa.Column("agency", sa.String(300), nullable=False),
        *_common(),
    )
    op.create_index("ix_procedure_steps_economy", "procedure_steps", ["economy", "position"])
    op.create_index("ix_procedure_steps_dataset_id", "procedure_steps", ["dataset_id"])
    op.create_table(
        "procedure_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        _dataset(),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("name_fr", sa.String(300), nullable=False),
        sa.Column("name_es", sa.String(300), nullable=False),
        sa.Column("issued_by", sa.String(300), nullable=False),
        sa.Column("condition", sa.String(400), nullable=False),
        sa.Column("condition_fr", sa.String(400), nullable=False),
        sa.Column("condition_es", sa.String(400), nullable=False),
        sa.Column("aliases", sa.String(600), nullable=False),
        *_common(),
    )
    op.create_index("ix_procedure_documents_economy", "procedure_documents",
                    ["economy", "position"])
    op.create_index("ix_procedure_documents_dataset_id", "procedure_documents", ["dataset_id"])


def downgrade() -> None:
    op.drop_table("procedure_documents")
    op.drop_table("procedure_steps")
    with op.batch_alter_table("measures") as batch:
        for column in ("deleted_by", "deleted_at", "updated_by", "updated_at"):
            batch.drop_column(column)

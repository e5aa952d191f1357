"""French/Spanish HS descriptions and soft delete of editor-managed content (issue 11).

* ``hs_descriptions``: descriptions imported by ``tradewind import hs-descriptions`` per
  edition, code and language (English stays in ``hs_codes``).
* ``deleted_at``/``deleted_by`` on guides, library entries, glossary terms, organisations,
  events, tracker entries and champion editions: editors delete and restore them.

Revision ID: 0024_hs_descriptions_soft_delete
Revises: 0023_watch_topics
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_hs_descriptions_soft_delete"
down_revision: str | None = "0023_watch_topics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("guides", "library_entries", "glossary_terms", "organisations", "wg_events",
          "wg_tracker", "champion_editions")


def upgrade() -> None:
    op.create_table(
        "hs_descriptions",
        sa.Column("edition", sa.String(10), primary_key=True),
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("lang", sa.String(5), primary_key=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("datasets.id", ondelete="CASCADE"),
                  nullable=False),
    )
    op.create_index("ix_hs_descriptions_dataset", "hs_descriptions", ["dataset_id"])
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
            batch.add_column(sa.Column("deleted_by", sa.String(254), nullable=False,
                                       server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("deleted_by")
            batch.drop_column("deleted_at")
    op.drop_index("ix_hs_descriptions_dataset", table_name="hs_descriptions")
    op.drop_table("hs_descriptions")

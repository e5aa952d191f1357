"""WTO SPS/TBT notifications.

Revision ID: 0010_notifications
Revises: 0009_requirements
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_notifications"
down_revision: str | None = "0009_requirements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _link(table: str, pk: list[str], *columns: sa.Column) -> None:
    op.create_table(
        table,
        sa.Column("notification_id", sa.Integer,
                  sa.ForeignKey("notifications.id", ondelete="CASCADE",
                                name=f"fk_{table}_notification_id_notifications"),
                  nullable=False),
        *columns,
        sa.PrimaryKeyConstraint(*pk, name=f"pk_{table}"),
    )


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE",
                                name="fk_notifications_dataset_id_datasets"), nullable=False),
        sa.Column("symbol", sa.String(80), nullable=False),
        sa.Column("base_symbol", sa.String(60), nullable=False),
        sa.Column("area", sa.String(3), nullable=False),
        sa.Column("member", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("distribution_date", sa.Date, nullable=False),
        sa.Column("comment_deadline", sa.Date, nullable=True),
        sa.Column("proposed_adoption", sa.Date, nullable=True),
        sa.Column("entry_into_force", sa.Date, nullable=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("products_text", sa.Text, nullable=False),
        sa.Column("objectives", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("document_url", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("symbol", name="uq_notifications_symbol"),
    )
    op.create_index("ix_notifications_member_distribution_date", "notifications",
                    ["member", "distribution_date"])
    op.create_index("ix_notifications_base_symbol", "notifications", ["base_symbol"])
    op.create_index("ix_notifications_comment_deadline", "notifications", ["comment_deadline"])
    _link("notification_hs", ["notification_id", "hs_code"],
          sa.Column("hs_code", sa.String(12), nullable=False),
          sa.Column("inferred", sa.Boolean, nullable=False))
    op.create_index("ix_notification_hs_hs_code", "notification_hs", ["hs_code"])
    _link("notification_ics", ["notification_id", "ics_code"],
          sa.Column("ics_code", sa.String(20), nullable=False))
    op.create_index("ix_notification_ics_ics_code", "notification_ics", ["ics_code"])
    _link("notification_countries", ["notification_id", "economy"],
          sa.Column("economy", sa.String(3), nullable=False))


def downgrade() -> None:
    for table in ("notification_countries", "notification_ics", "notification_hs",
                  "notifications"):
        op.drop_table(table)

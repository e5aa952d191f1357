"""Watch: outbox claims with a lease (batch worker), finder-query drift notices (issue 10).

Revision ID: 0026_watch_batches_drift
Revises: 0025_finder_models
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_watch_batches_drift"
down_revision: str | None = "0025_finder_models"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_outbox") as batch:
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(40), nullable=True))
    with op.batch_alter_table("watch_items") as batch:
        batch.add_column(sa.Column("finder_version", sa.String(40), nullable=True))
        batch.add_column(sa.Column("resolved_codes", sa.String(200), nullable=True))
    op.create_table(
        "watch_query_notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("watch_list_id", sa.Integer,
                  sa.ForeignKey("watch_lists.id", ondelete="CASCADE"), nullable=False),
        sa.Column("query", sa.String(200), nullable=False),
        sa.Column("watched_codes", sa.String(200), nullable=False),
        sa.Column("proposed_codes", sa.String(200), nullable=False),
        sa.Column("finder_version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_watch_query_notices_watch_list_id", "watch_query_notices",
                    ["watch_list_id"])


def downgrade() -> None:
    op.drop_index("ix_watch_query_notices_watch_list_id", table_name="watch_query_notices")
    op.drop_table("watch_query_notices")
    with op.batch_alter_table("watch_items") as batch:
        batch.drop_column("resolved_codes")
        batch.drop_column("finder_version")
    with op.batch_alter_table("watch_outbox") as batch:
        batch.drop_column("claimed_by")
        batch.drop_column("claimed_until")

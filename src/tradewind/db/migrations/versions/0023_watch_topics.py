"""Watch topics and finder queries (area and query on watch items), and the notices that tell
a user a channel was disabled.

Revision ID: 0023_watch_topics
Revises: 0022_flow_blocks
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_watch_topics"
down_revision: str | None = "0022_flow_blocks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_items") as batch:
        batch.add_column(sa.Column("area", sa.String(3), nullable=True))
        batch.add_column(sa.Column("query", sa.String(200), nullable=True))
    op.create_table(
        "watch_notices",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("idempotency_key", sa.String(120), nullable=False),
        sa.Column("subscriber_id", sa.Integer,
                  sa.ForeignKey("watch_subscribers.id", ondelete="CASCADE",
                                name="fk_watch_notices_subscriber_id_watch_subscribers"),
                  nullable=False),
        sa.Column("watch_list_id", sa.Integer,
                  sa.ForeignKey("watch_lists.id", ondelete="CASCADE",
                                name="fk_watch_notices_watch_list_id_watch_lists"),
                  nullable=True),
        sa.Column("lost_channel", sa.String(10), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.SmallInteger, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_watch_notices"),
        sa.UniqueConstraint("idempotency_key", name="uq_watch_notices_idempotency_key"),
    )
    op.create_index("ix_watch_notices_status_next_attempt_at", "watch_notices",
                    ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_watch_notices_status_next_attempt_at", table_name="watch_notices")
    op.drop_table("watch_notices")
    with op.batch_alter_table("watch_items") as batch:
        batch.drop_column("query")
        batch.drop_column("area")

"""Watch delivery channels: a signed webhook per watch list, and the purpose of outbox rows
(first announcement or reminder before a future date takes effect).

Revision ID: 0016_watch_channels
Revises: 0015_rate_limits
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_watch_channels"
down_revision: str | None = "0015_rate_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watch_lists") as batch:
        batch.add_column(sa.Column("webhook_url", sa.Text, nullable=True))
        batch.add_column(sa.Column("webhook_secret", sa.String(80), nullable=True))
        batch.add_column(sa.Column("webhook_disabled_reason", sa.Text, nullable=True))
        batch.add_column(sa.Column("webhook_disabled_at", sa.DateTime(timezone=True),
                                   nullable=True))
    with op.batch_alter_table("watch_subscribers") as batch:
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("watch_outbox") as batch:
        batch.add_column(sa.Column("purpose", sa.String(10), nullable=False,
                                   server_default="change"))
    op.create_index("ix_watch_outbox_watch_list_id", "watch_outbox", ["watch_list_id"])


def downgrade() -> None:
    op.drop_index("ix_watch_outbox_watch_list_id", table_name="watch_outbox")
    with op.batch_alter_table("watch_outbox") as batch:
        batch.drop_column("purpose")
    with op.batch_alter_table("watch_subscribers") as batch:
        batch.drop_column("disabled_at")
    with op.batch_alter_table("watch_lists") as batch:
        batch.drop_column("webhook_disabled_at")
        batch.drop_column("webhook_disabled_reason")
        batch.drop_column("webhook_secret")
        batch.drop_column("webhook_url")

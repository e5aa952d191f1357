"""Watch lists, subscribers and the alert outbox.

Revision ID: 0011_watch
Revises: 0010_notifications
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_watch"
down_revision: str | None = "0010_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "watch_subscribers",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirm_token_hash", sa.String(64), nullable=True),
        sa.Column("unsubscribe_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_reason", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_watch_subscribers"),
        sa.UniqueConstraint("email", name="uq_watch_subscribers_email"),
        sa.UniqueConstraint("unsubscribe_token", name="uq_watch_subscribers_unsubscribe_token"),
    )
    op.create_table(
        "watch_lists",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("subscriber_id", sa.Integer,
                  sa.ForeignKey("watch_subscribers.id", ondelete="CASCADE",
                                name="fk_watch_lists_subscriber_id_watch_subscribers"),
                  nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("feed_token", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watch_lists"),
        sa.UniqueConstraint("feed_token", name="uq_watch_lists_feed_token"),
    )
    op.create_index("ix_watch_lists_subscriber_id", "watch_lists", ["subscriber_id"])
    op.create_table(
        "watch_items",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("watch_list_id", sa.Integer,
                  sa.ForeignKey("watch_lists.id", ondelete="CASCADE",
                                name="fk_watch_items_watch_list_id_watch_lists"),
                  nullable=False),
        sa.Column("hs_prefix", sa.String(6), nullable=True),
        sa.Column("market", sa.String(3), nullable=True),
        sa.Column("kind_prefix", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_watch_items"),
    )
    op.create_index("ix_watch_items_watch_list_id", "watch_items", ["watch_list_id"])
    op.create_table(
        "watch_outbox",
        sa.Column("id", _BIGINT, nullable=False, autoincrement=True),
        sa.Column("idempotency_key", sa.String(80), nullable=False),
        sa.Column("subscriber_id", sa.Integer,
                  sa.ForeignKey("watch_subscribers.id", ondelete="CASCADE",
                                name="fk_watch_outbox_subscriber_id_watch_subscribers"),
                  nullable=False),
        sa.Column("watch_list_id", sa.Integer,
                  sa.ForeignKey("watch_lists.id", ondelete="CASCADE",
                                name="fk_watch_outbox_watch_list_id_watch_lists"),
                  nullable=False),
        sa.Column("event_id", _BIGINT,
                  sa.ForeignKey("change_events.id", ondelete="CASCADE",
                                name="fk_watch_outbox_event_id_change_events"),
                  nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.SmallInteger, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_watch_outbox"),
        sa.UniqueConstraint("idempotency_key", name="uq_watch_outbox_idempotency_key"),
    )
    op.create_index("ix_watch_outbox_status_next_attempt_at", "watch_outbox",
                    ["status", "next_attempt_at"])
    op.create_index("ix_watch_outbox_subscriber_id", "watch_outbox", ["subscriber_id"])


def downgrade() -> None:
    op.drop_table("watch_outbox")
    op.drop_table("watch_items")
    op.drop_table("watch_lists")
    op.drop_table("watch_subscribers")

"""WTO SPS/TBT notifications and their products (HS, ICS) and affected economies."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from tradewind.db import metadata

KINDS = ("regular", "addendum", "revision", "corrigendum", "emergency")

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("symbol", String(80), nullable=False, unique=True),
    Column("base_symbol", String(60), nullable=False),
    Column("area", String(3), nullable=False),  # SPS | TBT
    Column("member", String(3), nullable=False),  # ISO3 or EUN
    Column("kind", String(12), nullable=False),
    Column("distribution_date", Date, nullable=False),
    Column("comment_deadline", Date, nullable=True),
    Column("proposed_adoption", Date, nullable=True),
    Column("entry_into_force", Date, nullable=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("products_text", Text, nullable=False, default=""),
    Column("objectives", Text, nullable=False, default=""),
    Column("keywords", Text, nullable=False, default=""),
    Column("language", String(8), nullable=False, default="en"),
    Column("document_url", Text, nullable=False, default=""),
    Index("ix_notifications_member_distribution_date", "member", "distribution_date"),
    Index("ix_notifications_base_symbol", "base_symbol"),
    Index("ix_notifications_comment_deadline", "comment_deadline"),
)

notification_hs = Table(
    "notification_hs",
    metadata,
    Column("notification_id", Integer, ForeignKey("notifications.id", ondelete="CASCADE"),
           nullable=False),
    Column("hs_code", String(12), nullable=False),
    Column("inferred", Boolean, nullable=False, default=False),
    PrimaryKeyConstraint("notification_id", "hs_code"),
    Index("ix_notification_hs_hs_code_notification", "hs_code", "notification_id"),
)

notification_ics = Table(
    "notification_ics",
    metadata,
    Column("notification_id", Integer, ForeignKey("notifications.id", ondelete="CASCADE"),
           nullable=False),
    Column("ics_code", String(20), nullable=False),
    PrimaryKeyConstraint("notification_id", "ics_code"),
    Index("ix_notification_ics_ics_code", "ics_code"),
)

notification_countries = Table(
    "notification_countries",
    metadata,
    Column("notification_id", Integer, ForeignKey("notifications.id", ondelete="CASCADE"),
           nullable=False),
    Column("economy", String(3), nullable=False),
    PrimaryKeyConstraint("notification_id", "economy"),
)

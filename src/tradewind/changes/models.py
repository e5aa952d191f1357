"""The change-event log (one row per change a user may want to hear about)."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from tradewind.db import metadata

change_events = Table(
    "change_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"),
           primary_key=True, autoincrement=True),
    # e.g. "tariff.mfn", "tariff.preference", "tariff.additional", "tariff.quota",
    # "measure.new", "measure.changed", "notification.new", "notification.revised",
    # "notification.addendum", "notification.deadline", "content.guide", "content.library",
    # "content.event"
    Column("kind", String(40), nullable=False),
    Column("market", String(3), nullable=True),  # ISO3 or group code (EUN); None: everywhere
    Column("hs_code", String(12), nullable=True),  # digits only; None: not product-specific
    Column("effective_date", Date, nullable=True),  # when the change takes effect
    Column("occurred_at", DateTime(timezone=True), nullable=False),  # when it was recorded
    Column("title", Text, nullable=False),
    Column("reference", String(200), nullable=False, default=""),  # symbol, slug, line id
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("details", JSON, nullable=False, default=dict),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True),
    Index("ix_change_events_kind_occurred_at", "kind", "occurred_at"),
    Index("ix_change_events_market_hs_code", "market", "hs_code"),
    Index("ix_change_events_effective_date", "effective_date"),
)

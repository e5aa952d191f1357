"""Working Group: members, the December 2020 package, the tracker, events and feedback."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tradewind.db import metadata
from tradewind.db.softdelete import soft_delete_columns

wg_members = Table(
    "wg_members",
    metadata,
    Column("economy", String(3), primary_key=True),  # ISO3, or EUN for the European Union
    Column("joined", Date, nullable=False),
)

wg_recommendations = Table(
    "wg_recommendations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("kind", String(20), nullable=False),  # declaration | recommendation
    Column("adopted", Date, nullable=False),
    Column("summary", Text, nullable=False),
    Column("topics", JSON, nullable=False),
)

wg_tracker = Table(
    "wg_tracker",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("economy", String(3), nullable=False),
    Column("recommendation_id", Integer,
           ForeignKey("wg_recommendations.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("evidence_url", String(500), nullable=False),
    Column("date", Date, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    UniqueConstraint("economy", "recommendation_id", name="uq_wg_tracker_economy_recommendation"),
    *soft_delete_columns(),
)

wg_events = Table(
    "wg_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(150), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("start", DateTime(timezone=True), nullable=False),
    Column("end", DateTime(timezone=True), nullable=True),
    Column("place", String(200), nullable=False),
    Column("online", Boolean, nullable=False),
    Column("agenda", Text, nullable=False),
    Column("url", String(500), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    Index("ix_wg_events_start", "start"),
    *soft_delete_columns(),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("name", String(200), nullable=False),
    Column("organisation", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("country", String(3), nullable=False),
    Column("sector", String(200), nullable=False),
    Column("obstacle", Text, nullable=False),
    Column("status", String(12), nullable=False),  # pending | published | rejected
    Column("ip_hash", String(64), nullable=False),
    Column("moderated_by", String(254), nullable=True),
    Column("moderated_at", DateTime(timezone=True), nullable=True),
    Index("ix_feedback_ip_hash_created_at", "ip_hash", "created_at"),
    Index("ix_feedback_status", "status"),
)

# French and Spanish versions of the package and of the dialogue events.
wg_recommendation_translations = Table(
    "wg_recommendation_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("recommendation_id", Integer,
           ForeignKey("wg_recommendations.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
    UniqueConstraint("recommendation_id", "lang",
                     name="uq_wg_recommendation_translations_recommendation_id_lang"),
)

wg_event_translations = Table(
    "wg_event_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", Integer, ForeignKey("wg_events.id", ondelete="CASCADE"), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("title", String(300), nullable=False),
    Column("agenda", Text, nullable=False),
    UniqueConstraint("event_id", "lang", name="uq_wg_event_translations_event_id_lang"),
)

"""Policy tables: raw demand signals (kept a few days), the pre-aggregated rollups the
dashboard reads, and the Working Group follow-up indicators.

No table here has an IP address, a user identifier, a cookie or an e-mail column: the
recorder keeps only what a question was about (product, markets, language, audience).
Absent dimensions are stored as ``""`` (not NULL) so the rollups' primary keys conflict and
counts add up with one upsert.
"""

from sqlalchemy import (
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
    UniqueConstraint,
)

from tradewind.db import metadata

_ID = BigInteger().with_variant(Integer, "sqlite")

# Raw events: deleted after ``policy_retention_days``; only the rollups below remain.
policy_events = Table(
    "policy_events",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("outcome", String(12), nullable=False),  # answered | unanswered | no_data | picked
    Column("hs", String(6), nullable=False),  # '' when the question had no product
    Column("origin", String(3), nullable=False),
    Column("destination", String(3), nullable=False),
    Column("lang", String(2), nullable=False),
    Column("user_type", String(12), nullable=False),
    Column("topic", String(60), nullable=False),
    Column("query_hash", String(16), nullable=False),
    Column("query_text", String(200), nullable=True),  # scrubbed; only when allowed
    Index("ix_policy_events_day", "day"),
)

# The rollups form a small data cube: every event is counted under its origin and under
# "*" (all origins), and under its HS chapter, its HS section and "*" (all sectors), so every
# filter the dashboard offers is one index range, never a sum over millions of rows.

# Questions per day and kind: totals and the time series.
policy_daily = Table(
    "policy_daily",
    metadata,
    Column("origin", String(3), primary_key=True),  # ISO3 or "*"
    Column("sector", String(5), primary_key=True),  # "*", an HS section (I–XXI) or a chapter
    Column("day", Date, primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("outcome", String(12), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Monthly counts along one dimension (or a pair): products, markets, product × market,
# language, user type, barrier topic, data gap.  Closed months of "pair" rows are compacted
# to the top pairs (see docs/policy.md).
policy_cube = Table(
    "policy_cube",
    metadata,
    Column("origin", String(3), primary_key=True),
    Column("sector", String(5), primary_key=True),
    Column("dim", String(8), primary_key=True),
    Column("month", Date, primary_key=True),  # first day of the month
    Column("key1", String(60), primary_key=True),
    Column("key2", String(20), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Finder questions by month: how often asked, how often a result was picked.
policy_queries = Table(
    "policy_queries",
    metadata,
    Column("month", Date, primary_key=True),
    Column("query_hash", String(16), primary_key=True),
    Column("lang", String(2), primary_key=True),
    Column("query_text", String(200), nullable=False),  # '' unless raw text is allowed
    Column("searches", BigInteger, nullable=False),
    Column("empty", BigInteger, nullable=False),  # searches with no candidate at all
    Column("picks", BigInteger, nullable=False),
)

# Follow-up of the Working Group package: indicators per recommendation, values per economy.
policy_indicators = Table(
    "policy_indicators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("recommendation_id", Integer,
           ForeignKey("wg_recommendations.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("title_fr", String(300), nullable=False),
    Column("title_es", String(300), nullable=False),
    Column("dashboard_view", String(200), nullable=False),  # e.g. "/policy?sector=I"
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    Index("ix_policy_indicators_recommendation_id", "recommendation_id"),
)

policy_indicator_values = Table(
    "policy_indicator_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_id", Integer, ForeignKey("policy_indicators.id", ondelete="CASCADE"),
           nullable=False),
    Column("economy", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("date", Date, nullable=True),
    Column("evidence_url", String(500), nullable=False),
    Column("notes", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    UniqueConstraint("indicator_id", "economy",
                     name="uq_policy_indicator_values_indicator_id_economy"),
)

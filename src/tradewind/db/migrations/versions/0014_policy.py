"""Policy: anonymised demand signals, their daily/monthly rollups, follow-up indicators.

Revision ID: 0014_policy
Revises: 0013_procedures
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_policy"
down_revision: str | None = "0013_procedures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def _key(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False)


def upgrade() -> None:
    op.create_table(
        "policy_events",
        sa.Column("id", _ID, nullable=False, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        _key("kind", 20), _key("outcome", 12), _key("hs", 6), _key("origin", 3),
        _key("destination", 3), _key("lang", 2), _key("user_type", 12), _key("topic", 60),
        _key("query_hash", 16),
        sa.Column("query_text", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_policy_events"),
    )
    op.create_index("ix_policy_events_day", "policy_events", ["day"])
    op.create_table(
        "policy_daily",
        _key("origin", 3), _key("sector", 5),
        sa.Column("day", sa.Date, nullable=False),
        _key("kind", 20), _key("outcome", 12),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("origin", "sector", "day", "kind", "outcome",
                                name="pk_policy_daily"),
    )
    op.create_table(
        "policy_cube",
        _key("origin", 3), _key("sector", 5), _key("dim", 8),
        sa.Column("month", sa.Date, nullable=False),
        _key("key1", 60), _key("key2", 20),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("origin", "sector", "dim", "month", "key1", "key2",
                                name="pk_policy_cube"),
    )
    op.create_table(
        "policy_queries",
        sa.Column("month", sa.Date, nullable=False),
        _key("query_hash", 16), _key("lang", 2), _key("query_text", 200),
        sa.Column("searches", sa.BigInteger, nullable=False),
        sa.Column("empty", sa.BigInteger, nullable=False),
        sa.Column("picks", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("month", "query_hash", "lang", name="pk_policy_queries"),
    )
    op.create_table(
        "policy_indicators",
        sa.Column("id", sa.Integer, nullable=False),
        _key("slug", 100),
        sa.Column("recommendation_id", sa.Integer,
                  sa.ForeignKey("wg_recommendations.id", ondelete="CASCADE",
                                name="fk_policy_indicators_recommendation_id_wg_recommendations"),
                  nullable=False),
        _key("title", 300), _key("title_fr", 300), _key("title_es", 300),
        _key("dashboard_view", 200),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _key("updated_by", 254),
        sa.PrimaryKeyConstraint("id", name="pk_policy_indicators"),
        sa.UniqueConstraint("slug", name="uq_policy_indicators_slug"),
    )
    op.create_index("ix_policy_indicators_recommendation_id", "policy_indicators",
                    ["recommendation_id"])
    op.create_table(
        "policy_indicator_values",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("indicator_id", sa.Integer,
                  sa.ForeignKey("policy_indicators.id", ondelete="CASCADE",
                                name="fk_policy_indicator_values_indicator_id_policy_indicators"),
                  nullable=False),
        _key("economy", 3), _key("status", 20),
        sa.Column("date", sa.Date, nullable=True),
        _key("evidence_url", 500),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _key("updated_by", 254),
        sa.PrimaryKeyConstraint("id", name="pk_policy_indicator_values"),
        sa.UniqueConstraint("indicator_id", "economy",
                            name="uq_policy_indicator_values_indicator_id_economy"),
    )


def downgrade() -> None:
    for table in ("policy_indicator_values", "policy_indicators", "policy_queries",
                  "policy_cube", "policy_daily", "policy_events"):
        op.drop_table(table)

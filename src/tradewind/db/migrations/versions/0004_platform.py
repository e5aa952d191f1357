"""Trade4MSMEs platform: accounts, audit, guides, library, glossary, network, champions, working group.

Revision ID: 0004_platform
Revises: 0003_finder
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_platform"
down_revision: str | None = "0003_finder"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column]:
    return [sa.Column("updated_at", TZ, nullable=False),
            sa.Column("updated_by", sa.String(254), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
    )
    op.create_index("ix_login_attempts_email_at", "login_attempts", ["email", "at"])
    op.create_index("ix_login_attempts_ip_at", "login_attempts", ["ip", "at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_key", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_key"])
    op.create_table(
        "guides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("audience", sa.String(20), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("tools", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        *_stamps(),
        sa.UniqueConstraint("slug", "lang", name="uq_guides_slug_lang"),
    )
    op.create_index("ix_guides_lang_audience", "guides", ["lang", "audience"])
    op.create_table(
        "library_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(150), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("year", sa.Integer, nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.Column("see_also", sa.JSON, nullable=False),
        sa.Column("aliases", sa.JSON, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "glossary_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("term_id", sa.Integer,
                  sa.ForeignKey("glossary_terms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("term", sa.String(200), nullable=False),
        sa.Column("definition", sa.Text, nullable=False),
        sa.UniqueConstraint("term_id", "lang", name="uq_glossary_translations_term_id_lang"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False, unique=True),
        sa.Column("acronym", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("website", sa.String(500), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("trade4msmes_partner", sa.Boolean, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True),
        *_stamps(),
    )
    op.create_table(
        "organisation_countries",
        sa.Column("organisation_id", sa.Integer,
                  sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("country", sa.String(5), primary_key=True),
    )
    op.create_index("ix_organisation_countries_country", "organisation_countries", ["country"])
    op.create_table(
        "organisation_services",
        sa.Column("organisation_id", sa.Integer,
                  sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("service", sa.String(60), primary_key=True),
    )
    op.create_index("ix_organisation_services_service", "organisation_services", ["service"])
    op.create_table(
        "champion_editions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("partners", sa.JSON, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "champion_winners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("champion_editions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
    )
    op.create_table(
        "wg_members",
        sa.Column("economy", sa.String(3), primary_key=True),
        sa.Column("joined", sa.Date, nullable=False),
    )
    op.create_table(
        "wg_recommendations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("adopted", sa.Date, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
    )
    op.create_table(
        "wg_tracker",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("recommendation_id", sa.Integer,
                  sa.ForeignKey("wg_recommendations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("evidence_url", sa.String(500), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        *_stamps(),
        sa.UniqueConstraint("economy", "recommendation_id",
                            name="uq_wg_tracker_economy_recommendation"),
    )
    op.create_table(
        "wg_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(150), nullable=False, unique=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start", TZ, nullable=False),
        sa.Column("end", TZ, nullable=True),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("online", sa.Boolean, nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        *_stamps(),
    )
    op.create_index("ix_wg_events_start", "wg_events", ["start"])
    # French and Spanish versions of library entries, champions, the package, events and
    # organisation descriptions (same pattern as glossary_translations).
    op.create_table(
        "library_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer,
                  sa.ForeignKey("library_entries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.UniqueConstraint("entry_id", "lang", name="uq_library_translations_entry_id_lang"),
    )
    op.create_table(
        "champion_edition_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("edition_id", sa.Integer,
                  sa.ForeignKey("champion_editions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.UniqueConstraint("edition_id", "lang",
                            name="uq_champion_edition_translations_edition_id_lang"),
    )
    op.create_table(
        "champion_winner_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("winner_id", sa.Integer,
                  sa.ForeignKey("champion_winners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.UniqueConstraint("winner_id", "lang",
                            name="uq_champion_winner_translations_winner_id_lang"),
    )
    op.create_table(
        "wg_recommendation_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("recommendation_id", sa.Integer,
                  sa.ForeignKey("wg_recommendations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.UniqueConstraint("recommendation_id", "lang",
                            name="uq_wg_recommendation_translations_recommendation_id_lang"),
    )
    op.create_table(
        "wg_event_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer,
                  sa.ForeignKey("wg_events.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("agenda", sa.Text, nullable=False),
        sa.UniqueConstraint("event_id", "lang", name="uq_wg_event_translations_event_id_lang"),
    )
    op.create_table(
        "organisation_translations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("organisation_id", sa.Integer,
                  sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.UniqueConstraint("organisation_id", "lang",
                            name="uq_organisation_translations_organisation_id_lang"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("sector", sa.String(200), nullable=False),
        sa.Column("obstacle", sa.Text, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("ip_hash", sa.String(64), nullable=False),
        sa.Column("moderated_by", sa.String(254), nullable=True),
        sa.Column("moderated_at", TZ, nullable=True),
    )
    op.create_index("ix_feedback_ip_hash_created_at", "feedback", ["ip_hash", "created_at"])
    op.create_index("ix_feedback_status", "feedback", ["status"])


def downgrade() -> None:
    for table in ("organisation_translations", "wg_event_translations",
                  "wg_recommendation_translations", "champion_winner_translations",
                  "champion_edition_translations", "library_translations",
                  "feedback", "wg_events", "wg_tracker", "wg_recommendations", "wg_members",
                  "champion_winners", "champion_editions", "organisation_services",
                  "organisation_countries", "organisations", "glossary_translations",
                  "glossary_terms", "library_entries", "guides", "audit_log",
                  "login_attempts", "users"):
        op.drop_table(table)

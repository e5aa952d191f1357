"""Guides (one row per language), library entries and glossary terms (+ translations)."""

from sqlalchemy import (
    JSON,
    Column,
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

guides = Table(
    "guides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(100), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("audience", String(20), nullable=False),  # business | policy
    Column("position", Integer, nullable=False),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("topics", JSON, nullable=False),
    Column("tools", JSON, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    UniqueConstraint("slug", "lang", name="uq_guides_slug_lang"),
    Index("ix_guides_lang_audience", "lang", "audience"),
    *soft_delete_columns(),
)

library_entries = Table(
    "library_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(150), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("organisation", String(100), nullable=False),
    Column("type", String(30), nullable=False),
    Column("topics", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("url", String(500), nullable=False),
    Column("year", Integer, nullable=True),
    Column("summary", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    *soft_delete_columns(),
)

glossary_terms = Table(
    "glossary_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(100), nullable=False, unique=True),
    Column("term", String(200), nullable=False),
    Column("definition", Text, nullable=False),
    Column("see_also", JSON, nullable=False),
    Column("aliases", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    *soft_delete_columns(),
)

glossary_translations = Table(
    "glossary_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("term_id", Integer, ForeignKey("glossary_terms.id", ondelete="CASCADE"),
           nullable=False),
    Column("lang", String(5), nullable=False),
    Column("term", String(200), nullable=False),
    Column("definition", Text, nullable=False),
    UniqueConstraint("term_id", "lang", name="uq_glossary_translations_term_id_lang"),
)

# French and Spanish versions of a library entry (English lives in library_entries).
library_translations = Table(
    "library_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("library_entries.id", ondelete="CASCADE"),
           nullable=False),
    Column("lang", String(5), nullable=False),
    Column("title", String(300), nullable=False),
    Column("summary", Text, nullable=False),
    UniqueConstraint("entry_id", "lang", name="uq_library_translations_entry_id_lang"),
)

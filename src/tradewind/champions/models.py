"""Small Business Champions editions and their winning projects."""

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tradewind.db import metadata
from tradewind.db.softdelete import soft_delete_columns

champion_editions = Table(
    "champion_editions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("theme", Text, nullable=False),
    Column("partners", JSON, nullable=False),
    Column("summary", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    *soft_delete_columns(),
)

champion_winners = Table(
    "champion_winners",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", Integer, ForeignKey("champion_editions.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(300), nullable=False),
    Column("country", String(3), nullable=False),
    Column("summary", Text, nullable=False),
)

# French and Spanish versions of an edition and of a winner's summary.
champion_edition_translations = Table(
    "champion_edition_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition_id", Integer, ForeignKey("champion_editions.id", ondelete="CASCADE"),
           nullable=False),
    Column("lang", String(5), nullable=False),
    Column("title", String(300), nullable=False),
    Column("theme", Text, nullable=False),
    Column("summary", Text, nullable=False),
    UniqueConstraint("edition_id", "lang",
                     name="uq_champion_edition_translations_edition_id_lang"),
)

champion_winner_translations = Table(
    "champion_winner_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("winner_id", Integer, ForeignKey("champion_winners.id", ondelete="CASCADE"),
           nullable=False),
    Column("lang", String(5), nullable=False),
    Column("summary", Text, nullable=False),
    UniqueConstraint("winner_id", "lang",
                     name="uq_champion_winner_translations_winner_id_lang"),
)

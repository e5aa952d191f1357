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
)

from tradewind.db import metadata

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

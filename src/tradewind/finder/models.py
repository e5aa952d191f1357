"""Finder tables: imported tariff "search references" (plain term → HS 2022 subheading).

The default install needs none of this; imported references only add extra synonyms,
each keeping the dataset it came from so results can show their provenance.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from tradewind.db import metadata

finder_references = Table(
    "finder_references",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("term", Text, nullable=False),
    Column("code", String(6), nullable=False),  # HS 2022 subheading
    Column("source_code", String(10), nullable=False),  # the code as found in the file
    Index("ix_finder_references_dataset_id", "dataset_id"),
    Index("ix_finder_references_code", "code"),
)

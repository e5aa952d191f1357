"""Provenance of every imported dataset: source, licence, edition and import time."""

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Table, Text

from tradewind.db import metadata

datasets = Table(
    "datasets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False, index=True),  # e.g. "nomenclature", "tariff"
    Column("name", String(200), nullable=False),
    Column("source", Text, nullable=False),
    Column("licence", String(200), nullable=False),
    Column("edition", String(100), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("row_count", Integer, nullable=False, default=0),
    Column("notes", Text, nullable=False, default=""),
)

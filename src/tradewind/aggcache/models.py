"""Cached aggregates shared by every instance: one row per (inputs, dataset version)."""

from sqlalchemy import Column, DateTime, LargeBinary, String, Table

from tradewind.db import metadata

aggregate_cache = Table(
    "aggregate_cache",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256 of kind, inputs and version
    Column("kind", String(40), nullable=False),  # "rank_markets", "product_market"…
    Column("version", String(64), nullable=False, index=True),  # dataset version it was made at
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

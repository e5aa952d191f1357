"""Shared rate-limit counters (one row per key and current window)."""

from sqlalchemy import Column, DateTime, Integer, String, Table

from tradewind.db import metadata

rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(200), primary_key=True),  # "feature:kind:value"
    Column("window_start", DateTime(timezone=True), nullable=False),
    Column("count", Integer, nullable=False),
)

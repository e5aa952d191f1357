"""The audit log: who changed what, when, with the record before and after."""

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table

from tradewind.db import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(20), nullable=False),  # create | update | delete | moderate
    Column("entity", String(40), nullable=False),
    Column("entity_key", String(200), nullable=False),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_entity", "entity", "entity_key"),
)

"""Organisations that help MSMEs trade, with the countries they serve and their services."""

from sqlalchemy import (
    JSON,
    Boolean,
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

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("acronym", String(50), nullable=False),
    Column("kind", String(60), nullable=False),
    Column("languages", JSON, nullable=False),
    Column("website", String(500), nullable=False),
    Column("email", String(254), nullable=False),
    Column("phone", String(60), nullable=False),
    Column("description", Text, nullable=False),
    Column("trade4msmes_partner", Boolean, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="SET NULL"), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(254), nullable=False),
    *soft_delete_columns(),
)

# One row per country served ("WORLD" for global reach) and per service: indexed filters.
organisation_countries = Table(
    "organisation_countries",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("country", String(5), primary_key=True),
    Index("ix_organisation_countries_country", "country"),
)

organisation_services = Table(
    "organisation_services",
    metadata,
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("service", String(60), primary_key=True),
    Index("ix_organisation_services_service", "service"),
)

# French and Spanish descriptions (CSV columns description_fr, description_es).
organisation_translations = Table(
    "organisation_translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisations.id", ondelete="CASCADE"),
           nullable=False),
    Column("lang", String(5), nullable=False),
    Column("description", Text, nullable=False),
    UniqueConstraint("organisation_id", "lang",
                     name="uq_organisation_translations_organisation_id_lang"),
)

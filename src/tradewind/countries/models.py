"""Economies known to Tradewind: ISO 3166 countries plus a few customs territories."""

from sqlalchemy import Column, String, Table

from tradewind.db import metadata

countries = Table(
    "countries",
    metadata,
    Column("iso3", String(3), primary_key=True),
    Column("iso2", String(2), nullable=False, unique=True),
    Column("numeric", String(3), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("official_name", String(200), nullable=False, default=""),
    Column("region", String(60), nullable=False, default=""),
)

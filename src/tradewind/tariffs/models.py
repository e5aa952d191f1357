"""Tariff tables: schedules, national lines, rates, additional duties, taxes, valuation basis.

Validity dates are first-class: every rate, duty and tax carries ``valid_from``/``valid_to``
(NULL = open at that end) and every query filters on an ``as_of`` date.  ``hs6`` and
``schedule_id`` are repeated on ``tariff_rates`` so that the market-access answer is one
indexed lookup by (schedule, hs6) instead of a join over the whole schedule.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
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

RATE_TYPES = ("mfn", "preferential", "additional", "quota_in", "quota_out")

tariff_schedules = Table(
    "tariff_schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    # importing economy: ISO3 ("USA") or a customs-union group code ("EUN")
    Column("economy", String(3), nullable=False),
    Column("name", String(200), nullable=False),
    Column("nomenclature", String(20), nullable=False),  # "HTS", "CN", "UKGT", "HS2022"…
    Column("hs_edition", String(10), nullable=False),  # edition the national lines map to
    Column("national_digits", SmallInteger, nullable=False),
    Column("currency", String(3), nullable=False),  # currency of specific duties
    Column("valuation_basis", String(3), nullable=False),  # "CIF" or "FOB"
    Column("source_format", String(20), nullable=False),  # us-hts, wits, uk-api, csv, sample
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Index("ix_tariff_schedules_economy", "economy"),
    Index("ix_tariff_schedules_dataset_id", "dataset_id"),
)

tariff_lines = Table(
    "tariff_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("schedule_id", Integer, ForeignKey("tariff_schedules.id", ondelete="CASCADE"),
           nullable=False),
    Column("national_code", String(14), nullable=False),
    Column("hs6", String(6), nullable=False),
    Column("description", Text, nullable=False),
    Column("unit", String(40), nullable=False),  # statistical unit(s), "" when unknown
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Index("ix_tariff_lines_schedule_hs6", "schedule_id", "hs6"),
    Index("ix_tariff_lines_schedule_code", "schedule_id", "national_code"),
)

tariff_rates = Table(
    "tariff_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("line_id", Integer, ForeignKey("tariff_lines.id", ondelete="CASCADE"),
           nullable=False),
    Column("schedule_id", Integer, ForeignKey("tariff_schedules.id", ondelete="CASCADE"),
           nullable=False),
    Column("hs6", String(6), nullable=False),
    Column("rate_type", String(12), nullable=False),  # one of RATE_TYPES
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="SET NULL"),
           nullable=True),
    Column("scheme", String(120), nullable=False),  # "" for MFN; "GSP", "USMCA", "EU-KEN EPA"…
    Column("origin", String(3), nullable=True),  # ISO3 or group code; NULL = every origin
    Column("duty_text", Text, nullable=False),  # verbatim, as in the source
    Column("duty_json", JSON, nullable=True),  # tradewind.tariffs.duty structure
    Column("parse_ok", Boolean, nullable=False),
    Column("ad_valorem", Float, nullable=True),  # percent, only when purely ad valorem
    Column("quota_volume", Float, nullable=True),
    Column("quota_unit", String(20), nullable=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Index("ix_tariff_rates_lookup", "schedule_id", "hs6", "rate_type"),
    Index("ix_tariff_rates_line_id", "line_id"),
    Index("ix_tariff_rates_agreement_id", "agreement_id"),
)

# Origin-dependent measures such as US Chapter 99 (sections 201/232/301, IEEPA).
additional_duties = Table(
    "additional_duties",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("economy", String(3), nullable=False),
    Column("heading", String(20), nullable=False),  # e.g. "9903.88.15"
    Column("authority", String(40), nullable=False),  # section_301, section_232, ieepa, other
    Column("description", Text, nullable=False),
    Column("duty_text", Text, nullable=False),
    Column("duty_json", JSON, nullable=True),
    Column("parse_ok", Boolean, nullable=False),
    # "all" (every origin), "only" (origins listed), "all_except" (every origin but those listed)
    Column("origin_mode", String(12), nullable=False),
    # "all" (every product) or "listed" (additional_duty_products)
    Column("product_scope", String(8), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("dataset_id", "heading", name="uq_additional_duties_dataset_heading"),
    Index("ix_additional_duties_economy", "economy"),
)

additional_duty_origins = Table(
    "additional_duty_origins",
    metadata,
    Column("duty_id", Integer, ForeignKey("additional_duties.id", ondelete="CASCADE"),
           primary_key=True),
    Column("origin", String(3), primary_key=True),  # ISO3 or group code
)

additional_duty_products = Table(
    "additional_duty_products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("duty_id", Integer, ForeignKey("additional_duties.id", ondelete="CASCADE"),
           nullable=False),
    Column("product_code", String(14), nullable=False),  # national code or prefix (HTS8…)
    Column("hs6", String(6), nullable=False),
    Index("ix_additional_duty_products_hs6", "hs6", "duty_id"),
    Index("ix_additional_duty_products_duty_id", "duty_id"),
)

domestic_taxes = Table(
    "domestic_taxes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("economy", String(3), nullable=False),
    Column("kind", String(12), nullable=False),  # VAT, GST, excise, sales, other
    Column("name", String(120), nullable=False),
    Column("rate_text", Text, nullable=False),  # verbatim ("20%", "€ 1.20/l")
    Column("duty_json", JSON, nullable=True),
    Column("parse_ok", Boolean, nullable=False),
    Column("hs_prefix", String(10), nullable=True),  # NULL = every product
    Column("base", Text, nullable=False),  # what the rate applies to, in words
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Index("ix_domestic_taxes_economy", "economy"),
)

valuation_bases = Table(
    "valuation_bases",
    metadata,
    Column("economy", String(3), primary_key=True),
    Column("basis", String(3), nullable=False),  # CIF or FOB
    Column("note", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
)

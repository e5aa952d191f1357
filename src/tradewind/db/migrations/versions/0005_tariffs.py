"""Tariffs, agreements, currency rates.

Revision ID: 0005_tariffs
Revises: 0004_platform
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_tariffs"
down_revision: str | None = "0004_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # --- agreements ---------------------------------------------------------------------
    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("type", sa.String(60), nullable=False),
        sa.Column("status", sa.String(60), nullable=False),
        sa.Column("coverage", sa.String(40), nullable=False),
        sa.Column("signed_date", sa.Date, nullable=True),
        sa.Column("entry_into_force", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("wto_notified", sa.Boolean, nullable=False),
        sa.Column("legal_text_url", sa.Text, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("ix_agreements_dataset_id", "agreements", ["dataset_id"])
    op.create_table(
        "agreement_parties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agreement_id", sa.Integer,
                  sa.ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("entry_date", sa.Date, nullable=True),
        sa.Column("exit_date", sa.Date, nullable=True),
    )
    op.create_index("ix_agreement_parties_party", "agreement_parties", ["party"])
    op.create_index("ix_agreement_parties_agreement_id", "agreement_parties", ["agreement_id"])
    op.create_table(
        "economy_groups",
        sa.Column("code", sa.String(3), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("customs_union", sa.Boolean, nullable=False),
    )
    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("group_code", sa.String(3),
                  sa.ForeignKey("economy_groups.code", ondelete="CASCADE"), nullable=False),
        sa.Column("member", sa.String(3), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
    )
    op.create_index("ix_group_members_member", "group_members", ["member"])
    op.create_index("ix_group_members_group_code", "group_members", ["group_code"])
    op.create_table(
        "wto_members",
        sa.Column("economy", sa.String(3), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("accession_date", sa.Date, nullable=False),
    )
    op.create_table(
        "origin_rules",
        sa.Column("agreement_id", sa.Integer,
                  sa.ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("general_rule", sa.Text, nullable=False),
        sa.Column("cumulation", sa.Text, nullable=False),
        sa.Column("proof_of_origin", sa.Text, nullable=False),
        sa.Column("legal_text_url", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_table(
        "product_specific_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agreement_id", sa.Integer,
                  sa.ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hs_code", sa.String(10), nullable=False),
        sa.Column("rule_text", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    )
    op.create_index("ix_product_specific_rules_agreement_code", "product_specific_rules",
                    ["agreement_id", "hs_code"])

    # --- tariffs ------------------------------------------------------------------------
    op.create_table(
        "tariff_schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("nomenclature", sa.String(20), nullable=False),
        sa.Column("hs_edition", sa.String(10), nullable=False),
        sa.Column("national_digits", sa.SmallInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("valuation_basis", sa.String(3), nullable=False),
        sa.Column("source_format", sa.String(20), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_tariff_schedules_economy", "tariff_schedules", ["economy"])
    op.create_index("ix_tariff_schedules_dataset_id", "tariff_schedules", ["dataset_id"])
    op.create_table(
        "tariff_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("schedule_id", sa.Integer,
                  sa.ForeignKey("tariff_schedules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("national_code", sa.String(14), nullable=False),
        sa.Column("hs6", sa.String(6), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
    )
    op.create_index("ix_tariff_lines_schedule_hs6", "tariff_lines", ["schedule_id", "hs6"])
    op.create_index("ix_tariff_lines_schedule_code", "tariff_lines",
                    ["schedule_id", "national_code"])
    op.create_table(
        "tariff_rates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("line_id", sa.Integer,
                  sa.ForeignKey("tariff_lines.id", ondelete="CASCADE"), nullable=False),
        sa.Column("schedule_id", sa.Integer,
                  sa.ForeignKey("tariff_schedules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("hs6", sa.String(6), nullable=False),
        sa.Column("rate_type", sa.String(12), nullable=False),
        sa.Column("agreement_id", sa.Integer,
                  sa.ForeignKey("agreements.id", ondelete="SET NULL"), nullable=True),
        sa.Column("scheme", sa.String(120), nullable=False),
        sa.Column("origin", sa.String(3), nullable=True),
        sa.Column("duty_text", sa.Text, nullable=False),
        sa.Column("duty_json", sa.JSON, nullable=True),
        sa.Column("parse_ok", sa.Boolean, nullable=False),
        sa.Column("ad_valorem", sa.Float, nullable=True),
        sa.Column("quota_volume", sa.Float, nullable=True),
        sa.Column("quota_unit", sa.String(20), nullable=True),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
    )
    op.create_index("ix_tariff_rates_lookup", "tariff_rates", ["schedule_id", "hs6", "rate_type"])
    op.create_index("ix_tariff_rates_line_id", "tariff_rates", ["line_id"])
    op.create_index("ix_tariff_rates_agreement_id", "tariff_rates", ["agreement_id"])
    op.create_table(
        "additional_duties",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("heading", sa.String(20), nullable=False),
        sa.Column("authority", sa.String(40), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("duty_text", sa.Text, nullable=False),
        sa.Column("duty_json", sa.JSON, nullable=True),
        sa.Column("parse_ok", sa.Boolean, nullable=False),
        sa.Column("origin_mode", sa.String(12), nullable=False),
        sa.Column("product_scope", sa.String(8), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
        sa.UniqueConstraint("dataset_id", "heading", name="uq_additional_duties_dataset_heading"),
    )
    op.create_index("ix_additional_duties_economy", "additional_duties", ["economy"])
    op.create_table(
        "additional_duty_origins",
        sa.Column("duty_id", sa.Integer,
                  sa.ForeignKey("additional_duties.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("origin", sa.String(3), primary_key=True),
    )
    op.create_table(
        "additional_duty_products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("duty_id", sa.Integer,
                  sa.ForeignKey("additional_duties.id", ondelete="CASCADE"), nullable=False),
        sa.Column("product_code", sa.String(14), nullable=False),
        sa.Column("hs6", sa.String(6), nullable=False),
    )
    op.create_index("ix_additional_duty_products_hs6", "additional_duty_products",
                    ["hs6", "duty_id"])
    op.create_index("ix_additional_duty_products_duty_id", "additional_duty_products",
                    ["duty_id"])
    op.create_table(
        "domestic_taxes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("economy", sa.String(3), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("rate_text", sa.Text, nullable=False),
        sa.Column("duty_json", sa.JSON, nullable=True),
        sa.Column("parse_ok", sa.Boolean, nullable=False),
        sa.Column("hs_prefix", sa.String(10), nullable=True),
        sa.Column("base", sa.Text, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_domestic_taxes_economy", "domestic_taxes", ["economy"])
    op.create_table(
        "valuation_bases",
        sa.Column("economy", sa.String(3), primary_key=True),
        sa.Column("basis", sa.String(3), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    )

    # --- currency rates (owned by the fx feature) -------------------------------------------
    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("base", sa.String(3), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("rate", sa.Float, nullable=False),
        sa.Column("rate_date", sa.Date, nullable=False),
        sa.Column("dataset_id", sa.Integer,
                  sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_fx_rates_lookup", "fx_rates", ["base", "currency", "rate_date"])
    op.create_index("ix_fx_rates_dataset_id", "fx_rates", ["dataset_id"])


def downgrade() -> None:
    for table in ("fx_rates", "valuation_bases", "domestic_taxes", "additional_duty_products",
                  "additional_duty_origins", "additional_duties", "tariff_rates", "tariff_lines",
                  "tariff_schedules", "product_specific_rules", "origin_rules", "wto_members",
                  "group_members", "economy_groups", "agreement_parties", "agreements"):
        op.drop_table(table)

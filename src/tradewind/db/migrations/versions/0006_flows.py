"""Trade flows and economic indicators.

Revision ID: 0006_flows
Revises: 0005_tariffs
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_flows"
down_revision: str | None = "0005_tariffs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _dataset_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("dataset_id", sa.Integer,
                     sa.ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "economies",
        sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("iso3", sa.String(3), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.UniqueConstraint("iso3", name="uq_economies_iso3"),
    )
    op.create_table(
        "flow_years",
        sa.Column("year", sa.SmallInteger, primary_key=True, autoincrement=False),
        _dataset_fk(),
        sa.Column("source_edition", sa.String(10), nullable=False),
        sa.Column("quantity_unit", sa.String(10), nullable=False),
        sa.Column("row_count", sa.BigInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_flow_years_dataset_id", "flow_years", ["dataset_id"])
    op.create_table(
        "trade_flows",
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("importer", sa.SmallInteger, nullable=False),
        sa.Column("exporter", sa.SmallInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("year", "hs6", "importer", "exporter", name="pk_trade_flows"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_trade_flows_year_hs6_exporter", "trade_flows",
                    ["year", "hs6", "exporter"])
    op.create_table(
        "flow_imports",
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("importer", sa.SmallInteger, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=True),
        sa.Column("suppliers", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("hs6", "importer", "year", name="pk_flow_imports"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_flow_imports_importer_year", "flow_imports", ["importer", "year"])
    op.create_table(
        "flow_exports",
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("exporter", sa.SmallInteger, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=True),
        sa.Column("markets", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("hs6", "exporter", "year", name="pk_flow_exports"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_flow_exports_exporter_year", "flow_exports", ["exporter", "year"])
    op.create_table(
        "flow_world",
        sa.Column("hs6", sa.Integer, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
        sa.Column("quantity", sa.BigInteger, nullable=True),
        sa.Column("exporters", sa.SmallInteger, nullable=False),
        sa.Column("importers", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("hs6", "year", name="pk_flow_world"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "flow_economy_totals",
        sa.Column("economy", sa.SmallInteger, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("exports_usd", sa.BigInteger, nullable=False),
        sa.Column("imports_usd", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("economy", "year", name="pk_flow_economy_totals"),
    )
    op.create_table(
        "indicators",
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("iso3", sa.String(3), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        _dataset_fk(),
        sa.PrimaryKeyConstraint("indicator", "iso3", "year", name="pk_indicators"),
    )
    op.create_index("ix_indicators_dataset_id", "indicators", ["dataset_id"])
    op.create_table(
        "indicator_aggregates",
        sa.Column("indicator", sa.String(40), nullable=False),
        sa.Column("code", sa.String(3), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        _dataset_fk(),
        sa.PrimaryKeyConstraint("indicator", "code", "year", name="pk_indicator_aggregates"),
    )
    op.create_index("ix_indicator_aggregates_dataset_id", "indicator_aggregates",
                    ["dataset_id"])
    op.create_table(
        "country_pairs",
        sa.Column("origin", sa.String(3), nullable=False),
        sa.Column("destination", sa.String(3), nullable=False),
        sa.Column("distance_km", sa.Float, nullable=False),
        sa.Column("contiguous", sa.Boolean, nullable=False),
        sa.Column("common_official_language", sa.Boolean, nullable=False),
        sa.Column("common_language", sa.Boolean, nullable=False),
        sa.Column("colonial_link", sa.Boolean, nullable=False),
        sa.Column("common_colonizer", sa.Boolean, nullable=False),
        _dataset_fk(),
        sa.PrimaryKeyConstraint("origin", "destination", name="pk_country_pairs"),
    )
    op.create_index("ix_country_pairs_dataset_id", "country_pairs", ["dataset_id"])
    op.create_table(
        "flow_import_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        _dataset_fk(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("rows", sa.BigInteger, nullable=False),
        sa.Column("value_usd", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_flow_import_notes_dataset_id", "flow_import_notes", ["dataset_id"])


def downgrade() -> None:
    for table in ("flow_import_notes", "country_pairs", "indicator_aggregates", "indicators",
                  "flow_economy_totals", "flow_world", "flow_exports", "flow_imports",
                  "trade_flows", "flow_years", "economies"):
        op.drop_table(table)

"""Helpers shared by the tariff, agreement and importer tests."""

from __future__ import annotations

from sqlalchemy import func, select

from tradewind.agreements import models as agreement_models
from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.tariffs import models as tariff_models

TABLES = [
    datasets,
    tariff_models.tariff_schedules, tariff_models.tariff_lines, tariff_models.tariff_rates,
    tariff_models.additional_duties, tariff_models.additional_duty_origins,
    tariff_models.additional_duty_products, tariff_models.domestic_taxes,
    tariff_models.valuation_bases,
    agreement_models.agreements, agreement_models.agreement_parties,
    agreement_models.origin_rules, agreement_models.product_specific_rules,
]


def table_counts(db: Database) -> dict[str, int]:
    """Row counts of every tariff/agreement table (to prove a failed import changed nothing)."""
    with db.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in TABLES}


def load_reference(db: Database) -> None:
    """Economy groups and WTO members, as ``tradewind init`` loads them."""
    from tradewind.agreements.init import load_groups, load_wto_members

    with db.transaction() as conn:
        load_groups(conn)
        load_wto_members(conn)

"""Named reads of economic indicators (GDP, population) for statistics and the market finder."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from tradewind.flows.models import indicator_aggregates, indicators

GDP = "NY.GDP.MKTP.CD"
POPULATION = "SP.POP.TOTL"


def series(conn: Connection, indicator: str, iso3: str) -> list[tuple[int, float]]:
    """(year, value) of one economy, oldest first."""
    rows = conn.execute(select(indicators.c.year, indicators.c.value).where(
        indicators.c.indicator == indicator, indicators.c.iso3 == iso3.upper())
        .order_by(indicators.c.year))
    return [(int(y), float(v)) for y, v in rows]


def latest_values(conn: Connection, indicator: str,
                  up_to: int | None = None) -> dict[str, tuple[int, float]]:
    """Each economy's most recent value (at or before ``up_to``): iso3 → (year, value)."""
    c = indicators.c
    latest = select(c.iso3, func.max(c.year).label("year")).where(c.indicator == indicator)
    if up_to is not None:
        latest = latest.where(c.year <= up_to)
    sub = latest.group_by(c.iso3).subquery()
    rows = conn.execute(select(c.iso3, c.year, c.value).join(
        sub, (sub.c.iso3 == c.iso3) & (sub.c.year == c.year)).where(c.indicator == indicator))
    return {iso3: (int(year), float(value)) for iso3, year, value in rows}


def aggregate_value(conn: Connection, indicator: str, code: str, year: int) -> float | None:
    """An aggregate's value (e.g. "WLD" World), or None when not loaded."""
    value = conn.execute(select(indicator_aggregates.c.value).where(
        indicator_aggregates.c.indicator == indicator, indicator_aggregates.c.code == code,
        indicator_aggregates.c.year == year)).scalar()
    return None if value is None else float(value)

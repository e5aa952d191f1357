"""Bulk writers for schedules, lines and rates: every importer (and the SAMPLE loader) uses these.

They run inside the caller's transaction (``db.transaction()``), insert in batches with
``executemany`` and parse each distinct duty text once.

Typical use::

    with db.transaction() as conn:
        ds = record_dataset(conn, kind="tariff", ...)
        sid = create_schedule(conn, economy="KEN", name="…", nomenclature="EAC CET",
                              national_digits=8, currency="KES", source_format="csv",
                              dataset_id=ds)
        ids = write_lines(conn, sid, [LineIn("01012100", "010121", "Pure-bred horses")])
        write_rates(conn, sid, ids, [RateIn("01012100", "mfn", "Free")], currency="KES")
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import JSON, Connection, insert, select

from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.tariffs.duty import Duty, parse_duty
from tradewind.tariffs.models import RATE_TYPES, tariff_lines, tariff_rates, tariff_schedules

BATCH = 5000
T = TypeVar("T")


@dataclass(frozen=True)
class LineIn:
    national_code: str
    hs6: str
    description: str
    unit: str = ""
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class RateIn:
    national_code: str
    rate_type: str  # mfn | preferential | additional | quota_in | quota_out
    duty_text: str
    scheme: str = ""
    origin: str | None = None
    agreement_id: int | None = None
    quota_volume: float | None = None
    quota_unit: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


def batched(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@lru_cache(maxsize=20000)
def cached_duty(text: str, currency: str) -> Duty:
    """Parse once per distinct (text, currency): schedules repeat the same rates many times."""
    return parse_duty(text, currency)


def duty_columns(text: str, currency: str) -> dict[str, Any]:
    """``duty_text``/``duty_json``/``parse_ok``/``ad_valorem`` values for a row."""
    duty = cached_duty(text, currency)
    pct = duty.ad_valorem_percent
    return {"duty_text": text, "duty_json": duty.to_json(), "parse_ok": duty.parse_ok,
            "ad_valorem": float(pct) if pct is not None else None}


def create_schedule(conn: Connection, *, economy: str, name: str, nomenclature: str,
                    national_digits: int, currency: str, source_format: str, dataset_id: int,
                    hs_edition: str = "HS2022", valuation_basis: str | None = None,
                    valid_from: date | None = None, valid_to: date | None = None) -> int:
    """Insert a schedule; ``valuation_basis`` defaults to the economy's documented basis."""
    if valuation_basis is None:
        from tradewind.tariffs.queries import FOB_ECONOMIES

        valuation_basis = "FOB" if economy in FOB_ECONOMIES else "CIF"
    result = conn.execute(insert(tariff_schedules).values(
        economy=economy, name=name, nomenclature=nomenclature, hs_edition=hs_edition,
        national_digits=national_digits, currency=currency, valuation_basis=valuation_basis,
        source_format=source_format, valid_from=valid_from, valid_to=valid_to,
        dataset_id=dataset_id))
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def write_lines(conn: Connection, schedule_id: int, lines: Iterable[LineIn]) -> dict[str, int]:
    """Insert lines; returns national code → line id (the latest line when a code repeats)."""
    insert_rows(conn, tariff_lines, [
        {"schedule_id": schedule_id, "national_code": line.national_code, "hs6": line.hs6,
         "description": line.description, "unit": line.unit,
         "valid_from": line.valid_from, "valid_to": line.valid_to} for line in lines])
    rows = conn.execute(select(tariff_lines.c.national_code, tariff_lines.c.id, tariff_lines.c.hs6)
                        .where(tariff_lines.c.schedule_id == schedule_id)
                        .order_by(tariff_lines.c.id))
    return {code: line_id for code, line_id, _hs6 in rows}


def write_rates(conn: Connection, schedule_id: int, line_ids: dict[str, int],
                rates: Iterable[RateIn], *, currency: str = "USD",
                source: str = "rates") -> int:
    """Insert rates for lines written by :func:`write_lines`; returns the number written."""
    hs6_of = dict(conn.execute(select(tariff_lines.c.id, tariff_lines.c.hs6)
                               .where(tariff_lines.c.schedule_id == schedule_id)).all())
    count = 0
    for batch in batched(rates):
        rows: list[dict[str, Any]] = []
        for rate in batch:
            if rate.rate_type not in RATE_TYPES:
                raise ImportFailed(N_("unknown rate type %(rate_type)r for line "
                                   "%(national_code)s"), file=source, rate_type=rate.rate_type, national_code=rate.national_code)
            line_id = line_ids.get(rate.national_code)
            if line_id is None:
                raise ImportFailed(N_("rate for unknown line %(national_code)s"), file=source, national_code=rate.national_code)
            rows.append({
                "line_id": line_id, "schedule_id": schedule_id, "hs6": hs6_of[line_id],
                "rate_type": rate.rate_type, "agreement_id": rate.agreement_id,
                "scheme": rate.scheme, "origin": rate.origin,
                "quota_volume": rate.quota_volume, "quota_unit": rate.quota_unit,
                "valid_from": rate.valid_from, "valid_to": rate.valid_to,
                **duty_columns(rate.duty_text, currency)})
        insert_rows(conn, tariff_rates, rows)
        count += len(rows)
    return count


def insert_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert plain dicts fast: ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere.

    Runs in the caller's transaction either way.  Columns missing from a row get NULL.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, rows)
        return
    for batch in batched(rows):
        conn.execute(insert(table), batch)


def _copy_rows(conn: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    columns = [c.name for c in table.columns if c.name in rows[0]]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    driver = conn.connection.driver_connection
    assert driver is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with driver.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(tuple(
                json.dumps(row.get(c)) if c in json_columns and row.get(c) is not None
                else row.get(c) for c in columns))

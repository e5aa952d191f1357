"""Importer for the Tradewind tariff CSV template (docs/tariff-template.md).

Any customs administration or chamber can fill two plain CSV files for its own schedule:

* schedule (``src/tradewind/tariffs/template.csv``): ``economy, national_code, hs6,
  description, unit, rate_type, origin, agreement, duty, valid_from, valid_to,
  quota_volume, quota_unit`` — one row per rate; a national line with an MFN rate and two
  preferences takes three rows.
* taxes (``src/tradewind/tariffs/taxes_template.csv``): ``economy, kind, name, rate,
  hs_prefix, base, valid_from, valid_to`` — VAT/GST, excise and other internal taxes.

Everything is validated before anything is written; a re-import replaces the previous
template import for the same economies.  Duty text that Tradewind cannot parse is kept
verbatim and flagged (reported in the result), never treated as zero.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select

from tradewind.agreements.economies import economy_code
from tradewind.agreements.models import agreements
from tradewind.changes.events import ChangeEvent, record
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput, Phrase
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import hs_codes
from tradewind.tariffs.csvfile import CsvFile, parse_date, parse_decimal
from tradewind.tariffs.models import (
    RATE_TYPES,
    domestic_taxes,
    tariff_lines,
    tariff_rates,
    tariff_schedules,
    valuation_bases,
)
from tradewind.tariffs.store import (
    LineIn,
    RateIn,
    cached_duty,
    create_schedule,
    duty_columns,
    insert_rows,
    write_lines,
    write_rates,
)

SOURCE_FORMAT = "csv"
SCHEDULE_COLUMNS = ("economy", "national_code", "hs6", "description", "unit", "rate_type",
                    "origin", "agreement", "duty", "valid_from", "valid_to", "quota_volume",
                    "quota_unit")
SCHEDULE_REQUIRED = ("economy", "national_code", "hs6", "description", "rate_type", "duty")
TAX_COLUMNS = ("economy", "kind", "name", "rate", "hs_prefix", "base", "valid_from",
               "valid_to")
TAX_REQUIRED = ("economy", "kind", "rate")
TAX_KINDS = {"vat": "VAT", "gst": "GST", "excise": "excise", "sales": "sales",
             "other": "other"}


@dataclass
class TariffCsvImport:
    dataset_id: int
    schedules: int
    lines: int
    rates: int
    unparsed: list[tuple[int, str]] = field(default_factory=list)  # (line, duty text)


@dataclass
class TaxCsvImport:
    dataset_id: int
    taxes: int
    unparsed: list[tuple[int, str]] = field(default_factory=list)


def _economy(text: str, src: CsvFile, line: int, column: str) -> str:
    try:
        return economy_code(text)
    except InvalidInput:
        raise src.fail(N_("unknown economy %(text)r (use ISO3 codes such as KEN, or EUN)"),
                       line, column, text=text) from None


def _dates(row: dict[str, str], src: CsvFile, line: int) -> tuple[date | None, date | None]:
    start = parse_date(row.get("valid_from", ""), file=src.name, line=line, field="valid_from")
    end = parse_date(row.get("valid_to", ""), file=src.name, line=line, field="valid_to")
    if start and end and end < start:
        raise src.fail(N_("valid_to %(end)s is before valid_from %(start)s"), line, "valid_to", end=end, start=start)
    return start, end


def _agreement_id(conn: Connection, text: str) -> int | None:
    row = conn.execute(select(agreements.c.id).where(agreements.c.code == text)).first()
    if row is None:
        row = conn.execute(select(agreements.c.id).where(
            func.lower(agreements.c.name) == text.lower()).order_by(agreements.c.id)).first()
    return int(row[0]) if row else None


def _read_schedule(conn: Connection, path: Path) -> list[dict[str, Any]]:
    src = CsvFile(path, SCHEDULE_REQUIRED)
    check_hs = bool(conn.execute(select(func.count()).select_from(hs_codes).where(
        hs_codes.c.edition == "HS2022")).scalar_one())
    known_hs6: set[str] = set()
    if check_hs:
        known_hs6 = {r[0] for r in conn.execute(select(hs_codes.c.code).where(
            hs_codes.c.edition == "HS2022", hs_codes.c.level == 6))}
    rows = []
    line_hs6: dict[tuple[str, str], tuple[str, int]] = {}
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in src:
        economy = _economy(row["economy"], src, line, "economy")
        code = re.sub(r"[.\s]", "", row["national_code"])
        if not re.fullmatch(r"\d{6,14}", code):
            raise src.fail(N_("national code %(national_code)r must be 6 to 14 digits"),
                           line, "national_code", national_code=row['national_code'])
        hs6 = re.sub(r"[.\s]", "", row["hs6"])
        if not re.fullmatch(r"\d{6}", hs6):
            raise src.fail(N_("hs6 %(hs6)r is not a 6-digit code"), line, "hs6", hs6=row['hs6'])
        if not code.startswith(hs6):
            raise src.fail(N_("national code %(code_text)s does not start with its hs6 %(hs6)s"), line,
                           "national_code", code_text=code, hs6=hs6)
        if check_hs and hs6 not in known_hs6:
            raise src.fail(N_("%(hs6)s is not an HS 2022 subheading"), line, "hs6", hs6=hs6)
        previous = line_hs6.get((economy, code))
        if previous is not None and previous[0] != hs6:
            raise src.fail(N_("national code %(code_text)s has hs6 %(previous)s on line %(previous_line)s"),
                           line, "hs6", code_text=code, previous=previous[0], previous_line=previous[1])
        line_hs6.setdefault((economy, code), (hs6, line))
        rate_type = row["rate_type"].strip().lower()
        if rate_type not in RATE_TYPES:
            raise src.fail(N_("unknown rate_type %(rate_type)r (expected %(expected)s)"), line,
                           "rate_type", rate_type=row["rate_type"], expected=", ".join(RATE_TYPES))
        if not row["duty"].strip():
            raise src.fail(N_("duty text missing (write Free for no duty)"), line, "duty")
        origins: list[str | None] = [
            _economy(o, src, line, "origin") for o in re.split(r"[;|]", row.get("origin", ""))
            if o.strip()] or [None]
        for column, limit in (("agreement", 120), ("unit", 40), ("quota_unit", 20)):
            if len(row.get(column, "")) > limit:
                raise src.fail(N_("%(column)s is longer than %(limit)s characters"), line, column, column=column, limit=limit)
        agreement_text = row.get("agreement", "").strip()
        agreement_id = _agreement_id(conn, agreement_text) if agreement_text else None
        if rate_type == "preferential" and origins == [None] and agreement_id is None:
            if agreement_text:
                raise src.fail(N_("a preferential rate needs an origin or an imported agreement "
                                  "(agreement %(agreement)r is not known)"), line, "origin",
                               agreement=agreement_text)
            raise src.fail(N_("a preferential rate needs an origin or an agreement"), line,
                           "origin")
        start, end = _dates(row, src, line)
        volume = parse_decimal(row.get("quota_volume", ""), file=src.name, line=line,
                               field="quota_volume")
        if volume is not None and volume < 0:
            raise src.fail(N_("negative quota volume"), line, "quota_volume")
        if rate_type.startswith("quota") and volume is None:
            raise src.fail(N_("a quota rate needs quota_volume"), line, "quota_volume")
        for origin in origins:
            key = (economy, code, rate_type, origin, agreement_text, start)
            if key in seen:
                raise src.fail(N_("duplicate rate (same line, type, origin, agreement and "
                               "valid_from as line %(first_line)s)"), line, first_line=seen[key])
            seen[key] = line
            rows.append({"line": line, "economy": economy, "code": code, "hs6": hs6,
                         "description": row["description"], "unit": row.get("unit", ""),
                         "rate_type": rate_type, "origin": origin,
                         "agreement": agreement_text, "agreement_id": agreement_id,
                         "duty": row["duty"], "valid_from": start, "valid_to": end,
                         "quota_volume": float(volume) if volume is not None else None,
                         "quota_unit": row.get("quota_unit", "") or None})
    if not rows:
        raise ImportFailed(N_("no rates in the file"), file=src.name, line=1)
    return rows


def _replace(conn: Connection, economies: set[str]) -> None:
    old = [r[0] for r in conn.execute(select(tariff_schedules.c.dataset_id).where(
        tariff_schedules.c.economy.in_(economies),
        tariff_schedules.c.source_format == SOURCE_FORMAT))]
    if old:
        conn.execute(delete(tariff_schedules).where(
            tariff_schedules.c.dataset_id.in_(old), tariff_schedules.c.economy.in_(economies)))
        for dataset_id in set(old):
            if conn.execute(select(tariff_schedules.c.id).where(
                    tariff_schedules.c.dataset_id == dataset_id)).first() is None:
                conn.execute(delete(datasets).where(datasets.c.id == dataset_id))


def _mfn_rates(conn: Connection, economies: set[str]) -> dict[tuple[Any, ...], str]:
    """(economy, national code, valid_from) → MFN duty text of the previous template import."""
    query = (select(tariff_schedules.c.economy, tariff_lines.c.national_code,
                    tariff_rates.c.valid_from, tariff_rates.c.duty_text)
             .join(tariff_rates, tariff_rates.c.schedule_id == tariff_schedules.c.id)
             .join(tariff_lines, tariff_lines.c.id == tariff_rates.c.line_id)
             .where(tariff_schedules.c.economy.in_(economies),
                    tariff_schedules.c.source_format == SOURCE_FORMAT,
                    tariff_rates.c.rate_type == "mfn"))
    return {(e, code, start): text for e, code, start, text in conn.execute(query)}


def _mfn_changes(previous: dict[tuple[Any, ...], str], rows: list[dict[str, Any]],
                 dataset_id: int) -> list[ChangeEvent]:
    """A ``tariff.mfn`` event for every MFN rate that is new or differs from the previous one."""
    events = []
    for r in rows:
        if r["rate_type"] != "mfn":
            continue
        old = previous.get((r["economy"], r["code"], r["valid_from"]))
        if old is not None and old.strip() == r["duty"].strip():
            continue
        events.append(ChangeEvent(
            "tariff.mfn", f"MFN duty on {r['code']} in {r['economy']}: "
            + (f"{old} → {r['duty']}" if old is not None else f"{r['duty']} (new line)"),
            market=r["economy"], hs_code=r["code"], effective_date=r["valid_from"],
            reference=f"{r['economy']}:{r['code']}", old_value=old, new_value=r["duty"],
            dataset_id=dataset_id))
    return events


def import_tariff_csv(db: Database, path: Path, *, currency: str = "USD",
                      source: str = "", licence: str = "", edition: str = "",
                      nomenclature: str = "national", valuation_basis: str | None = None
                      ) -> TariffCsvImport:
    """Import a schedule filled in the Tradewind template (one schedule per economy)."""
    path = Path(path)
    if valuation_basis is not None and valuation_basis not in ("CIF", "FOB"):
        raise ImportFailed(N_("valuation basis must be CIF or FOB, not %(valuation_basis)r"), valuation_basis=valuation_basis)
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ImportFailed(N_("currency must be an ISO 4217 code such as KES, not %(currency)r"), currency=currency)
    with db.transaction() as conn:
        rows = _read_schedule(conn, path)
        economies = {r["economy"] for r in rows}
        previous_mfn = _mfn_rates(conn, economies)
        _replace(conn, economies)
        dataset_id = record_dataset(
            conn, kind="tariff", name=f"Tariff schedule ({', '.join(sorted(economies))})",
            source=source or f"Tradewind tariff template {path.name}",
            licence=licence or "as stated by the publisher", edition=edition or path.stem)
        record(conn, _mfn_changes(previous_mfn, rows, dataset_id))
        by_economy: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_economy[r["economy"]].append(r)
        total_lines = total_rates = 0
        unparsed: list[tuple[int, str]] = []
        for economy, items in sorted(by_economy.items()):
            digits = max(len(r["code"]) for r in items)
            schedule_id = create_schedule(
                conn, economy=economy, name=f"{economy} tariff ({path.stem})",
                nomenclature=nomenclature, national_digits=digits, currency=currency,
                source_format=SOURCE_FORMAT, dataset_id=dataset_id,
                valuation_basis=valuation_basis)
            lines: dict[str, LineIn] = {}
            for r in items:
                lines.setdefault(r["code"], LineIn(r["code"], r["hs6"], r["description"],
                                                   r["unit"]))
            ids = write_lines(conn, schedule_id, lines.values())
            rates = [RateIn(r["code"], r["rate_type"], r["duty"],
                            scheme=r["agreement"], origin=r["origin"],
                            agreement_id=r["agreement_id"], quota_volume=r["quota_volume"],
                            quota_unit=r["quota_unit"], valid_from=r["valid_from"],
                            valid_to=r["valid_to"]) for r in items]
            total_rates += write_rates(conn, schedule_id, ids, rates, currency=currency,
                                       source=str(path))
            total_lines += len(lines)
            unparsed += [(r["line"], r["duty"]) for r in items
                         if not cached_duty(r["duty"], currency).parse_ok]
            if valuation_basis:
                conn.execute(delete(valuation_bases).where(valuation_bases.c.economy == economy))
                insert_rows(conn, valuation_bases, [{
                    "economy": economy, "basis": valuation_basis,
                    "note": f"as stated in {path.name}", "dataset_id": dataset_id}])
        set_row_count(conn, dataset_id, total_rates)
    return TariffCsvImport(dataset_id, len(by_economy), total_lines, total_rates,
                           sorted(unparsed))


def import_taxes_csv(db: Database, path: Path, *, currency: str = "USD", source: str = "",
                     licence: str = "") -> TaxCsvImport:
    """Import VAT/GST, excise and other internal taxes filled in the taxes template."""
    path = Path(path)
    src = CsvFile(path, TAX_REQUIRED)
    rows: list[dict[str, Any]] = []
    unparsed: list[tuple[int, str]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in src:
        economy = _economy(row["economy"], src, line, "economy")
        kind = TAX_KINDS.get(row["kind"].strip().lower())
        if kind is None:
            raise src.fail(N_("unknown tax kind %(kind)r (expected VAT, GST, excise, "
                           "sales or other)"), line, "kind", kind=row['kind'])
        rate = row["rate"].strip()
        if not rate:
            raise src.fail(N_("rate missing"), line, "rate")
        pct = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*%", rate)
        if pct and Decimal(pct.group(1).replace(",", ".")) > 100 and kind in ("VAT", "GST"):
            raise src.fail(N_("implausible %(kind)s rate %(rate)r"), line, "rate", kind=kind, rate=rate)
        if len(row.get("name", "")) > 120:
            raise src.fail(N_("name is longer than 120 characters"), line, "name")
        prefix = re.sub(r"[.\s]", "", row.get("hs_prefix", ""))
        if prefix and not re.fullmatch(r"\d{2,10}", prefix):
            raise src.fail(N_("hs_prefix %(hs_prefix)r must be 2 to 10 digits"), line,
                           "hs_prefix", hs_prefix=row.get('hs_prefix'))
        start, end = _dates(row, src, line)
        key = (economy, kind, prefix, start)
        if key in seen:
            raise src.fail(N_("duplicate %(kind)s for %(economy)s %(prefix)s from "
                           "%(start)s (line %(first_line)s)"), line, kind=kind, economy=economy, prefix=prefix or Phrase(N_("all products")),
                           start=start or Phrase(N_("the start")), first_line=seen[key])
        seen[key] = line
        columns = duty_columns(rate, currency)
        if not columns["parse_ok"]:
            unparsed.append((line, rate))
        rows.append({"economy": economy, "kind": kind, "name": row.get("name", "") or kind,
                     "rate_text": rate, "duty_json": columns["duty_json"],
                     "parse_ok": columns["parse_ok"], "hs_prefix": prefix or None,
                     "base": row.get("base", "") or (
                         "customs value + duty + excise" if kind in ("VAT", "GST") else ""),
                     "valid_from": start, "valid_to": end})
    if not rows:
        raise ImportFailed(N_("no taxes in the file"), file=src.name, line=1)
    economies = {r["economy"] for r in rows}
    with db.transaction() as conn:
        old = [r[0] for r in conn.execute(
            select(domestic_taxes.c.dataset_id).join(
                datasets, datasets.c.id == domestic_taxes.c.dataset_id).where(
                domestic_taxes.c.economy.in_(economies), datasets.c.kind == "taxes",
                datasets.c.is_sample.is_(False)))]
        if old:
            conn.execute(delete(domestic_taxes).where(domestic_taxes.c.dataset_id.in_(old),
                                                      domestic_taxes.c.economy.in_(economies)))
            for dataset_id in set(old):
                if conn.execute(select(domestic_taxes.c.id).where(
                        domestic_taxes.c.dataset_id == dataset_id)).first() is None:
                    conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
        dataset_id = record_dataset(
            conn, kind="taxes", name=f"Domestic taxes ({', '.join(sorted(economies))})",
            source=source or f"Tradewind taxes template {path.name}",
            licence=licence or "as stated by the publisher", edition=path.stem,
            row_count=len(rows))
        insert_rows(conn, domestic_taxes, [{**r, "dataset_id": dataset_id} for r in rows])
    return TaxCsvImport(dataset_id, len(rows), unparsed)

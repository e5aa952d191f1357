"""Importer for WITS / UNCTAD TRAINS tariff exports (HS 6-digit averages).

Two layouts published by WITS are accepted (column names are matched case-insensitively,
spaces and underscores ignored):

* the tariff query result: ``NomenCode, Reporter, ReporterName, Partner, PartnerName,
  ProductCode, ProductName, TariffYear, DutyType, SimpleAverage, WeightedAverage,
  StandardDeviation, MinRate, MaxRate, TotalNoOfLines, …`` with ``DutyType`` one of MFN
  (applied), PRF (preferential), AHS (effectively applied) and BND (bound);
* the bulk MFN download: ``NomenCode, Reporter_ISO_N, Year, ProductCode, Sum_Of_Rates,
  Min_Rate, Max_Rate, SimpleAverage, Nbr_NA_Lines, Nbr_Free_Lines, Nbr_AVE_Lines,
  Nbr_Dutiable_Lines, TotalNoOfValidLines, TotalNoOfLines, EstCode`` (MFN only).

Each (reporter, HS6 product) becomes one line of a WITS schedule for that reporter (national
code = HS6) and each year's simple average an ad valorem rate valid from 1 January of that
year until the next year's rate.  MFN → ``mfn``; PRF → ``preferential`` for the partner;
AHS (derived from MFN and PRF) and BND (bound, not applied) rows are counted and skipped.
Averages hide line-level detail, so the line description states the number of national lines
and the min–max range.  Atomic; a re-import replaces the reporter's previous WITS schedule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Connection, delete, select

from tradewind.agreements.economies import economy_code
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.tariffs.csvfile import CsvFile, parse_decimal
from tradewind.tariffs.models import tariff_schedules
from tradewind.tariffs.store import LineIn, RateIn, create_schedule, write_lines, write_rates

SOURCE_FORMAT = "wits"
NOMEN_EDITIONS = {"H0": "HS1992", "H1": "HS1996", "H2": "HS2002", "H3": "HS2007",
                  "H4": "HS2012", "H5": "HS2017", "H6": "HS2022"}
#: WITS numeric reporter codes that are not ISO 3166 numeric codes.
WITS_NUMERIC = {"918": "EUN", "697": "EUN", "490": "TWN", "711": "SAC"}
WORLD = {"WLD", "000", "0", "ALL", "WORLD"}

# logical field → accepted header spellings (normalised: lower-case, no spaces/underscores)
FIELDS: dict[str, tuple[str, ...]] = {
    "reporter": ("reporter", "reporteriso3", "reporterison", "reportercode"),
    "partner": ("partner", "partneriso3", "partnercode"),
    "product": ("productcode", "product"),
    "product_name": ("productname",),
    "year": ("tariffyear", "year"),
    "duty_type": ("dutytype",),
    "average": ("simpleaverage",),
    "min": ("minrate", "minimumrate"),
    "max": ("maxrate", "maximumrate"),
    "lines": ("totalnooflines", "nbroftotallines"),
    "nomen": ("nomencode", "nativenomen"),
}
REQUIRED = ("reporter", "product", "year", "average")


@dataclass(frozen=True)
class WitsImport:
    dataset_id: int
    schedules: int
    lines: int
    rates: int
    skipped_ahs_bnd: int
    skipped_empty: int


def _norm(name: str) -> str:
    return re.sub(r"[\s_]+", "", name.strip().lower())


def _reporter(text: str, file: str, line: int, field: str) -> str:
    value = text.strip()
    if value.isdigit():
        code = value.lstrip("0") or "0"
        if code in WITS_NUMERIC:
            return WITS_NUMERIC[code]
        country = pycountry.countries.get(numeric=code.zfill(3))
        if country is None:
            raise ImportFailed(N_("unknown numeric country code %(value)r"), file=file,
                               line=line, field=field, value=value)
        return str(country.alpha_3)
    try:
        return economy_code(value)
    except InvalidInput:
        raise ImportFailed(N_("unknown economy %(value)r"), file=file, line=line,
                           field=field, value=value) from None


def _read(path: Path) -> tuple[list[dict[str, Any]], int, int]:
    src = CsvFile(path, ())
    columns = {_norm(c): c for c in src.columns}
    mapping: dict[str, str] = {}
    for logical, spellings in FIELDS.items():
        for spelling in spellings:
            if spelling in columns:
                mapping[logical] = columns[spelling]
                break
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise ImportFailed(N_("wrong header: not a WITS/TRAINS tariff export (missing "
                              "%(missing)s)"), file=src.name, line=1,
                           missing=", ".join(FIELDS[f][0] for f in missing))
    rows: list[dict[str, Any]] = []
    skipped = empty = 0
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in src:
        def get(name: str, row: dict[str, str] = row) -> str:
            return row.get(mapping[name], "") if name in mapping else ""

        duty_type = (get("duty_type") or "MFN").upper()
        if duty_type not in ("MFN", "PRF", "AHS", "BND"):
            raise src.fail(N_("unknown DutyType %(duty_type)r (expected MFN, PRF, AHS or BND)"),
                           line, mapping.get("duty_type"), duty_type=duty_type)
        if duty_type in ("AHS", "BND"):
            skipped += 1
            continue
        product = re.sub(r"\D", "", get("product"))
        if len(product) != 6:
            raise src.fail(N_("product code %(value)r is not an HS 6-digit code"), line,
                           mapping["product"], value=get('product'))
        year_text = get("year")
        if not re.fullmatch(r"\d{4}", year_text):
            raise src.fail(N_("bad tariff year %(year_text)r"), line, mapping["year"], year_text=year_text)
        average = parse_decimal(get("average"), file=src.name, line=line,
                                field=mapping["average"])
        if average is None:
            empty += 1
            continue
        if average < 0 or average > 10000:
            raise src.fail(N_("implausible average rate %(average)s"), line, mapping["average"], average=average)
        reporter = _reporter(get("reporter"), src.name, line, mapping["reporter"])
        partner_text = get("partner").strip().upper()
        partner: str | None = None
        if duty_type == "PRF":
            if not partner_text or partner_text in WORLD:
                raise src.fail(N_("a preferential (PRF) row needs a partner"), line,
                               mapping.get("partner", "Partner"))
            partner = _reporter(partner_text, src.name, line, mapping.get("partner", "Partner"))
        key = (reporter, product, int(year_text), duty_type, partner)
        if key in seen:
            raise src.fail(N_("duplicate row for %(reporter)s %(product)s %(year_text)s %(duty_type)s"
                           "%(value)s (first on line %(first_line)s)"),
                           line, reporter=reporter, product=product, year_text=year_text, duty_type=duty_type, value=' ' + partner if partner else '', first_line=seen[key])
        seen[key] = line
        lo = parse_decimal(get("min"), file=src.name, line=line, field=mapping.get("min", "min"))
        hi = parse_decimal(get("max"), file=src.name, line=line, field=mapping.get("max", "max"))
        nlines = get("lines")
        nomen = get("nomen").upper()
        if nomen and nomen not in NOMEN_EDITIONS:
            raise src.fail(N_("unknown NomenCode %(nomen)r (expected H0…H6)"), line,
                           mapping.get("nomen"), nomen=nomen)
        rows.append({"line": line, "reporter": reporter, "partner": partner,
                     "product": product, "name": get("product_name"),
                     "year": int(year_text), "type": duty_type, "average": average,
                     "min": lo, "max": hi, "nlines": nlines, "nomen": nomen})
    if not rows:
        raise ImportFailed(N_("no MFN or PRF rates in the file"), file=src.name, line=1)
    return rows, skipped, empty


def _pct(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return f"{text}%"


def _replace_previous(conn: Connection, reporter: str) -> None:
    old = [r[0] for r in conn.execute(select(tariff_schedules.c.dataset_id).where(
        tariff_schedules.c.economy == reporter,
        tariff_schedules.c.source_format == SOURCE_FORMAT))]
    if old:
        conn.execute(delete(tariff_schedules).where(tariff_schedules.c.dataset_id.in_(old)))
        # keep a dataset shared with other reporters' schedules
        for dataset_id in set(old):
            still = conn.execute(select(tariff_schedules.c.id).where(
                tariff_schedules.c.dataset_id == dataset_id)).first()
            if still is None:
                conn.execute(delete(datasets).where(datasets.c.id == dataset_id))


def import_wits(db: Database, path: Path) -> WitsImport:
    """Import a WITS/TRAINS export; one schedule per reporter in the file."""
    rows, skipped, empty = _read(Path(path))
    by_reporter: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_reporter[r["reporter"]].append(r)
    total_lines = total_rates = 0
    with db.transaction() as conn:
        for reporter in by_reporter:
            _replace_previous(conn, reporter)
        years = sorted({r["year"] for r in rows})
        dataset_id = record_dataset(
            conn, kind="tariff", name="WITS/TRAINS tariff export",
            source=f"World Bank WITS (UNCTAD TRAINS), {Path(path).name}",
            licence="WITS/TRAINS terms of use", edition=f"{years[0]}–{years[-1]}",
            notes="HS 6-digit simple averages of national tariff lines")
        for reporter, items in sorted(by_reporter.items()):
            nomen = next((r["nomen"] for r in items if r["nomen"]), "")
            schedule_id = create_schedule(
                conn, economy=reporter, name=f"WITS/TRAINS {reporter}",
                nomenclature=f"WITS {nomen}".strip(), national_digits=6,
                hs_edition=NOMEN_EDITIONS.get(nomen, "HS2022"), currency="USD",
                source_format=SOURCE_FORMAT, dataset_id=dataset_id)
            products: dict[str, dict[str, Any]] = {}
            for r in sorted(items, key=lambda r: r["year"]):
                products[r["product"]] = r  # latest year describes the line
            lines = []
            for code, r in sorted(products.items()):
                detail = []
                if r["nlines"]:
                    detail.append(f"average of {r['nlines']} national lines")
                if r["min"] is not None and r["max"] is not None and r["min"] != r["max"]:
                    detail.append(f"rates from {_pct(r['min'])} to {_pct(r['max'])}")
                description = r["name"] or f"HS {code}"
                if detail:
                    description += " (" + ", ".join(detail) + ")"
                lines.append(LineIn(code, code, description))
            ids = write_lines(conn, schedule_id, lines)
            # each series (product, type, partner) is valid from its year until the next one
            series: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
            for r in items:
                series[(r["product"], r["type"], r["partner"])].append(r)
            rates = []
            for (product, duty_type, partner), points in series.items():
                points.sort(key=lambda r: r["year"])
                for i, r in enumerate(points):
                    start = date(r["year"], 1, 1)
                    end = (date(points[i + 1]["year"], 1, 1) - timedelta(days=1)
                           if i + 1 < len(points) else None)
                    rates.append(RateIn(
                        product, "mfn" if duty_type == "MFN" else "preferential",
                        _pct(r["average"]), scheme="" if duty_type == "MFN" else "WITS PRF",
                        origin=partner, valid_from=start, valid_to=end))
            total_rates += write_rates(conn, schedule_id, ids, rates, currency="USD",
                                       source=str(path))
            total_lines += len(lines)
        set_row_count(conn, dataset_id, total_rates)
    return WitsImport(dataset_id, len(by_reporter), total_lines, total_rates, skipped, empty)

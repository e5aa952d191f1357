"""Importer for the US tariff schedule files in ``../shared/data/us-tariff/``.

Files (processed from the USITC HTS by the Yale Budget Lab tariff-rate-tracker, MIT licence):

* ``products_raw.csv`` — ``hts10,base_rate,base_rate_raw,ch99_refs,n_ch99_refs,description``:
  one row per HTS 10-digit line; the general (MFN) rate text is given on one statistical line
  of each 8-digit rate line and applies to all of them (HTS rates are set at 8 digits).
  ``ch99_refs`` lists the Chapter 99 headings that the line's footnotes point to.
* ``chapter99_raw.csv`` — ``ch99_code,rate,authority,country_type,countries,general_raw,
  other_raw,description``: additional duties (sections 201/232/301, IEEPA…), with the
  countries they apply to (ISO 3166 alpha-2 codes; ``all``, ``specific`` or ``all_except``).
* ``s301_product_lists.csv`` — ``hts8,list,ch99_code``: the section 301 product lists.

HTS lines are mapped to HS 2022 subheadings by their first six digits (the HTS 2025 is based
on HS 2022).  Effective dates stated in the Chapter 99 texts ("effective with respect to
entries on or after …, and through …") become ``valid_from``/``valid_to``.

``rates_calculated.csv`` uses US Census country codes, for which no mapping ships with
Tradewind; it is not imported.

Atomic: everything is read and validated first, then written in one transaction that
replaces any earlier import of this schedule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Connection, delete, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.tariffs.csvfile import CsvFile, parse_decimal
from tradewind.tariffs.duty import Duty, Free, parse_duty
from tradewind.tariffs.models import (
    additional_duties,
    additional_duty_origins,
    additional_duty_products,
    tariff_schedules,
)
from tradewind.tariffs.store import (
    LineIn,
    RateIn,
    cached_duty,
    create_schedule,
    insert_rows,
    write_lines,
    write_rates,
)

PRODUCTS = "products_raw.csv"
CHAPTER99 = "chapter99_raw.csv"
S301 = "s301_product_lists.csv"
SOURCE_FORMAT = "us-hts"
KIND = "tariff"

Progress = Callable[[str, int, int], None]  # (phase, done, total)

_PRODUCT_COLUMNS = ("hts10", "base_rate", "base_rate_raw", "ch99_refs", "n_ch99_refs",
                    "description")
_CH99_COLUMNS = ("ch99_code", "rate", "authority", "country_type", "countries", "general_raw",
                 "other_raw", "description")
_S301_COLUMNS = ("hts8", "list", "ch99_code")
_CH99_CODE = re.compile(r"^99\d\d\.\d\d(?:\.\d\d)?$")
_ORIGIN_MODES = {"all": "all", "specific": "only", "all_except": "all_except"}
_APPLICABLE = re.compile(r"^the duty provided in the applicable subheading\s*(?:(?:\+|plus)\s*"
                         r"(?P<rest>.+))?$", re.I)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}}"
_EFFECTIVE_FROM = re.compile(rf"effective\s+(?:with\s+respect\s+to\s+entries,?\s+)?on\s+or\s+after\s+"
                             rf"(?:12:01\s+a\.m\.\s+[a-z ]*time\s+on\s+)?(?P<d>{_DATE})", re.I)
_EFFECTIVE_TO = re.compile(rf"on\s+or\s+after\s+[^,]*?{_DATE},?\s+and\s+through\s+"
                           rf"(?:11:59\s+p\.m\.\s+[a-z ]*time\s+on\s+)?(?P<d>{_DATE})", re.I)


@dataclass
class UsTariffImport:
    """What an import did (shown by the CLI and the benchmark)."""

    dataset_id: int
    schedule_id: int
    lines: int
    mfn_rates: int
    rates_parsed: int
    rates_missing: int
    additional_duties: int
    additional_products: int
    seconds: float
    unparsed: list[str] = field(default_factory=list)

    @property
    def parse_rate(self) -> float:
        with_text = self.mfn_rates - self.rates_missing
        return self.rates_parsed / with_text if with_text else 1.0


def _text_date(text: str) -> date:
    return datetime.strptime(re.sub(r"\s+", " ", text), "%B %d, %Y").date()


def effective_dates(description: str) -> tuple[date | None, date | None]:
    """Dates in "Effective with respect to entries on or after X, and through Y"."""
    start = _EFFECTIVE_FROM.search(description)
    end = _EFFECTIVE_TO.search(description)
    return (_text_date(start.group("d")) if start else None,
            _text_date(end.group("d")) if end else None)


def additional_duty(general_raw: str, rate: str) -> Duty:
    """The additional part of a Chapter 99 rate ("… applicable subheading + 25%" → 25%)."""
    text = general_raw.strip()
    m = _APPLICABLE.match(re.sub(r"\s+", " ", text))
    if m:
        rest = m.group("rest")
        return parse_duty(rest) if rest else Duty(text=text, expr=Free())
    if not text and rate:
        return parse_duty(f"{float(rate) * 100:g}%")
    return parse_duty(text)


def _iso3(alpha2: str, file: str, line: int) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    if country is None:
        raise ImportFailed(N_("unknown country code %(alpha2)r"), file=file, line=line,
                           field="countries", alpha2=alpha2)
    return str(country.alpha_3)


def _read_products(folder: Path) -> list[dict[str, Any]]:
    src = CsvFile(folder / PRODUCTS, _PRODUCT_COLUMNS)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in src:
        code = row["hts10"].replace(".", "")
        if not re.fullmatch(r"\d{10}", code):
            raise src.fail(N_("HTS code %(hts10)r is not 10 digits"), line, "hts10", hts10=row['hts10'])
        if code in seen:
            raise src.fail(N_("duplicate HTS code %(code_text)s (first on line %(first_line)s)"), line,
                           "hts10", code_text=code, first_line=seen[code])
        seen[code] = line
        parse_decimal(row["base_rate"], file=src.name, line=line, field="base_rate")
        refs = [r.strip() for r in row["ch99_refs"].split(";") if r.strip()]
        for ref in refs:
            if not _CH99_CODE.match(ref):
                raise src.fail(N_("bad Chapter 99 reference %(ref)r"), line, "ch99_refs", ref=ref)
        try:
            n_refs = int(row["n_ch99_refs"] or "0")
        except ValueError:
            raise src.fail(N_("bad number %(n_ch99_refs)r"), line, "n_ch99_refs", n_ch99_refs=row['n_ch99_refs']) from None
        if n_refs != len(refs):
            raise src.fail(N_("n_ch99_refs is %(n_refs)s but ch99_refs lists %(n_refs2)s"), line,
                           "n_ch99_refs", n_refs=n_refs, n_refs2=len(refs))
        out.append({"line": line, "code": code, "raw": row["base_rate_raw"],
                    "refs": refs, "description": row["description"]})
    if not out:
        raise ImportFailed(N_("no tariff lines"), file=src.name, line=1)
    return out


def _read_chapter99(folder: Path) -> dict[str, dict[str, Any]]:
    src = CsvFile(folder / CHAPTER99, _CH99_COLUMNS)
    out: dict[str, dict[str, Any]] = {}
    for line, row in src:
        code = row["ch99_code"]
        if not _CH99_CODE.match(code):
            raise src.fail(N_("bad Chapter 99 heading %(code_text)r"), line, "ch99_code", code_text=code)
        if code in out:
            raise src.fail(N_("duplicate heading %(code_text)s (first on line %(number)s)"),
                           line, "ch99_code", code_text=code, number=out[code]['line'])
        rate = parse_decimal(row["rate"], file=src.name, line=line, field="rate")
        if rate is not None and rate < 0:
            raise src.fail(N_("negative rate %(rate)r"), line, "rate", rate=row['rate'])
        mode = _ORIGIN_MODES.get(row["country_type"])
        if mode is None:
            raise src.fail(N_("unknown country_type %(country_type)r (expected all, "
                           "specific or all_except)"), line, "country_type", country_type=row['country_type'])
        countries = [_iso3(c.strip(), src.name, line)
                     for c in re.split(r"[;,\s]+", row["countries"]) if c.strip()]
        if mode == "only" and not countries:
            raise src.fail(N_("country_type is 'specific' but no countries are listed"), line,
                           "countries")
        if mode == "all_except" and not countries:
            mode = "all"  # exceptions described only in the text
        valid_from, valid_to = effective_dates(row["description"])
        out[code] = {"line": line, "rate": row["rate"], "authority": row["authority"] or "other",
                     "mode": mode, "countries": sorted(set(countries)),
                     "general_raw": row["general_raw"], "description": row["description"],
                     "valid_from": valid_from, "valid_to": valid_to}
    return out


def _read_s301(folder: Path, chapter99: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    src = CsvFile(folder / S301, _S301_COLUMNS)
    out = []
    for line, row in src:
        code = row["hts8"].replace(".", "")
        if not re.fullmatch(r"\d{8}", code):
            raise src.fail(N_("HTS code %(hts8)r is not 8 digits"), line, "hts8", hts8=row['hts8'])
        heading = row["ch99_code"]
        if heading not in chapter99:
            raise src.fail(N_("Chapter 99 heading %(heading)r is not in %(chapter99)s"), line,
                           "ch99_code", heading=heading, chapter99=CHAPTER99)
        out.append((heading, code))
    return out


def _replace_previous(conn: Connection) -> None:
    old = [r[0] for r in conn.execute(
        select(tariff_schedules.c.dataset_id).where(
            tariff_schedules.c.economy == "USA",
            tariff_schedules.c.source_format == SOURCE_FORMAT))]
    if old:
        conn.execute(delete(additional_duties).where(additional_duties.c.dataset_id.in_(old)))
        conn.execute(delete(tariff_schedules).where(tariff_schedules.c.dataset_id.in_(old)))
        conn.execute(delete(datasets).where(datasets.c.id.in_(old)))


def import_us_tariff(db: Database, folder: Path, *, valid_from: date | None = None,
                     progress: Progress | None = None) -> UsTariffImport:
    """Import the US schedule from ``folder``; replaces an earlier import of it."""
    import time

    started = time.perf_counter()
    step = progress or (lambda _phase, _done, _total: None)
    folder = Path(folder)
    for name in (PRODUCTS, CHAPTER99, S301):
        if not (folder / name).is_file():
            raise ImportFailed(N_("file not found"), file=str(folder / name))
    step("reading", 0, 3)
    products = _read_products(folder)
    step("reading", 1, 3)
    chapter99 = _read_chapter99(folder)
    for p in products:
        for ref in p["refs"]:
            if ref not in chapter99:
                raise ImportFailed(N_("Chapter 99 heading %(ref)s is not in %(chapter99)s"),
                                   file=str(folder / PRODUCTS), line=p["line"],
                                   field="ch99_refs", ref=ref, chapter99=CHAPTER99)
    step("reading", 2, 3)
    s301 = _read_s301(folder, chapter99)
    step("reading", 3, 3)

    # HTS rates are set at 8 digits: statistical lines inherit the rate of their group.
    rate_of_group: dict[str, str] = {}
    for p in products:
        raw = p["raw"]
        if raw.strip():
            group = p["code"][:8]
            previous = rate_of_group.get(group)
            if previous is not None and previous.strip() != raw.strip():
                raise ImportFailed(
                    N_("two different rates in HTS 8-digit line %(group)s: %(previous)r and "
                    "%(raw)r"), file=str(folder / PRODUCTS), line=p["line"],
                    field="base_rate_raw", group=group, previous=previous, raw=raw)
            rate_of_group.setdefault(group, raw)

    with db.transaction() as conn:
        _replace_previous(conn)
        dataset_id = record_dataset(
            conn, kind=KIND, name="United States Harmonized Tariff Schedule (general rates, "
            "Chapter 99, section 301 lists)",
            source="USITC HTS via the Yale Budget Lab tariff-rate-tracker "
                   "(products_raw.csv, chapter99_raw.csv, s301_product_lists.csv)",
            licence="MIT (tariff-rate-tracker); USITC data: US federal work",
            edition="HTS 2025-26", notes=f"imported from {folder}")
        schedule_id = create_schedule(
            conn, economy="USA", name="US HTS", nomenclature="HTS", national_digits=10,
            currency="USD", source_format=SOURCE_FORMAT, dataset_id=dataset_id,
            valuation_basis="FOB", valid_from=valid_from)
        step("lines", 0, len(products))
        ids = write_lines(conn, schedule_id, (
            LineIn(p["code"], p["code"][:6], p["description"], "", valid_from)
            for p in products))
        step("lines", len(products), len(products))
        rates = [RateIn(p["code"], "mfn", rate_of_group.get(p["code"][:8], ""),
                        valid_from=valid_from) for p in products]
        written = write_rates(conn, schedule_id, ids, rates, currency="USD",
                              source=str(folder / PRODUCTS))
        step("rates", written, len(products))

        parsed = missing = 0
        unparsed: set[str] = set()
        for rate in rates:
            duty = cached_duty(rate.duty_text, "USD") if rate.duty_text.strip() else None
            if duty is None:
                missing += 1
            elif duty.parse_ok:
                parsed += 1
            else:
                unparsed.add(rate.duty_text)

        # Chapter 99: one additional-duty row per heading.
        duty_rows = []
        for code, item in chapter99.items():
            duty = additional_duty(item["general_raw"], item["rate"])
            duty_rows.append({
                "economy": "USA", "heading": code, "authority": item["authority"],
                "description": item["description"], "duty_text": item["general_raw"] or (
                    f"{float(item['rate']) * 100:g}%" if item["rate"] else ""),
                "duty_json": duty.to_json(), "parse_ok": duty.parse_ok,
                "origin_mode": item["mode"], "product_scope": "listed",
                "valid_from": item["valid_from"], "valid_to": item["valid_to"],
                "dataset_id": dataset_id})
        insert_rows(conn, additional_duties, duty_rows)
        duty_ids = dict(conn.execute(
            select(additional_duties.c.heading, additional_duties.c.id)
            .where(additional_duties.c.dataset_id == dataset_id)).all())
        insert_rows(conn, additional_duty_origins, [
            {"duty_id": duty_ids[code], "origin": iso3}
            for code, item in chapter99.items() for iso3 in item["countries"]])
        pairs: set[tuple[int, str]] = set()
        for p in products:
            for ref in p["refs"]:
                pairs.add((duty_ids[ref], p["code"]))
        for heading, hts8 in s301:
            pairs.add((duty_ids[heading], hts8))
        insert_rows(conn, additional_duty_products, [
            {"duty_id": duty_id, "product_code": code, "hs6": code[:6]}
            for duty_id, code in sorted(pairs)])
        step("additional duties", len(duty_rows), len(duty_rows))
        total_rows = len(products) + written + len(duty_rows) + len(pairs)
        set_row_count(conn, dataset_id, total_rows)

    return UsTariffImport(
        dataset_id=dataset_id, schedule_id=schedule_id, lines=len(products),
        mfn_rates=written, rates_parsed=parsed, rates_missing=missing,
        additional_duties=len(duty_rows), additional_products=len(pairs),
        seconds=time.perf_counter() - started, unparsed=sorted(unparsed))

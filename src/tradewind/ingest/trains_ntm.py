"""Importer for UNCTAD TRAINS non-tariff-measure exports (CSV, one row per measure × product).

TRAINS publishes each measure with its imposing country, data year, MAST code, the HS codes
(and HS revision) it covers, the affected partners, a description, the regulation's title and
symbol, its implementation and repeal dates and the issuing agency.  Column names are matched
case-insensitively with spaces, underscores and punctuation ignored, with the common
spellings of TRAINS and WITS exports (``Reporter``/``Reporter ISO3``/``Country imposing``,
``NTM code``/``Measure code``, ``HS code``/``HS6``, ``HS revision``/``Nomenclature``,
``Partner``/``Affected countries``, ``Measure description``, ``Regulation title``,
``Regulation symbol``, ``Implementation date``/``Start date``, ``Repeal date``/``End date``,
``Issuing agency``).

Rows that share reporter, code, regulation, description, dates and agency are one measure;
its HS codes and partners are gathered.  Partner ``WLD``/``World``/``All`` (or blank) means
every origin.  HS codes of older editions (H0–H5, HS1992–HS2017) are mapped to HS 2022 with
the loaded UNSD correlation tables (:func:`tradewind.nomenclature.concordance.correspondence`);
national 8/10-digit codes are mapped through their 6-digit subheading.  Everything is checked
before anything is written: truncated or extra fields, a missing column, a non-UTF-8 file, a
duplicate row, an empty file are refused naming file, line and field.  A re-import replaces
the previous TRAINS import of the same reporters (datasets kind ``ntm``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, delete, select

from tradewind.agreements.economies import economy_code
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.requirements_csv import MeasureIn, write_measures
from tradewind.ingest.wits_trains import NOMEN_EDITIONS, WITS_NUMERIC
from tradewind.requirements import mast
from tradewind.requirements.models import measures
from tradewind.tariffs.csvfile import CsvFile, parse_date, read_text

KIND = "ntm"
SOURCE = "UNCTAD TRAINS NTM database"
LICENCE = ("UNCTAD TRAINS: free use with acknowledgement, not for resale "
           "(see the TRAINS terms of use)")
TARGET = "HS2022"
WORLD = {"wld", "world", "all", "allcountries", "allmembers", "000", "0", "erga omnes",
         "ergaomnes"}
#: A repeal date this far away means "no end date" in TRAINS exports.
OPEN_END = date(9000, 1, 1)

# logical field → accepted header spellings (normalised: lower-case letters and digits only)
FIELDS: dict[str, tuple[str, ...]] = {
    "reporter": ("reporter", "reporteriso3", "reportercode", "reportername", "countryimposing",
                 "imposingcountry", "country", "iso3", "countryiso3", "imposingmember"),
    "year": ("year", "datayear", "ntmyear", "collectionyear"),
    "code": ("ntmcode", "ntm", "measurecode", "mastcode", "ntmclassification", "code"),
    "hs": ("hscode", "hs", "hs6", "productcode", "hscodes", "affectedproducts", "tariffline"),
    "hs_revision": ("hsrevision", "hsversion", "nomenclature", "nomencode", "hsnomenclature",
                    "revision"),
    "partner": ("partner", "partneriso3", "affectedcountries", "affectedcountry",
                "partnercountries", "affectedpartners", "partners", "countriesaffected"),
    "description": ("measuredescription", "description", "ntmdescription", "measure"),
    "product_description": ("productdescription", "products", "productdescriptions"),
    "regulation_title": ("regulationtitle", "regulationofficialtitle", "regulation",
                         "legaltitle", "officialtitle"),
    "regulation_symbol": ("regulationsymbol", "symbol", "legalreference",
                          "regulationnumber"),
    "start": ("implementationdate", "startdate", "datestart", "validfrom", "inforcefrom",
              "entryintoforce"),
    "end": ("repealdate", "enddate", "dateend", "validto", "validuntil"),
    "agency": ("issuingagency", "agency", "implementingagency", "authority"),
    "source_url": ("url", "sourceurl", "link", "regulationurl"),
}
REQUIRED = ("reporter", "code", "hs")
LABELS = {"reporter": "Reporter", "year": "Year", "code": "NTM code", "hs": "HS code",
          "hs_revision": "HS revision", "partner": "Partner", "description": "Measure description",
          "regulation_title": "Regulation title", "regulation_symbol": "Regulation symbol",
          "start": "Implementation date", "end": "Repeal date", "agency": "Issuing agency",
          "source_url": "URL"}
_ALIASES = {alias: name for name, aliases in FIELDS.items() for alias in aliases}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class NtmRow:
    line: int
    reporter: str
    year: str
    code: str
    hs: str
    edition: str
    partners: list[str]
    description: str
    product_description: str
    regulation_title: str
    regulation_symbol: str
    start: date | None
    end: date | None
    agency: str
    source_url: str


@dataclass
class NtmImport:
    dataset_id: int
    rows: int
    measures: int
    reporters: list[str]
    editions: list[str]
    mapped_codes: int = 0  # HS codes of older editions mapped to HS 2022
    notes: list[str] = field(default_factory=list)


class _Columns:
    """Which CSV column holds each logical field (header names as CsvFile lower-cases them)."""

    def __init__(self, src: CsvFile) -> None:
        self.column: dict[str, str] = {}
        for header in src.columns:
            name = _ALIASES.get(_norm(header))
            if name and name not in self.column:
                self.column[name] = header
        missing = [LABELS[f] for f in REQUIRED if f not in self.column]
        if missing:
            raise ImportFailed(
                N_("wrong columns: this is not a TRAINS NTM export (missing %(missing)s; "
                   "found %(found)s)"), file=src.name, line=1, field=missing[0],
                missing=", ".join(missing), found=", ".join(c for c in src.columns if c))

    def get(self, row: dict[str, str], name: str) -> str:
        header = self.column.get(name)
        return row.get(header, "").strip() if header else ""


def _edition(text: str, src: CsvFile, line: int) -> str:
    value = text.strip().upper().replace(" ", "").replace("-", "")
    if not value:
        return TARGET
    if value in NOMEN_EDITIONS:
        return NOMEN_EDITIONS[value]
    m = re.fullmatch(r"(?:HS)?(\d{4})", value)
    if m and f"HS{m.group(1)}" in NOMEN_EDITIONS.values():
        return f"HS{m.group(1)}"
    raise src.fail(N_("unknown HS revision %(text)r (use H0–H6 or HS1992…HS2022)"), line,
                   LABELS["hs_revision"], text=text)


def _economy(text: str, src: CsvFile, line: int, label: str) -> str:
    value = text.strip()
    if value in WITS_NUMERIC:
        return WITS_NUMERIC[value]
    try:
        return economy_code(value)
    except InvalidInput:
        raise src.fail(N_("unknown economy %(text)r (use ISO3 codes such as KEN, or EUN)"), line,
                       label, text=value) from None


def _partners(text: str, src: CsvFile, line: int) -> list[str]:
    parts = [p.strip() for p in re.split(r"[;,|]", text) if p.strip()]
    if not parts or any(_norm(p) in {_norm(w) for w in WORLD} for p in parts):
        return []
    out: list[str] = []
    for part in parts:
        code = _economy(part, src, line, LABELS["partner"])
        if code not in out:
            out.append(code)
    return out


def read_rows(path: Path) -> tuple[CsvFile, list[NtmRow]]:
    """Parse and check every row (no database needed)."""
    text = read_text(Path(path))
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = "\t" if first.count("\t") > max(first.count(","), first.count(";")) else None
    src = CsvFile(Path(path), (), text=text, delimiter=delimiter)
    cols = _Columns(src)
    rows: list[NtmRow] = []
    seen: dict[tuple[object, ...], int] = {}
    for line, row in src:
        raw_reporter = cols.get(row, "reporter")
        if not raw_reporter:
            raise src.fail(N_("reporter missing"), line, LABELS["reporter"])
        reporter = _economy(raw_reporter, src, line, LABELS["reporter"])
        code = mast.normalise_code(cols.get(row, "code"))
        if not code:
            raise src.fail(N_("NTM code missing"), line, LABELS["code"])
        if not mast.is_known(code):
            raise src.fail(N_("unknown MAST code %(value)r"), line, LABELS["code"], value=cols.get(row, 'code'))
        hs_text = cols.get(row, "hs").replace(".", "").replace(" ", "")
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{8}|\d{10}", hs_text):
            raise src.fail(N_("bad HS code %(value)r (2, 4, 6, 8 or 10 digits)"),
                           line, LABELS["hs"], value=cols.get(row, 'hs'))
        year = cols.get(row, "year")
        if year and not re.fullmatch(r"(19|20)\d\d", year):
            raise src.fail(N_("bad year %(text)r"), line, LABELS["year"], text=year)
        start = parse_date(cols.get(row, "start"), file=src.name, line=line,
                           field=LABELS["start"])
        end = parse_date(cols.get(row, "end"), file=src.name, line=line, field=LABELS["end"])
        if end is not None and end >= OPEN_END:
            end = None
        if start and end and end < start:
            raise src.fail(N_("repeal date %(end)s is before the implementation date %(start)s"),
                           line, LABELS["end"], end=end, start=start)
        url = cols.get(row, "source_url")
        if url and not re.match(r"https?://", url):
            url = ""
        item = NtmRow(line, reporter, year, code, hs_text,
                      _edition(cols.get(row, "hs_revision"), src, line),
                      _partners(cols.get(row, "partner"), src, line),
                      cols.get(row, "description"), cols.get(row, "product_description"),
                      cols.get(row, "regulation_title"), cols.get(row, "regulation_symbol"),
                      start, end, cols.get(row, "agency"), url)
        for name, limit in (("regulation_title", 300), ("agency", 200)):
            if len(getattr(item, name)) > limit:
                raise src.fail(N_("longer than %(limit)s characters"), line, LABELS[name], limit=limit)
        key = (*_measure_key(item), item.hs, item.edition, tuple(item.partners))
        if key in seen:
            raise src.fail(N_("duplicate row (same measure, HS code and partners as line "
                           "%(first_line)s)"), line, LABELS["hs"], first_line=seen[key])
        seen[key] = line
        rows.append(item)
    if not rows:
        raise ImportFailed(N_("no measures in the file (empty)"), file=src.name, line=2)
    return src, rows


def _measure_key(r: NtmRow) -> tuple[object, ...]:
    return (r.reporter, r.code, r.regulation_title, r.regulation_symbol, r.description,
            r.start, r.end, r.agency)


def _mapper(conn: Connection, src: CsvFile, rows: list[NtmRow]) -> dict[str, dict[str, list[str]]]:
    """Edition → (6-digit code → HS 2022 codes) for every older edition in the file."""
    from tradewind.nomenclature.concordance import correspondence

    out: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        if r.edition == TARGET or r.edition in out:
            continue
        try:
            out[r.edition] = correspondence(conn, r.edition, TARGET)
        except NotFound:
            raise src.fail(N_("HS codes are in %(edition)s but no correlation table links "
                           "%(edition)s to HS 2022: import the UNSD tables with `tradewind "
                           "import concordance FILE.xlsx` first"), r.line,
                           LABELS["hs_revision"], edition=r.edition) from None
        if not out[r.edition]:
            raise src.fail(N_("the correlation tables for %(edition)s → HS 2022 are empty"), r.line,
                           LABELS["hs_revision"], edition=r.edition)
    return out


def _to_hs2022(r: NtmRow, table: dict[str, list[str]], src: CsvFile) -> list[str]:
    """HS 2022 codes for one old-edition code: chapters stay; headings map through their
    subheadings (to HS 2022 headings); subheadings and national lines map through the table."""
    code = r.hs
    if len(code) == 2:
        return [code]
    if len(code) == 4:
        targets = sorted({t[:4] for s, ts in table.items() if s.startswith(code) for t in ts})
    else:
        targets = table.get(code[:6], [])
    if not targets:
        raise src.fail(N_("%(edition)s code %(code_text)s has no HS 2022 correspondence in the loaded "
                       "tables"), r.line, LABELS["hs"], edition=r.edition, code_text=code)
    return targets


def build_measures(conn: Connection, src: CsvFile, rows: list[NtmRow]
                   ) -> tuple[list[MeasureIn], int]:
    """Group rows into measures (HS 2022 codes, partners gathered)."""
    tables = _mapper(conn, src, rows)
    grouped: dict[tuple[object, ...], MeasureIn] = {}
    scopes: dict[tuple[object, ...], bool] = {}  # True once a row applies to every partner
    mapped = 0
    for r in rows:
        if r.edition == TARGET:
            codes = [r.hs]
        else:
            codes = _to_hs2022(r, tables[r.edition], src)
            mapped += 1
        key = _measure_key(r)
        item = grouped.get(key)
        if item is None:
            title = (r.description or mast.code_name(r.code)).split("\n", 1)[0]
            if len(title) > 200:
                title = title[:197].rstrip() + "…"
            reference = " — ".join(p for p in (r.regulation_title, r.regulation_symbol) if p)
            summary = r.description
            if r.product_description:
                summary = f"{summary}\nProducts: {r.product_description}".strip()
            item = MeasureIn(r.line, r.reporter, r.code, [], [], title, summary,
                             reference[:400], r.source_url, r.agency, r.start, r.end, [],
                             TARGET)
            grouped[key] = item
            scopes[key] = False
        for c in codes:
            if c not in item.hs_codes:
                item.hs_codes.append(c)
        if not r.partners:
            scopes[key] = True
        for p in r.partners:
            if p not in item.origins:
                item.origins.append(p)
    for key, item in grouped.items():
        if scopes[key]:
            item.origins = []  # one row for all partners: the measure applies to every origin
    return list(grouped.values()), mapped


def _replace(conn: Connection, reporters: set[str]) -> None:
    old = set(conn.execute(
        select(measures.c.dataset_id).join(datasets, datasets.c.id == measures.c.dataset_id)
        .where(measures.c.economy.in_(reporters), datasets.c.kind == KIND)).scalars())
    if not old:
        return
    conn.execute(delete(measures).where(measures.c.dataset_id.in_(old),
                                        measures.c.economy.in_(reporters)))
    for dataset_id in old:
        if conn.execute(select(measures.c.id).where(
                measures.c.dataset_id == dataset_id).limit(1)).first() is None:
            conn.execute(delete(datasets).where(datasets.c.id == dataset_id))


def import_trains_ntm(db: Database, path: Path, *, edition: str = "",
                      source: str = SOURCE, licence: str = LICENCE) -> NtmImport:
    """Import a TRAINS NTM export (all or nothing)."""
    path = Path(path)
    src, rows = read_rows(path)
    reporters = {r.reporter for r in rows}
    years = sorted({r.year for r in rows if r.year})
    editions = sorted({r.edition for r in rows})
    with db.transaction() as conn:
        items, mapped = build_measures(conn, src, rows)
        _replace(conn, reporters)
        notes = []
        if mapped:
            notes.append(f"{mapped} HS codes of {', '.join(e for e in editions if e != TARGET)} "
                         "mapped to HS 2022 with the UNSD correlation tables.")
        dataset_id = record_dataset(
            conn, kind=KIND, name=f"TRAINS NTMs ({', '.join(sorted(reporters))})",
            source=source, licence=licence,
            edition=edition or (", ".join(years) if years else path.stem),
            row_count=len(items), notes=" ".join(notes))
        write_measures(conn, dataset_id, items)
    return NtmImport(dataset_id, len(rows), len(items), sorted(reporters), editions, mapped,
                     notes)


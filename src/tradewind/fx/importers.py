"""Importers for currency rates: the ECB euro reference-rate XML and a plain CSV.

Both are atomic (one transaction: a bad file changes nothing), validate every value,
name the file and line of the first problem, and record the dataset's provenance.

ECB format (``eurofxref-daily.xml`` / ``eurofxref-hist.xml``)::

    <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
                     xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <gesmes:subject>Reference rates</gesmes:subject>
      <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
      <Cube>
        <Cube time="2024-01-05">
          <Cube currency="USD" rate="1.0921"/>   (1 EUR = 1.0921 USD)

CSV template (UTF-8, header required), one of::

    date,currency,rate_per_usd      1 USD = rate units of currency
    date,currency,rate_per_eur      1 EUR = rate units of currency
    date,base,currency,rate         1 base = rate units of currency
"""

from __future__ import annotations

import csv
import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes

from sqlalchemy import insert

from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.fx.models import fx_rates
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile

ECB_NS = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
GESMES_NS = "http://www.gesmes.org/xml/2002-08-01"
ECB_SOURCE = ("European Central Bank euro foreign exchange reference rates "
              "(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
              "euro_reference_exchange_rates/)")
ECB_LICENCE = "ECB statistics: free reuse with source acknowledged"
_CCY = re.compile(r"^[A-Z]{3}$")
BATCH = 5000


@dataclass(frozen=True)
class FxImportResult:
    dataset_id: int
    rows: int
    first_date: date
    last_date: date
    currencies: int


@dataclass(frozen=True)
class _Row:
    base: str
    currency: str
    rate: float
    rate_date: date


def _parse_date(text: str, *, file: str, line: int | None, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ImportFailed(N_("%(text)r is not a date in YYYY-MM-DD form"), file=file, line=line,
                           field=field, text=text) from None


def _parse_currency(text: str, *, file: str, line: int | None, field: str) -> str:
    code = text.strip().upper()
    if not _CCY.match(code):
        raise ImportFailed(N_("%(text)r is not a three-letter currency code"), file=file,
                           line=line, field=field, text=text)
    return code


def _parse_rate(text: str, *, file: str, line: int | None, field: str) -> float:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ImportFailed(N_("%(text)r is not a number"), file=file, line=line,
                           field=field, text=text) from None
    if not value.is_finite() or value <= 0:
        raise ImportFailed(N_("rate %(text)r must be a positive number"), file=file, line=line,
                           field=field, text=text)
    return float(value)


class _EcbHandler(ContentHandler):
    """SAX handler: SAX (unlike ElementTree) tells us the line of each element."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.rows: list[_Row] = []
        self.current_date: date | None = None
        self.seen: set[tuple[date, str]] = set()
        self.saw_envelope = False
        self.locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:
        self.locator = locator

    def _line(self) -> int | None:
        return int(self.locator.getLineNumber()) if self.locator is not None else None

    def startElementNS(self, name: tuple[str | None, str], qname: str | None,
                       attrs: Any) -> None:
        uri, local = name
        if uri == GESMES_NS and local == "Envelope":
            self.saw_envelope = True
            return
        if local != "Cube" or uri != ECB_NS:
            return
        values = {key[1]: value for key, value in attrs.items()}
        line = self._line()
        if "time" in values:
            self.current_date = _parse_date(values["time"], file=self.file, line=line,
                                            field="time")
        elif "currency" in values:
            if self.current_date is None:
                raise ImportFailed(N_("a rate appears outside a <Cube time=…> element"),
                                   file=self.file, line=line)
            if "rate" not in values:
                raise ImportFailed(N_("a <Cube currency=…> element has no rate"), file=self.file,
                                   line=line, field="rate")
            currency = _parse_currency(values["currency"], file=self.file, line=line,
                                       field="currency")
            key = (self.current_date, currency)
            if key in self.seen:
                raise ImportFailed(
                    N_("duplicate rate for %(currency)s on %(current_date)s"),
                    file=self.file, line=line, field="currency", currency=currency, current_date=self.current_date.isoformat())
            self.seen.add(key)
            self.rows.append(_Row("EUR", currency,
                                  _parse_rate(values["rate"], file=self.file, line=line,
                                              field="rate"),
                                  self.current_date))


def parse_ecb_xml(data: bytes, file: str) -> list[_Row]:
    """Rows of an ECB reference-rate file; ImportFailed names the line of any problem."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ImportFailed(N_("document type declarations are not accepted in rate files"),
                           file=file, line=1)
    handler = _EcbHandler(file)
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(feature_external_ges, False)
    parser.setFeature(feature_external_pes, False)
    parser.setContentHandler(handler)
    try:
        parser.parse(io.BytesIO(data))  # parse() (not feed()) hands us the line locator
    except xml.sax.SAXParseException as exc:
        raise ImportFailed(N_("not well-formed XML (%(reason)s)"), file=file,
                           line=exc.getLineNumber(), reason=exc.getMessage()) from None
    if not handler.saw_envelope:
        raise ImportFailed(N_("not an ECB reference-rate file (no gesmes:Envelope element)"),
                           file=file, line=1)
    if not handler.rows:
        raise ImportFailed(N_("the file holds no exchange rates"), file=file)
    return handler.rows


def _decode_lines(data: bytes, file: str) -> str:
    """UTF-8 text (BOM allowed); a wrong encoding is reported with its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed(N_("the file is not UTF-8 text (save it as CSV UTF-8)"), file=file,
                           line=line) from None


CSV_LAYOUTS: dict[tuple[str, ...], str | None] = {
    ("date", "currency", "rate_per_usd"): "USD",
    ("date", "currency", "rate_per_eur"): "EUR",
    ("date", "base", "currency", "rate"): None,
}


def parse_fx_csv(data: bytes, file: str) -> list[_Row]:
    """Rows of a rate CSV in one of :data:`CSV_LAYOUTS`."""
    text = _decode_lines(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    records = rawfile.guarded(reader, file)  # a csv.Error (a 20 MB field) named, not raised
    try:
        header = next(records)
    except StopIteration:
        raise ImportFailed(N_("the file is empty"), file=file, line=1) from None
    columns = tuple(h.strip().lower() for h in header)
    if columns not in CSV_LAYOUTS:
        expected = " or ".join(",".join(c) for c in CSV_LAYOUTS)
        raise ImportFailed(N_("unexpected header %(header)r; expected %(expected)s"),
                           file=file, line=1, header=','.join(header), expected=expected)
    fixed_base = CSV_LAYOUTS[columns]
    rows: list[_Row] = []
    seen: set[tuple[str, str, date]] = set()
    for record in records:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(columns):
            raise ImportFailed(N_("expected %(n_columns)s fields, found %(n_record)s"),
                               file=file, line=line, n_columns=len(columns), n_record=len(record))
        values = dict(zip(columns, record, strict=True))
        rate_field = columns[-1]
        day = _parse_date(values["date"], file=file, line=line, field="date")
        base = fixed_base or _parse_currency(values["base"], file=file, line=line, field="base")
        currency = _parse_currency(values["currency"], file=file, line=line, field="currency")
        if currency == base:
            raise ImportFailed(N_("a rate of %(base)s against itself makes no sense"), file=file,
                               line=line, field="currency", base=base)
        rate = _parse_rate(values[rate_field], file=file, line=line, field=rate_field)
        key = (base, currency, day)
        if key in seen:
            raise ImportFailed(N_("duplicate rate for %(base)s→%(currency)s on %(day)s"),
                               file=file, line=line, base=base, currency=currency, day=day.isoformat())
        seen.add(key)
        rows.append(_Row(base, currency, rate, day))
    if not rows:
        raise ImportFailed(N_("the file holds no exchange rates"), file=file)
    return rows


def _store(db: Database, rows: list[_Row], *, name: str, source: str, licence: str,
           is_sample: bool = False, notes: str = "") -> FxImportResult:
    first = min(r.rate_date for r in rows)
    last = max(r.rate_date for r in rows)
    edition = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
    with db.transaction() as conn:
        dataset_id = record_dataset(conn, kind="fx", name=name, source=source, licence=licence,
                                    edition=edition, is_sample=is_sample, notes=notes)
        payload = [{"base": r.base, "currency": r.currency, "rate": r.rate,
                    "rate_date": r.rate_date, "dataset_id": dataset_id} for r in rows]
        for start in range(0, len(payload), BATCH):
            conn.execute(insert(fx_rates), payload[start:start + BATCH])
        set_row_count(conn, dataset_id, len(rows))
    return FxImportResult(dataset_id=dataset_id, rows=len(rows), first_date=first,
                          last_date=last, currencies=len({r.currency for r in rows}))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(N_("cannot read the file (%(strerror)s)"), file=str(path), strerror=exc.strerror) from None


def import_ecb_xml(db: Database, path: Path) -> FxImportResult:
    """Import an ECB ``eurofxref-daily.xml`` or ``eurofxref-hist.xml`` file."""
    rows = parse_ecb_xml(_read(path), str(path))
    return _store(db, rows, name=f"ECB euro reference rates ({path.name})", source=ECB_SOURCE,
                  licence=ECB_LICENCE)


def import_fx_csv(db: Database, path: Path, *, source: str = "", licence: str = "") -> FxImportResult:
    """Import a plain CSV of rates (see the module docstring for the accepted headers)."""
    rows = parse_fx_csv(_read(path), str(path))
    return _store(db, rows, name=f"Exchange rates ({path.name})",
                  source=source or f"operator file {path.name}",
                  licence=licence or "as supplied by the operator")


def store_sample_rates(db: Database, rows: list[tuple[str, str, float, date]],
                       notes: str) -> FxImportResult:
    """Store clearly-labelled SAMPLE rates (used by the SAMPLE tariff step)."""
    return _store(db, [_Row(b, c, r, d) for b, c, r, d in rows],
                  name="SAMPLE exchange rates", source="Tradewind SAMPLE generator (not real rates)",
                  licence="CC0-1.0", is_sample=True, notes=notes)

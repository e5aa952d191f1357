"""Importer for EU binding tariff information (BTI) exported from the EBTI database.

The public EBTI export is a CSV file, one decision per record (descriptions may span
several lines inside quotes), with the columns ``BTI_REFERENCE``, ``ISSUING_COUNTRY``,
``START_DATE_OF_VALIDITY``, ``END_DATE_OF_VALIDITY``, ``NOMENCLATURE_CODE``,
``CLASSIFICATION_JUSTIFICATION``, ``STATUS``, ``INVALIDATION_REASON``,
``INVALIDATION_JUSTIFICATION``, ``LANGUAGE``, ``PLACE_OF_ISSUE``, ``DATE_OF_ISSUE``,
``NAME_AND_ADDRESS``, ``DESCRIPTION_OF_GOODS`` and ``KEYWORDS``.  Dates are DD/MM/YYYY
(ISO dates are accepted too); codes are CN/TARIC codes, sometimes padded with ``*``
("7326909890****").  Header names are matched without case, spaces or doubled
underscores, and the separator may be a comma, semicolon or tab.

Only the first six digits (the HS subheading) are kept, mapped to HS 2022 by the edition
in force on the start of validity (see :mod:`tradewind.finder.rulings`).  The file is
checked completely before anything is written; a bad record names its line and field.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.rulings import ParsedRuling, RulingsImport, store_rulings
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile

REQUIRED = ("btireference", "nomenclaturecode", "descriptionofgoods", "startdateofvalidity")
MAX_DESCRIPTION = 20_000


def _key(header: str) -> str:
    return re.sub(r"[^a-z]", "", header.strip().lower())


def parse_date(value: str, *, file: str, line: int, field: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ImportFailed(N_("bad date %(text)r: expected DD/MM/YYYY"), file=file, line=line,
                       field=field, text=text)


def read_text(path: Path) -> str:
    name = str(path)
    raw = rawfile.read_bytes(path)
    rawfile.check_text(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFailed(N_("the file is neither UTF-8 nor Windows-1252 text"),
                               file=name, line=raw[: exc.start].count(b"\n") + 1) from exc
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=name)
    return text


def parse_ebti(path: Path) -> list[ParsedRuling]:
    """Every decision of an EBTI CSV export; raises ImportFailed naming file, line, field."""
    name = str(path)
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ImportFailed(N_("not a readable CSV file (%(reason)s)"), file=name, line=1, reason=exc) from exc
    keys = [_key(h) for h in header]
    missing = [k for k in REQUIRED if k not in keys]
    if missing:
        wanted = ", ".join(h for h in ("BTI_REFERENCE", "NOMENCLATURE_CODE",
                                       "DESCRIPTION_OF_GOODS", "START_DATE_OF_VALIDITY"))
        raise ImportFailed(N_("not an EBTI export: expected the columns %(wanted)s; found "
                           "%(value)s"), file=name, line=1, wanted=wanted, value=', '.join(h.strip() for h in header)[:300])
    col = {k: i for i, k in enumerate(keys)}
    out: list[ParsedRuling] = []
    seen: dict[str, int] = {}
    line = 1
    while True:
        start = reader.line_num + 1
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFailed(N_("broken CSV record (%(reason)s); is a quote left open?"),
                               file=name, line=start, reason=exc) from exc
        line = start
        if not any(cell.strip() for cell in rec):
            continue
        if len(rec) < len(header):
            raise ImportFailed(N_("%(n_rec)s fields where the header has %(n_header)s; is the "
                               "file truncated?"), file=name, line=line, n_rec=len(rec), n_header=len(header))

        def get(key: str, rec: list[str] = rec) -> str:
            i = col.get(key)
            return rec[i].strip() if i is not None and i < len(rec) else ""

        reference = get("btireference")
        if not reference:
            raise ImportFailed(N_("empty BTI reference"), file=name, line=line,
                               field="BTI_REFERENCE")
        if reference in seen:
            raise ImportFailed(N_("BTI reference %(reference)s appears twice (first on line "
                               "%(first_line)s)"), file=name, line=line,
                               field="BTI_REFERENCE", reference=reference, first_line=seen[reference])
        seen[reference] = line
        raw_code = get("nomenclaturecode")
        digits = re.sub(r"[\s.*]", "", raw_code)
        if not digits.isdigit() or len(digits) < 6:
            raise ImportFailed(N_("bad nomenclature code %(raw_code)r: expected 6 to 10 digits"),
                               file=name, line=line, field="NOMENCLATURE_CODE", raw_code=raw_code)
        description = " ".join(get("descriptionofgoods").split())
        if not description:
            raise ImportFailed(N_("empty description of goods"), file=name, line=line,
                               field="DESCRIPTION_OF_GOODS")
        valid_from = parse_date(get("startdateofvalidity"), file=name, line=line,
                                field="START_DATE_OF_VALIDITY")
        if valid_from is None:
            raise ImportFailed(N_("empty start date of validity"), file=name, line=line,
                               field="START_DATE_OF_VALIDITY")
        valid_to = parse_date(get("enddateofvalidity"), file=name, line=line,
                              field="END_DATE_OF_VALIDITY")
        if valid_to is not None and valid_to < valid_from:
            raise ImportFailed(N_("end of validity before its start"), file=name, line=line,
                               field="END_DATE_OF_VALIDITY")
        issued = parse_date(get("dateofissue"), file=name, line=line, field="DATE_OF_ISSUE")
        status_text = get("status").lower()
        status = "invalid" if status_text.startswith("inval") or get("invalidationreason") \
            else "valid"
        country = get("issuingcountry").upper()[:2] or reference[:2].upper()
        out.append(ParsedRuling(
            line=line, reference=reference[:80], description=description[:MAX_DESCRIPTION],
            codes=[digits[:10]], ruling_date=issued or valid_from, valid_from=valid_from,
            valid_to=valid_to, status=status, country=country if country.isalpha() else None,
            keywords=" ".join(get("keywords").split())[:2000]))
    if not out:
        raise ImportFailed(N_("the file holds no BTI decisions"), file=name)
    return out


def import_rulings_eu(db: Database, path: Path, *, name: str | None = None,
                      source: str | None = None,
                      licence: str = "European Commission reuse policy (Decision 2011/833/EU)"
                      ) -> RulingsImport:
    """Check and import an EBTI export, atomically, replacing an import of the same name."""
    parsed = parse_ebti(path)
    return store_rulings(
        db, str(path), parsed, authority="EU", name=name or f"EU BTI ({path.name})",
        source=source or f"EBTI database export, file {path.name}", licence=licence,
        notes="European binding tariff information: reference, validity, description and "
              "code; first 6 digits kept and mapped to HS 2022.")

"""Importer for US customs rulings (CBP's Customs Rulings Online Search System, CROSS).

CROSS returns rulings as JSON: a list of objects (or an object whose ``rulings`` key holds
the list) with ``rulingNumber``, ``rulingDate`` (ISO date-time), ``subject``, ``tariffs``
(HTS numbers such as ``"6109.10.0012"``), ``collection`` (``HQ``/``NY``), and the links
``revokedBy``, ``modifiedBy``, ``isRevokedByOperationalLaw`` / ``operationallyRevoked``.
A CSV with the same names as columns (``tariffs`` separated by ``;``, ``|`` or ``,``) is
accepted too.  Rulings that name no tariff number (marking, valuation, carriers…) are
counted and skipped.

A revoked ruling is kept with status ``revoked`` (shown, never as in force); a modified
one with status ``modified``.  Codes keep their first six digits, mapped to HS 2022 by
the edition in force on the ruling date (see :mod:`tradewind.finder.rulings`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.rulings import ParsedRuling, RulingsImport, store_rulings
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.ingest.rulings_eu import read_text

MAX_DESCRIPTION = 20_000
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


def _line_of(text: str, needle: str) -> int:
    pos = text.find(json.dumps(needle))
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 1


def _date(value: object, *, file: str, line: int) -> date:
    text = str(value or "").strip()
    try:
        m = _DATE.match(text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _US_DATE.match(text)  # CROSS pages show 6/15/2023
        if m:
            return date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        pass
    raise ImportFailed(N_("bad ruling date %(text)r: expected YYYY-MM-DD"), file=file, line=line,
                       field="rulingDate", text=text)


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y")
    return bool(value)


def _record(item: dict[str, Any], *, file: str, line: int) -> ParsedRuling | None:
    reference = str(item.get("rulingNumber") or "").strip()
    if not reference:
        raise ImportFailed(N_("ruling without a rulingNumber"), file=file, line=line,
                           field="rulingNumber")
    tariffs = item.get("tariffs") or []
    if isinstance(tariffs, str):
        tariffs = [t for t in re.split(r"[;|,]", tariffs) if t.strip()]
    if not isinstance(tariffs, list):
        raise ImportFailed(N_("tariffs of %(reference)s must be a list of HTS numbers"),
                           file=file, line=line, field="tariffs", reference=reference)
    codes = []
    for tariff in tariffs:
        digits = re.sub(r"[\s.]", "", str(tariff))
        if not digits.isdigit() or len(digits) < 6:
            raise ImportFailed(N_("bad tariff number %(tariff)r in %(reference)s: expected an HTS "
                               "number such as 6109.10.0012"), file=file, line=line,
                               field="tariffs", tariff=tariff, reference=reference)
        codes.append(digits[:10])
    description = " ".join(str(item.get("subject") or "").split())
    if not description:
        raise ImportFailed(N_("ruling %(reference)s has an empty subject"), file=file, line=line,
                           field="subject", reference=reference)
    day = _date(item.get("rulingDate"), file=file, line=line)
    if not codes:
        return None
    revoked = bool(item.get("revokedBy")) or _truthy(item.get("isRevokedByOperationalLaw")) \
        or _truthy(item.get("operationallyRevoked"))
    status = "revoked" if revoked else "modified" if item.get("modifiedBy") else "valid"
    return ParsedRuling(line=line, reference=reference[:80], description=description[
        :MAX_DESCRIPTION], codes=codes, ruling_date=day, valid_from=day, valid_to=None,
        status=status, country="US")


def parse_cross(path: Path) -> tuple[list[ParsedRuling], int]:
    """(rulings with a tariff number, count of rulings without one)."""
    name = str(path)
    text = read_text(path)
    items: list[tuple[dict[str, Any], int]] = []
    if text.lstrip()[:1] in "[{":
        data = rawfile.parse_json(text, name)
        if isinstance(data, dict):
            data = data.get("rulings")
        if not isinstance(data, list):
            raise ImportFailed(N_("expected a JSON list of rulings (or an object with "
                               '"rulings")'), file=name, line=1)
        for item in data:
            if not isinstance(item, dict):
                raise ImportFailed(N_("each ruling must be a JSON object"), file=name, line=1)
            items.append((item, _line_of(text, str(item.get("rulingNumber") or ""))))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            fields = {f.strip() for f in reader.fieldnames or []}
        except csv.Error as exc:
            raise rawfile.csv_failure(exc, name, 1) from exc
        if not {"rulingNumber", "rulingDate", "subject", "tariffs"} <= fields:
            raise ImportFailed(N_("expected CROSS columns rulingNumber, rulingDate, subject, "
                               "tariffs; found %(fields)s"),
                               file=name, line=1, fields=', '.join(sorted(fields))[:300])
        try:
            for row in reader:
                items.append(({k.strip(): v for k, v in row.items() if k}, reader.line_num))
        except csv.Error as exc:
            raise rawfile.csv_failure(exc, name, reader.line_num) from exc
    out: list[ParsedRuling] = []
    without = 0
    seen: dict[str, int] = {}
    for item, line in items:
        rec = _record(item, file=name, line=line)
        if rec is None:
            without += 1
            continue
        if rec.reference in seen:
            raise ImportFailed(N_("ruling %(reference)s appears twice"), file=name, line=line,
                               field="rulingNumber", reference=rec.reference)
        seen[rec.reference] = line
        out.append(rec)
    if not out:
        raise ImportFailed(N_("the file holds no classification rulings with a tariff number"),
                           file=name)
    return out, without


def import_rulings_us(db: Database, path: Path, *, name: str | None = None,
                      source: str | None = None,
                      licence: str = "US federal government work (public domain)"
                      ) -> tuple[RulingsImport, int]:
    """Check and import a CROSS export atomically; returns the report and the number of
    rulings skipped because they name no tariff number."""
    parsed, without = parse_cross(path)
    report = store_rulings(
        db, str(path), parsed, authority="US", name=name or f"US CBP rulings ({path.name})",
        source=source or f"CBP CROSS export, file {path.name}", licence=licence,
        notes="US Customs and Border Protection rulings: number, date, subject and HTS "
              "numbers; first 6 digits kept and mapped to HS 2022.")
    return report, without

"""Importer for the WTO Regional Trade Agreements database export (RTA-IS "AllRTAs").

The export (``AllRTAs.xlsx``, or the same table saved as CSV) has one row per RTA with the
columns ``RTA ID, RTA Name, Coverage, Type, Status, Notification under, Date of notification
(G), Date of Signature (G), Date of Entry into Force (G), Inactive Date, Current signatories,
Original signatories, Accession?, RTA Composition, Region, …`` (goods dates "(G)", services
"(S)").  Signatories are separated by ";" and named as the WTO names members ("European
Union", "Korea, Republic of", "Chinese Taipei"…).  Dates are written ``01-Jan-1994`` in the
CSV export (``1994-01-01`` also accepted; real dates in the XLSX).

Parties are the current signatories; original signatories that are no longer current are
recorded with an exit date equal to the inactive date when known, else left open-ended with
a note.  An optional ``Specific Entry/Exit dates`` column ("Croatia: Entry 01-Jul-2013;
United Kingdom: Exit 31-Jan-2020") sets per-party dates.  Status "Inactive" sets
``end_date`` from ``Inactive Date``.  Atomic; a re-import replaces the previous WTO RTA import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select

from tradewind.agreements.economies import economy_code
from tradewind.agreements.models import agreements
from tradewind.agreements.store import PartyIn, create_agreement
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import workbook
from tradewind.tariffs.csvfile import CsvFile, parse_date

SOURCE = "wto-rta"
KIND = "agreements"
REQUIRED = ("RTA ID", "RTA Name", "Coverage", "Type", "Status",
            "Date of Entry into Force (G)", "Current signatories")
TYPES = {"FTA": "free trade area", "CU": "customs union", "PSA": "partial scope agreement",
         "EIA": "economic integration agreement"}
STATUSES = {"in force": "in force", "inactive": "inactive",
            "in force for at least one party": "in force",
            "early announcement-signed": "signed", "early announcement-under negotiation":
            "under negotiation", "signed": "signed"}


@dataclass(frozen=True)
class RtaImport:
    dataset_id: int
    agreements: int
    parties: int


def _type(text: str, file: str, line: int) -> str:
    parts = [p.strip().upper() for p in re.split(r"\s*&\s*|\s*,\s*", text) if p.strip()]
    if not parts or any(p not in TYPES for p in parts):
        raise ImportFailed(N_("unknown RTA type %(text)r (expected FTA, CU, PSA, EIA or "
                           "combinations such as 'FTA & EIA')"), file=file, line=line,
                           field="Type", text=text)
    return " & ".join(TYPES[p] for p in parts)


def _date(value: str, file: str, line: int, field: str) -> date | None:
    return parse_date(value, file=file, line=line, field=field)


def _parties(text: str, file: str, line: int, field: str) -> list[str]:
    out = []
    for name in [n.strip() for n in re.split(r";|\n", text) if n.strip()]:
        try:
            out.append(economy_code(name))
        except InvalidInput:
            raise ImportFailed(N_("unknown signatory %(name)r"), file=file, line=line,
                               field=field, name=name) from None
    return out


def _specific_dates(text: str, file: str, line: int) -> dict[str, dict[str, date]]:
    out: dict[str, dict[str, date]] = {}
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        m = re.match(r"^(?P<name>.+?):\s*(?P<kind>Entry|Exit)\s+(?P<date>.+)$", part, re.I)
        if not m:
            raise ImportFailed(N_("cannot read %(part)r (expected 'Name: Entry DD-Mon-YYYY')"),
                               file=file, line=line, field="Specific Entry/Exit dates", part=part)
        try:
            code = economy_code(m.group("name"))
        except InvalidInput:
            raise ImportFailed(N_("unknown party %(group)r"), file=file, line=line,
                               field="Specific Entry/Exit dates", group=m.group('name')) from None
        when = _date(m.group("date"), file, line, "Specific Entry/Exit dates")
        if when is not None:
            out.setdefault(code, {})[m.group("kind").lower()] = when
    return out


def _xlsx_to_csv(path: Path) -> str:
    """The AllRTAs sheet (or the first) as CSV text, dates written ISO."""
    book = workbook.open_workbook(path)
    if not book.sheetnames:
        raise ImportFailed(N_("the workbook has no sheet"), file=str(path))
    sheet = book["AllRTAs"] if "AllRTAs" in book.sheetnames else book.worksheets[0]
    workbook.refuse_problem_cells(sheet, str(path))
    out = io.StringIO()
    writer = csv.writer(out)
    for _number, row in workbook.sheet_rows(sheet, str(path)):
        writer.writerow(["" if v is None else v.date().isoformat() if isinstance(v, datetime)
                         else v.isoformat() if isinstance(v, date) else str(v) for v in row])
    return out.getvalue()


def _read(path: Path) -> list[dict[str, Any]]:
    text = _xlsx_to_csv(path) if path.suffix.lower() == ".xlsx" else None
    src = CsvFile(path, [c.lower() for c in REQUIRED], text=text)
    rows = []
    seen: dict[str, int] = {}
    for line, row in src:
        rta_id = row["rta id"]
        if not rta_id.isdigit():
            raise src.fail(N_("bad RTA ID %(rta_id)r"), line, "RTA ID", rta_id=rta_id)
        if rta_id in seen:
            raise src.fail(N_("duplicate RTA ID %(rta_id)s (first on line %(first_line)s)"), line,
                           "RTA ID", rta_id=rta_id, first_line=seen[rta_id])
        seen[rta_id] = line
        status_text = row["status"].strip()
        status = STATUSES.get(status_text.lower())
        if status is None:
            raise src.fail(N_("unknown status %(status_text)r"), line, "Status", status_text=status_text)
        current = _parties(row["current signatories"], src.name, line, "Current signatories")
        if len(current) < 2 and status != "inactive":
            raise src.fail(N_("an agreement needs at least two current signatories"), line,
                           "Current signatories")
        original = _parties(row.get("original signatories", ""), src.name, line,
                            "Original signatories")
        entry = _date(row["date of entry into force (g)"], src.name, line,
                      "Date of Entry into Force (G)") or _date(
            row.get("date of entry into force (s)", ""), src.name, line,
            "Date of Entry into Force (S)")
        inactive = _date(row.get("inactive date", ""), src.name, line, "Inactive Date")
        if len(row["coverage"]) > 40 or len(row["rta name"]) > 400:
            raise src.fail(N_("Coverage or RTA Name is too long"), line, "Coverage")
        rows.append({
            "line": line, "id": rta_id, "name": row["rta name"],
            "coverage": row["coverage"], "type": _type(row["type"], src.name, line),
            "status": status, "status_text": status_text,
            "signed": _date(row.get("date of signature (g)", ""), src.name, line,
                            "Date of Signature (G)"),
            "entry": entry, "inactive": inactive, "current": current, "original": original,
            "notified_under": row.get("notification under", ""),
            "specific": _specific_dates(row.get("specific entry/exit dates", ""), src.name,
                                        line),
            "accession": row.get("accession?", ""),
            "composition": row.get("rta composition", ""),
            "remarks": row.get("remarks", "")})
    if not rows:
        raise ImportFailed(N_("no agreements in the file"), file=src.name, line=1)
    return rows


def _replace_previous(conn: Connection) -> None:
    old = [r[0] for r in conn.execute(select(agreements.c.dataset_id).where(
        agreements.c.source == SOURCE, agreements.c.dataset_id.is_not(None)).distinct())]
    conn.execute(delete(agreements).where(agreements.c.source == SOURCE))
    if old:
        conn.execute(delete(datasets).where(datasets.c.id.in_(old)))


def import_wto_rta(db: Database, path: Path) -> RtaImport:
    """Import a WTO RTA-IS export (.csv or .xlsx); replaces the previous WTO RTA import."""
    rows = _read(Path(path))
    total = 0
    with db.transaction() as conn:
        _replace_previous(conn)
        dataset_id = record_dataset(
            conn, kind=KIND, name="WTO Regional Trade Agreements database",
            source=f"WTO RTA-IS export ({Path(path).name}), https://rtais.wto.org",
            licence="WTO terms of use", edition=Path(path).stem)
        for r in rows:
            specific = r["specific"]
            parties = []
            for code in dict.fromkeys(r["current"]):
                dates = specific.get(code, {})
                parties.append(PartyIn(code, dates.get("entry"), dates.get("exit")))
            for code in dict.fromkeys(r["original"]):
                if code not in r["current"]:
                    dates = specific.get(code, {})
                    exit_ = dates.get("exit") or r["inactive"]
                    parties.append(PartyIn(code, dates.get("entry"), exit_))
            total += len(parties)
            notes = "; ".join(x for x in (
                f"notified under {r['notified_under']}" if r["notified_under"] else "",
                f"WTO status: {r['status_text']}",
                r["composition"], r["remarks"]) if x)
            create_agreement(
                conn, code=f"rta:{r['id']}", name=r["name"], type=r["type"],
                status=r["status"], parties=parties, coverage=r["coverage"].lower(),
                signed_date=r["signed"], entry_into_force=r["entry"],
                end_date=r["inactive"] if r["status"] == "inactive" else None,
                wto_notified=bool(r["notified_under"]),
                legal_text_url=f"https://rtais.wto.org/UI/PublicShowMemberRTAIDCard.aspx?rtaid={r['id']}",
                source=SOURCE, notes=notes, dataset_id=dataset_id)
        set_row_count(conn, dataset_id, len(rows))
    return RtaImport(dataset_id, len(rows), total)

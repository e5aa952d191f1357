"""Importer for the DESTA list of preferential trade agreements (Dür, Baccini & Elsig).

``desta_list_of_treaties_02_02.csv``: one row per treaty event — ``number, base_treaty, name,
entry_type (base_treaty | accession | withdrawal | protocol or amendment | consolidated |
negotiation), consolidated, year, entryforceyear, language, typememb, regioncon, wto_listed,
wto_name, c1..cN`` (members as UN M49 numeric codes) and ``mc1..mcN`` (per-member markers;
in a withdrawal, 1 marks the countries that leave).

Base treaties become agreements (code ``desta:<number>``) with their members as parties.
Accessions (and protocols in force) add the countries that were not yet parties, from their
year of entry into force; accessions and withdrawals may refer to a protocol, which refers to
its base treaty;
withdrawals end the membership of the marked countries.  DESTA gives years only: entry dates
are set to 1 January of the year and exits to 31 December.  Treaties without an entry-into-
force year are recorded with status "signed" (not treated as in force); negotiations and
consolidated versions do not change membership and are skipped (counted).

The optional dyads file (``…_dyads.csv``) is cross-checked: each dyad must name a treaty of
the list.  Atomic: a re-import replaces the previous DESTA import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Connection, delete, select

from tradewind.agreements.models import agreements
from tradewind.agreements.store import PartyIn, create_agreement
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.tariffs.csvfile import CsvFile

KIND = "agreements"
SOURCE = "desta"
REQUIRED = ("number", "base_treaty", "name", "entry_type", "year", "entryforceyear",
            "typememb", "regioncon", "wto_listed", "c1")
DYAD_REQUIRED = ("iso1", "iso2", "number", "base_treaty")
ENTRY_TYPES = {"base_treaty", "accession", "withdrawal", "protocol or amendment",
               "consolidated", "negotiation"}
#: M49-style codes DESTA uses that ISO 3166 does not have.
EXTRA_CODES = {"900": "XKX"}  # Kosovo
MEMBERSHIP = {"1": "bilateral", "2": "plurilateral", "3": "plurilateral and third country",
              "4": "region–region", "5": "accession", "6": "plurilateral", "7": "withdrawal"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DestaImport:
    dataset_id: int
    agreements: int
    parties: int
    accessions: int
    withdrawals: int
    skipped: int
    dyads_checked: int


def m49_to_iso3(code: str, *, file: str, line: int, field: str) -> str:
    code = code.strip().lstrip("0") or "0"
    if code in EXTRA_CODES:
        return EXTRA_CODES[code]
    country = pycountry.countries.get(numeric=code.zfill(3))
    if country is None:
        historic = pycountry.historic_countries.get(numeric=code.zfill(3))
        if historic is None:
            raise ImportFailed(N_("unknown M49 country code %(code_text)r"), file=file, line=line,
                               field=field, code_text=code)
        return str(historic.alpha_3)
    return str(country.alpha_3)


def _year(text: str, *, file: str, line: int, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2100:
        raise ImportFailed(N_("bad year %(text)r"), file=file, line=line, field=field, text=text)
    return int(text)


def _read(path: Path) -> list[dict[str, Any]]:
    src = CsvFile(path, REQUIRED)
    member_cols = sorted((c for c in src.columns if re.fullmatch(r"c\d+", c)),
                         key=lambda c: int(c[1:]))
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in src:
        number = row["number"]
        if not number:
            raise src.fail(N_("treaty number missing"), line, "number")
        if number in seen:
            raise src.fail(N_("duplicate treaty number %(number)s (first on line %(first_line)s)"),
                           line, "number", number=number, first_line=seen[number])
        seen[number] = line
        entry_type = row["entry_type"].strip().lower()
        if entry_type not in ENTRY_TYPES:
            raise src.fail(N_("unknown entry_type %(entry_type)r"), line, "entry_type", entry_type=row['entry_type'])
        members: list[tuple[str, str]] = []
        for col in member_cols:
            value = row.get(col, "")
            if value:
                iso3 = m49_to_iso3(value, file=src.name, line=line, field=col)
                members.append((iso3, row.get("m" + col, "")))
        rows.append({
            "line": line, "number": number, "base": row["base_treaty"] or number,
            "name": row["name"], "entry_type": entry_type,
            "year": _year(row["year"], file=src.name, line=line, field="year"),
            "in_force": _year(row["entryforceyear"], file=src.name, line=line,
                              field="entryforceyear"),
            "typememb": row["typememb"], "region": row["regioncon"],
            "wto_listed": row["wto_listed"] == "1", "wto_name": row.get("wto_name", ""),
            "members": members})
    if not rows:
        raise ImportFailed(N_("no treaties in the file"), file=src.name, line=1)
    by_number = {r["number"]: r for r in rows}
    for r in rows:
        if r["entry_type"] == "base_treaty" and len({m for m, _ in r["members"]}) < 2:
            raise ImportFailed(N_("a treaty needs at least two members"), file=src.name,
                               line=r["line"], field="c1")
        # accessions and withdrawals may refer to a protocol, which refers to its base treaty
        root, hops = r["base"], 0
        while root in by_number and by_number[root]["entry_type"] != "base_treaty" \
                and by_number[root]["base"] != root and hops < 20:
            root, hops = by_number[root]["base"], hops + 1
        if r["entry_type"] in ("accession", "withdrawal", "protocol or amendment") and (
                root not in by_number or by_number[root]["entry_type"] != "base_treaty"):
            raise ImportFailed(N_("%(entry_type)s refers to unknown base treaty "
                                   "%(base)s"), file=src.name, line=r["line"],
                                   field="base_treaty", entry_type=r['entry_type'], base=r['base'])
        r["root"] = root if r["entry_type"] != "base_treaty" else r["number"]
    return rows


def _check_dyads(path: Path, numbers: set[str]) -> int:
    src = CsvFile(path, DYAD_REQUIRED)
    count = 0
    for line, row in src:
        if row["number"] not in numbers:
            raise src.fail(N_("dyad refers to treaty %(number)r, not in the treaty list"),
                           line, "number", number=row['number'])
        for field in ("iso1", "iso2"):
            m49_to_iso3(row[field], file=src.name, line=line, field=field)
        count += 1
    return count


def _replace_previous(conn: Connection) -> None:
    old = [r[0] for r in conn.execute(select(agreements.c.dataset_id).where(
        agreements.c.source == SOURCE, agreements.c.dataset_id.is_not(None)).distinct())]
    conn.execute(delete(agreements).where(agreements.c.source == SOURCE))
    if old:
        conn.execute(delete(datasets).where(datasets.c.id.in_(old)))


def import_desta(db: Database, path: Path, dyads: Path | None = None,
                 progress: Progress | None = None) -> DestaImport:
    """Import the DESTA treaty list (and cross-check the dyads file when given)."""
    rows = _read(Path(path))
    dyad_count = _check_dyads(Path(dyads), {r["number"] for r in rows}) if dyads else 0
    bases = [r for r in rows if r["entry_type"] == "base_treaty"]
    changes = sorted((r for r in rows if r["entry_type"] in ("accession", "withdrawal",
                                                            "protocol or amendment")),
                     key=lambda r: (r["in_force"] or r["year"] or 0, r["line"]))
    skipped = len(rows) - len(bases) - len(changes)

    # membership over time: base number → {iso3: [entry, exit]}
    parties: dict[str, dict[str, list[date | None]]] = {}
    for r in bases:
        start = date(r["in_force"], 1, 1) if r["in_force"] else None
        parties[r["number"]] = {m: [start, None] for m, _ in r["members"]}
    accessions = withdrawals = 0
    for r in changes:
        members = parties[r["root"]]
        year = r["in_force"] or r["year"]
        if r["entry_type"] in ("accession", "protocol or amendment"):
            if r["in_force"] is None:
                continue  # accession not (yet) in force
            for iso3, _marker in r["members"]:
                if iso3 not in members or members[iso3][1] is not None:
                    members[iso3] = [date(year, 1, 1), None]
                    accessions += 1
        else:
            leaving = [m for m, marker in r["members"] if marker == "1"]
            for iso3 in leaving:
                if iso3 in members and year is not None:
                    members[iso3][1] = date(year, 12, 31)
                    withdrawals += 1

    total_parties = 0
    with db.transaction() as conn:
        _replace_previous(conn)
        dataset_id = record_dataset(
            conn, kind=KIND, name="DESTA list of preferential trade agreements",
            source=f"Design of Trade Agreements (DESTA) database, {Path(path).name}",
            licence="DESTA terms of use (academic database; cite Dür, Baccini & Elsig 2014)",
            edition=Path(path).stem, notes="Dates are years only (1 January / 31 December).")
        for i, r in enumerate(bases):
            start = date(r["in_force"], 1, 1) if r["in_force"] else None
            plist = [PartyIn(m, entry if entry != start else None, exit_)
                     for m, (entry, exit_) in sorted(parties[r["number"]].items())]
            total_parties += len(plist)
            create_agreement(
                conn, code=f"desta:{r['number']}", name=r["name"],
                type="preferential trade agreement",
                status="in force" if r["in_force"] else "signed",
                parties=plist, coverage="goods",
                signed_date=date(r["year"], 1, 1) if r["year"] else None,
                entry_into_force=start, wto_notified=r["wto_listed"], source=SOURCE,
                notes="; ".join(x for x in (
                    "membership: " + MEMBERSHIP.get(r["typememb"], r["typememb"] or "unknown"),
                    f"WTO name: {r['wto_name']}" if r["wto_name"] else "",
                    f"region: {r['region']}" if r["region"] else "") if x),
                dataset_id=dataset_id)
            if progress and i % 100 == 0:
                progress(i, len(bases))
        set_row_count(conn, dataset_id, len(bases))
    if progress:
        progress(len(bases), len(bases))
    return DestaImport(dataset_id, len(bases), total_parties, accessions, withdrawals, skipped,
                       dyad_count)

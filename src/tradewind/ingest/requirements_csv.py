"""Importer for the Tradewind requirements CSV template (docs/requirements.md).

One row per measure (``src/tradewind/requirements/template.csv``)::

    economy, mast_code, hs_codes, origins, title, summary, legal_reference, source_url,
    agency, valid_from, valid_to, documents

* ``economy``: the imposing economy, ISO3 (``KEN``) or a group code (``EUN``);
* ``mast_code``: a UNCTAD MAST code such as ``A83`` or ``B31`` (finer codes under a known one
  are accepted);
* ``hs_codes``: HS codes of 2, 4, 6, 8 or 10 digits separated by spaces or semicolons;
* ``origins``: ISO3 codes separated by spaces or semicolons; blank = every origin;
* ``documents``: document names separated by semicolons.

Everything is validated before anything is written and the import is one transaction: a
re-import replaces the previous template import for the same economies.  A ``measure.new``
change event is recorded per measure in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tradewind.agreements.economies import economy_code
from tradewind.changes.events import ChangeEvent, record
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.requirements import mast
from tradewind.requirements.models import (
    measure_documents,
    measure_origins,
    measure_products,
    measures,
)
from tradewind.tariffs.csvfile import CsvFile, parse_date

KIND = "requirements"
COLUMNS = ("economy", "mast_code", "hs_codes", "origins", "title", "summary",
           "legal_reference", "source_url", "agency", "valid_from", "valid_to", "documents")
REQUIRED = COLUMNS
LIMITS = {"title": 400, "legal_reference": 400, "agency": 200}


@dataclass
class MeasureIn:
    line: int
    economy: str
    mast_code: str
    hs_codes: list[str]
    origins: list[str]
    title: str
    summary: str
    legal_reference: str
    source_url: str
    agency: str
    valid_from: date | None
    valid_to: date | None
    documents: list[str]
    hs_edition: str = "HS2022"


@dataclass
class RequirementsImport:
    dataset_id: int
    measures: int
    economies: list[str]


def _split(text: str, pattern: str = r"[;\s]+") -> list[str]:
    return [part for part in re.split(pattern, text or "") if part.strip()]


def _economy(src: CsvFile, text: str, line: int, column: str) -> str:
    try:
        return economy_code(text)
    except InvalidInput:
        raise src.fail(N_("unknown economy %(text)r (use ISO3 codes such as KEN, or EUN)"),
                       line, column, text=text) from None


def parse_row(src: CsvFile, line: int, row: dict[str, str]) -> MeasureIn:
    if not row["economy"]:
        raise src.fail(N_("economy missing"), line, "economy")
    economy = _economy(src, row["economy"], line, "economy")
    code = mast.normalise_code(row["mast_code"])
    if not code:
        raise src.fail(N_("mast_code missing"), line, "mast_code")
    if not mast.is_known(code):
        raise src.fail(N_("unknown MAST code %(mast_code)r (use codes such as A83 or B31)"),
                       line, "mast_code", mast_code=row['mast_code'])
    hs: list[str] = []
    for raw in _split(row["hs_codes"]):
        digits = raw.replace(".", "")
        if not re.fullmatch(r"\d+", digits) or len(digits) not in (2, 4, 6, 8, 10):
            raise src.fail(N_("bad HS code %(value)r (2, 4, 6, 8 or 10 digits)"), line, "hs_codes", value=raw)
        if digits not in hs:
            hs.append(digits)
    if not hs:
        raise src.fail(N_("hs_codes missing (at least one HS code)"), line, "hs_codes")
    origins: list[str] = []
    for raw in _split(row["origins"]):
        origin = _economy(src, raw, line, "origins")
        if origin not in origins:
            origins.append(origin)
    if not row["title"]:
        raise src.fail(N_("title missing"), line, "title")
    for column, limit in LIMITS.items():
        if len(row[column]) > limit:
            raise src.fail(N_("%(column)s is longer than %(limit)s characters"), line, column, column=column, limit=limit)
    url = row["source_url"]
    if url and not re.match(r"https?://", url):
        raise src.fail(N_("source_url %(url)r must start with http:// or https://"), line,
                       "source_url", url=url)
    start = parse_date(row["valid_from"], file=src.name, line=line, field="valid_from")
    end = parse_date(row["valid_to"], file=src.name, line=line, field="valid_to")
    if start and end and end < start:
        raise src.fail(N_("valid_to %(end)s is before valid_from %(start)s"), line, "valid_to", end=end, start=start)
    documents = [d.strip()[:300] for d in _split(row["documents"], r";") if d.strip()]
    edition = row.get("hs_edition", "") or "HS2022"
    return MeasureIn(line, economy, code, hs, origins, row["title"], row["summary"],
                     row["legal_reference"], url, row["agency"], start, end, documents,
                     edition[:10])


def read_measures(path: Path) -> list[MeasureIn]:
    src = CsvFile(path, REQUIRED)
    rows = [parse_row(src, line, row) for line, row in src]
    if not rows:
        raise ImportFailed(N_("no measures in the file"), file=src.name, line=1)
    return rows


def common_hs_prefix(codes: list[str]) -> str | None:
    """The longest even-length (2+ digit) prefix shared by ``codes`` (an event's product);
    None when they share no chapter (the event then names every code in ``details``)."""
    prefix = codes[0] if codes else ""
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    prefix = prefix[: len(prefix) // 2 * 2]
    return prefix or None


def write_measures(conn: Connection, dataset_id: int, items: list[MeasureIn], *,
                   events: bool = True) -> int:
    """Insert measures of ``dataset_id`` (caller's transaction); one event per measure."""
    recorded: list[ChangeEvent] = []
    for item in items:
        measure_id = conn.execute(insert(measures).values(
            dataset_id=dataset_id, economy=item.economy, mast_code=item.mast_code,
            title=item.title, summary=item.summary, legal_reference=item.legal_reference,
            source_url=item.source_url, agency=item.agency, valid_from=item.valid_from,
            valid_to=item.valid_to, origins_scope="list" if item.origins else "all",
            hs_edition=item.hs_edition).returning(measures.c.id)).scalar_one()
        conn.execute(insert(measure_products), [
            {"measure_id": measure_id, "hs_code": code} for code in item.hs_codes])
        if item.origins:
            conn.execute(insert(measure_origins), [
                {"measure_id": measure_id, "economy": o} for o in item.origins])
        if item.documents:
            conn.execute(insert(measure_documents), [
                {"measure_id": measure_id, "name": d} for d in item.documents])
        recorded.append(ChangeEvent(
            "measure.new", item.title, market=item.economy,
            hs_code=common_hs_prefix(item.hs_codes),
            effective_date=item.valid_from, reference=f"measure:{measure_id}",
            details={"mast_code": item.mast_code, "hs_codes": item.hs_codes,
                     "origins": item.origins}, dataset_id=dataset_id))
    if events and recorded:
        record(conn, recorded)
    return len(items)


def _replace(conn: Connection, economies: set[str]) -> None:
    old = {r[0] for r in conn.execute(
        select(measures.c.dataset_id).join(datasets, datasets.c.id == measures.c.dataset_id)
        .where(measures.c.economy.in_(economies), datasets.c.kind == KIND,
               datasets.c.is_sample.is_(False)))}
    if not old:
        return
    conn.execute(delete(measures).where(measures.c.dataset_id.in_(old),
                                        measures.c.economy.in_(economies)))
    for dataset_id in old:
        if conn.execute(select(measures.c.id).where(
                measures.c.dataset_id == dataset_id)).first() is None:
            conn.execute(delete(datasets).where(datasets.c.id == dataset_id))


def import_requirements_csv(db: Database, path: Path, *, source: str = "", licence: str = "",
                            edition: str = "") -> RequirementsImport:
    """Import measures filled in the Tradewind requirements template (all or nothing)."""
    path = Path(path)
    items = read_measures(path)
    economies = {i.economy for i in items}
    with db.transaction() as conn:
        _replace(conn, economies)
        dataset_id = record_dataset(
            conn, kind=KIND, name=f"Requirements ({', '.join(sorted(economies))})",
            source=source or f"Tradewind requirements template {path.name}",
            licence=licence or "as stated by the publisher", edition=edition or path.stem,
            row_count=len(items))
        write_measures(conn, dataset_id, items)
    return RequirementsImport(dataset_id, len(items), sorted(economies))



"""Importer for the advisor-filled procedures and documents CSV (docs/requirements.md).

One row per procedure step (``record=step``) or shipment document (``record=document``) of a
market (``src/tradewind/procedures/template.csv``)::

    record, economy, position, code, kind, title, title_fr, title_es, description,
    description_fr, description_es, agency, condition, condition_fr, condition_es, hs_codes,
    days_min, days_max, fee, glossary, help_service, help_organisation, source_url, aliases

``record``, ``economy``, ``kind``, ``title`` and ``description`` are required; other columns
may be left out.  For a document, ``agency`` is who issues it and ``code`` (a slug such as
``commercial-invoice``) is required.  Everything is validated before anything is written;
the import is one transaction and replaces the procedures previously stored for the same
economies (SAMPLE included), with provenance in ``datasets`` (kind ``procedures``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tradewind.agreements.economies import economy_code
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.procedures.models import (
    DOCUMENT_KINDS,
    STEP_KINDS,
    procedure_documents,
    procedure_steps,
)
from tradewind.tariffs.csvfile import CsvFile

KIND = "procedures"
REQUIRED = ("record", "economy", "kind", "title", "description")
OPTIONAL = ("position", "code", "title_fr", "title_es", "description_fr", "description_es",
            "agency", "condition", "condition_fr", "condition_es", "hs_codes", "days_min",
            "days_max", "fee", "glossary", "help_service", "help_organisation", "source_url",
            "aliases")
LIMITS = {"title": 300, "title_fr": 300, "title_es": 300, "agency": 300, "condition": 400,
          "condition_fr": 400, "condition_es": 400, "fee": 120, "help_organisation": 300,
          "aliases": 600, "code": 80}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class ProcedureRowIn:
    """One validated row (a step or a document)."""

    line: int
    record: str  # step | document
    economy: str
    position: int
    kind: str
    title: str
    description: str
    code: str = ""
    agency: str = ""
    condition: str = ""
    hs_scope: str = ""
    days_min: int | None = None
    days_max: int | None = None
    fee: str = ""
    glossary: str = ""
    help_service: str = ""
    help_organisation: str = ""
    source_url: str = ""
    aliases: str = ""
    translations: dict[str, str] = field(default_factory=dict)  # title_fr, description_es…


@dataclass
class ProceduresImport:
    dataset_id: int
    steps: int
    documents: int
    economies: list[str]


def _int(src: CsvFile, text: str, line: int, column: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        raise src.fail(N_("%(column)s must be a whole number of days (0–9999), not %(text)r"),
                       line, column, column=column, text=text)
    return int(text)


def parse_row(src: CsvFile, line: int, row: dict[str, str], services: set[str],
              glossary: set[str] | None) -> ProcedureRowIn:
    """Validate one row; raise ImportFailed naming the line and the field."""
    record = row["record"].lower()
    if record not in ("step", "document"):
        raise src.fail(N_("record must be 'step' or 'document', not %(record)r"), line,
                       "record", record=row['record'])
    if not row["economy"]:
        raise src.fail(N_("economy missing"), line, "economy")
    try:
        economy = economy_code(row["economy"])
    except InvalidInput:
        raise src.fail(N_("unknown economy %(text)r (use ISO3 codes such as KEN, or "
                       "EUN)"), line, "economy", text=row['economy']) from None
    kinds = STEP_KINDS if record == "step" else DOCUMENT_KINDS
    kind = row["kind"].lower()
    if kind not in kinds:
        raise src.fail(N_("unknown %(record)s kind %(kind)r (one of %(kinds)s)"),
                       line, "kind", record=record, kind=row['kind'], kinds=', '.join(kinds))
    for column in ("title", "description"):
        if not row[column]:
            raise src.fail(N_("%(column)s missing"), line, column, column=column)
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            raise src.fail(N_("%(column)s is longer than %(limit)s characters"), line, column, column=column, limit=limit)
    code = row.get("code", "").lower()
    if record == "document" and not code:
        raise src.fail(N_("code missing (a slug such as commercial-invoice)"), line, "code")
    if code and not SLUG.fullmatch(code):
        raise src.fail(N_("code %(code_text)r must be lower-case words joined by hyphens"), line,
                       "code", code_text=code)
    position_text = row.get("position", "")
    position = _int(src, position_text, line, "position")
    hs: list[str] = []
    for raw in re.split(r"[;\s]+", row.get("hs_codes", "")):
        if not raw:
            continue
        digits = raw.replace(".", "")
        if not re.fullmatch(r"\d+", digits) or len(digits) not in (2, 4, 6, 8, 10):
            raise src.fail(N_("bad HS code %(value)r (2, 4, 6, 8 or 10 digits)"), line, "hs_codes", value=raw)
        hs.append(digits)
    low = _int(src, row.get("days_min", ""), line, "days_min")
    high = _int(src, row.get("days_max", ""), line, "days_max")
    if low is not None and high is not None and high < low:
        raise src.fail(N_("days_max %(high)s is less than days_min %(low)s"), line, "days_max", high=high, low=low)
    service = row.get("help_service", "").lower()
    if service and service not in services:
        raise src.fail(N_("unknown help_service %(service)r (one of %(services)s)"),
                       line, "help_service", service=service, services=', '.join(sorted(services)))
    slug = row.get("glossary", "").lower()
    if slug and glossary is not None and slug not in glossary:
        raise src.fail(N_("no glossary term %(slug)r"), line, "glossary", slug=slug)
    url = row.get("source_url", "")
    if url and not re.match(r"https?://", url):
        raise src.fail(N_("source_url %(url)r must start with http:// or https://"), line,
                       "source_url", url=url)
    translations = {c: row.get(c, "") for c in ("title_fr", "title_es", "description_fr",
                                                "description_es", "condition_fr",
                                                "condition_es")}
    return ProcedureRowIn(
        line, record, economy, position if position is not None else -1, kind, row["title"],
        row["description"], code, row.get("agency", ""), row.get("condition", ""),
        " ".join(dict.fromkeys(hs)), low, high, row.get("fee", ""), slug, service,
        row.get("help_organisation", ""), url, row.get("aliases", ""), translations)


def _known_glossary(conn: Connection) -> set[str] | None:
    from tradewind.knowledge.models import glossary_terms

    slugs = set(conn.execute(select(glossary_terms.c.slug)).scalars())
    return slugs or None  # no glossary loaded: nothing to check against


def read_rows(path: Path, db: Database) -> list[ProcedureRowIn]:
    from tradewind.network.queries import SERVICES

    src = CsvFile(path, REQUIRED)
    with db.connect() as conn:
        glossary = _known_glossary(conn)
    services = {str(s) for s in SERVICES}
    rows = [parse_row(src, line, row, services, glossary) for line, row in src]
    if not rows:
        raise ImportFailed(N_("no steps or documents in the file"), file=src.name, line=1)
    check_rows(rows, src.name)
    return rows


def check_rows(rows: list[ProcedureRowIn], file: str) -> None:
    """Duplicates are refused; blank positions follow the file order."""
    seen_codes: dict[tuple[str, str], int] = {}
    seen_positions: dict[tuple[str, str, int], int] = {}
    counters: dict[tuple[str, str], int] = {}
    for r in rows:
        if r.record == "document":
            first = seen_codes.setdefault((r.economy, r.code), r.line)
            if first != r.line:
                raise ImportFailed(N_("duplicate document %(code_text)r for %(economy)s (first on "
                                   "line %(first_line)s)"), file=file, line=r.line, field="code", code_text=r.code, economy=r.economy, first_line=first)
        counter = (r.economy, r.record)
        if r.position < 0:
            r.position = counters.get(counter, 0) + 1
        counters[counter] = max(counters.get(counter, 0), r.position)
        if r.record == "step":
            first = seen_positions.setdefault((r.economy, r.record, r.position), r.line)
            if first != r.line:
                raise ImportFailed(N_("two steps of %(economy)s at position %(position)s (first "
                                   "on line %(first_line)s)"), file=file, line=r.line, field="position", economy=r.economy, position=r.position, first_line=first)


def write_rows(conn: Connection, dataset_id: int, rows: list[ProcedureRowIn]) -> None:
    """Insert validated rows for ``dataset_id`` (caller's transaction)."""
    steps, documents = [], []
    for r in rows:
        common = {"dataset_id": dataset_id, "economy": r.economy, "position": r.position,
                  "kind": r.kind, "description": r.description,
                  "description_fr": r.translations.get("description_fr", ""),
                  "description_es": r.translations.get("description_es", ""),
                  "hs_scope": r.hs_scope, "days_min": r.days_min, "days_max": r.days_max,
                  "fee": r.fee, "glossary": r.glossary, "help_service": r.help_service,
                  "help_organisation": r.help_organisation, "source_url": r.source_url}
        if r.record == "step":
            steps.append({**common, "title": r.title,
                          "title_fr": r.translations.get("title_fr", ""),
                          "title_es": r.translations.get("title_es", ""), "agency": r.agency})
        else:
            documents.append({**common, "code": r.code, "name": r.title,
                              "name_fr": r.translations.get("title_fr", ""),
                              "name_es": r.translations.get("title_es", ""),
                              "issued_by": r.agency, "condition": r.condition,
                              "condition_fr": r.translations.get("condition_fr", ""),
                              "condition_es": r.translations.get("condition_es", ""),
                              "aliases": r.aliases})
    if steps:
        conn.execute(insert(procedure_steps), steps)
    if documents:
        conn.execute(insert(procedure_documents), documents)


def _replace(conn: Connection, economies: set[str]) -> None:
    """Remove what is stored for ``economies`` (any procedures dataset, SAMPLE too)."""
    old = set()
    for table in (procedure_steps, procedure_documents):
        old |= set(conn.execute(select(table.c.dataset_id).where(
            table.c.economy.in_(economies)).distinct()).scalars())
        conn.execute(delete(table).where(table.c.economy.in_(economies)))
    for dataset_id in old:
        left = any(conn.execute(select(t.c.id).where(t.c.dataset_id == dataset_id).limit(1))
                   .first() for t in (procedure_steps, procedure_documents))
        if not left:
            conn.execute(delete(datasets).where(datasets.c.id == dataset_id))


def import_procedures_csv(db: Database, path: Path, *, source: str = "", licence: str = "",
                          edition: str = "") -> ProceduresImport:
    """Import steps and documents filled in the procedures template (all or nothing)."""
    path = Path(path)
    rows = read_rows(path, db)
    economies = {r.economy for r in rows}
    with db.transaction() as conn:
        _replace(conn, economies)
        dataset_id = record_dataset(
            conn, kind=KIND, name=f"Import procedures ({', '.join(sorted(economies))})",
            source=source or f"Tradewind procedures template {path.name}",
            licence=licence or "as stated by the publisher", edition=edition or path.stem,
            row_count=len(rows))
        write_rows(conn, dataset_id, rows)
    return ProceduresImport(dataset_id, sum(r.record == "step" for r in rows),
                            sum(r.record == "document" for r in rows), sorted(economies))

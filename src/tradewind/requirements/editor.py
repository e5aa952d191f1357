"""Editors add, change, delete and restore measures (issue 9).

Each save is validated with the same rules as the CSV template (one field at a time, named),
written in one transaction with an audit row (:mod:`tradewind.audit`, before and after) and a
change event (:mod:`tradewind.changes`: ``measure.new``, ``measure.changed``,
``measure.removed``) so watch lists hear of it.  Delete is soft: the measure keeps its rows,
gets ``deleted_at`` and disappears from every answer until an editor restores it.
New measures belong to one dataset of kind ``requirements-editor`` ("entered by editors"),
so a re-import of a CSV or TRAINS file never removes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from tradewind.audit import record_change
from tradewind.changes.events import ChangeEvent, record
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.errors import ImportFailed, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.requirements_csv import MeasureIn, common_hs_prefix, parse_row
from tradewind.requirements import mast
from tradewind.requirements.models import (
    measure_documents,
    measure_origins,
    measure_products,
    measures,
)

EDITOR_KIND = "requirements-editor"
ENTITY = "measures"
FIELDS = ("economy", "mast_code", "hs_codes", "origins", "title", "summary",
          "legal_reference", "source_url", "agency", "valid_from", "valid_to", "documents")


class _FormSource:
    """Lets :func:`parse_row` validate a form: its errors name the form field."""

    name = "form"

    def fail(self, problem: str, line: int, field: str | None = None,
             **params: Any) -> ImportFailed:
        return ImportFailed(problem, field=field, **params)


def validate(raw: dict[str, str]) -> tuple[MeasureIn | None, dict[str, str]]:
    """The measure from form text, or the first problem keyed by its field."""
    row = {name: (raw.get(name) or "").strip() for name in FIELDS}
    try:
        return parse_row(_FormSource(), 0, row), {}  # type: ignore[arg-type]
    except ImportFailed as exc:
        return None, {exc.field or "title": exc.problem_message()}


@dataclass(frozen=True)
class MeasureRow:
    id: int
    economy: str
    mast_code: str
    title: str
    valid_from: date | None
    valid_to: date | None
    deleted_at: datetime | None
    updated_by: str
    dataset: str


def list_measures(conn: Connection, *, economy: str = "", q: str = "", deleted: bool = False,
                  limit: int = 200) -> list[MeasureRow]:
    """Measures for the editor list: by economy and words in the title, newest first."""
    query = (select(measures.c.id, measures.c.economy, measures.c.mast_code, measures.c.title,
                    measures.c.valid_from, measures.c.valid_to, measures.c.deleted_at,
                    measures.c.updated_by, datasets.c.name)
             .join(datasets, datasets.c.id == measures.c.dataset_id)
             .where(measures.c.deleted_at.is_not(None) if deleted
                    else measures.c.deleted_at.is_(None))
             .order_by(measures.c.id.desc()).limit(limit))
    if economy:
        query = query.where(measures.c.economy == economy.strip().upper())
    for word in q.lower().split()[:6]:
        query = query.where(or_(func.lower(measures.c.title).contains(word, autoescape=True),
                                func.lower(measures.c.mast_code).contains(word,
                                                                          autoescape=True)))
    return [MeasureRow(r.id, r.economy, r.mast_code, r.title, r.valid_from, r.valid_to,
                       r.deleted_at, r.updated_by, r.name) for r in conn.execute(query)]


def measure_values(conn: Connection, measure_id: int) -> dict[str, Any] | None:
    """The stored measure as form/audit values (None when there is no such measure)."""
    row = conn.execute(select(measures).where(measures.c.id == measure_id)).first()
    if row is None:
        return None

    def children(table: Any, column: str) -> list[str]:
        return list(conn.execute(select(table.c[column]).where(
            table.c.measure_id == measure_id).order_by(table.c.id)).scalars())

    return {
        "id": row.id, "economy": row.economy, "mast_code": row.mast_code,
        "hs_codes": " ".join(children(measure_products, "hs_code")),
        "origins": " ".join(children(measure_origins, "economy")), "title": row.title,
        "summary": row.summary, "legal_reference": row.legal_reference,
        "source_url": row.source_url, "agency": row.agency,
        "valid_from": row.valid_from.isoformat() if row.valid_from else "",
        "valid_to": row.valid_to.isoformat() if row.valid_to else "",
        "documents": "; ".join(children(measure_documents, "name")),
        "deleted": row.deleted_at is not None, "dataset_id": row.dataset_id,
    }


def _editor_dataset(conn: Connection) -> int:
    found = conn.execute(select(datasets.c.id).where(datasets.c.kind == EDITOR_KIND)
                         .order_by(datasets.c.id).limit(1)).first()
    if found is not None:
        return int(found[0])
    return record_dataset(conn, kind=EDITOR_KIND, name="Requirements entered by editors",
                          source="Tradewind editors", licence="as stated by the editors",
                          edition="live")


def _write_children(conn: Connection, measure_id: int, item: MeasureIn) -> None:
    for table in (measure_products, measure_origins, measure_documents):
        conn.execute(delete(table).where(table.c.measure_id == measure_id))
    conn.execute(insert(measure_products), [
        {"measure_id": measure_id, "hs_code": c} for c in item.hs_codes])
    if item.origins:
        conn.execute(insert(measure_origins), [
            {"measure_id": measure_id, "economy": o} for o in item.origins])
    if item.documents:
        conn.execute(insert(measure_documents), [
            {"measure_id": measure_id, "name": d} for d in item.documents])


def _event(kind: str, values: dict[str, Any], actor: str, **details: Any) -> ChangeEvent:
    codes = str(values["hs_codes"]).split()
    return ChangeEvent(
        kind, str(values["title"])[:500], market=str(values["economy"]),
        hs_code=common_hs_prefix(codes),
        effective_date=date.fromisoformat(values["valid_from"]) if values["valid_from"] else None,
        reference=f"measure:{values['id']}",
        details={"mast_code": values["mast_code"], "hs_codes": codes,
                 "origins": str(values["origins"]).split(), "editor": actor, **details},
        dataset_id=int(values["dataset_id"]))


def save_measure(conn: Connection, measure_id: int | None, item: MeasureIn, actor: str) -> int:
    """Insert (``measure_id`` None) or change a measure; audit and event in the same
    transaction.  A deleted measure cannot be changed: restore it first."""
    now = datetime.now(UTC)
    values = {"economy": item.economy, "mast_code": item.mast_code, "title": item.title,
              "summary": item.summary, "legal_reference": item.legal_reference,
              "source_url": item.source_url, "agency": item.agency,
              "valid_from": item.valid_from, "valid_to": item.valid_to,
              "origins_scope": "list" if item.origins else "all", "updated_at": now,
              "updated_by": actor}
    before = None
    if measure_id is None:
        measure_id = int(conn.execute(insert(measures).values(
            dataset_id=_editor_dataset(conn), hs_edition="HS2022", **values)
            .returning(measures.c.id)).scalar_one())
    else:
        before = measure_values(conn, measure_id)
        if before is None:
            raise NotFound(N_("no measure %(measure_id)s"), measure_id=measure_id)
        if before["deleted"]:
            raise NotFound(N_("measure %(measure_id)s is deleted: restore it before changing it"),
                           measure_id=measure_id)
        conn.execute(update(measures).where(measures.c.id == measure_id).values(**values))
    _write_children(conn, measure_id, item)
    after = measure_values(conn, measure_id)
    assert after is not None
    record_change(conn, actor=actor, action="update" if before else "create", entity=ENTITY,
                  key=str(measure_id), before=before, after=after)
    if before is None:
        record(conn, [_event("measure.new", after, actor)])
    else:
        changed = sorted(k for k in FIELDS if before.get(k) != after.get(k))
        if changed:
            record(conn, [_event("measure.changed", after, actor, changed=changed)])
    return measure_id


def set_deleted(conn: Connection, measure_id: int, actor: str, deleted: bool) -> None:
    """Soft-delete (``deleted=True``) or restore a measure, with audit and event."""
    before = measure_values(conn, measure_id)
    if before is None:
        raise NotFound(N_("no measure %(measure_id)s"), measure_id=measure_id)
    if before["deleted"] == deleted:
        return
    now = datetime.now(UTC)
    conn.execute(update(measures).where(measures.c.id == measure_id).values(
        deleted_at=now if deleted else None, deleted_by=actor if deleted else "",
        updated_at=now, updated_by=actor))
    after = measure_values(conn, measure_id)
    record_change(conn, actor=actor, action="delete" if deleted else "restore", entity=ENTITY,
                  key=str(measure_id), before=before, after=after)
    assert after is not None
    record(conn, [_event("measure.removed" if deleted else "measure.changed", after, actor,
                         **({} if deleted else {"restored": True}))])


def mast_choices() -> list[tuple[str, str]]:
    """(code, "code — name") for the editor's MAST select, chapters first."""
    out = [(letter, f"{letter} — {mast.chapter_name(letter)}") for letter in mast.CHAPTERS]
    out += [(code, f"{code} — {mast.code_name(code)}") for code in mast.CODES
            if code not in mast.CHAPTERS]
    return sorted(out)


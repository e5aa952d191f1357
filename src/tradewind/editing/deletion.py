"""Editors delete and restore content: soft delete with the audit log.

Why: deleting a guide, a glossary term or an organisation by mistake must be undone in one
click, and who deleted what must be on record.  A delete sets ``deleted_at``/``deleted_by``
(the row stays, so a restore gives back exactly what was there); public queries filter
deleted rows out (:func:`tradewind.db.softdelete.live`), so they leave pages, the API, site
search, the brief and the iCalendar feed at once.  Each delete and restore writes an audit
row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, select

from tradewind.audit import record_change
from tradewind.champions.models import champion_editions
from tradewind.db.softdelete import set_deleted
from tradewind.errors import NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.models import glossary_terms, guides, library_entries
from tradewind.network.models import organisations
from tradewind.workinggroup.models import wg_events, wg_recommendations, wg_tracker


@dataclass(frozen=True)
class Deletable:
    """How to find one record of a kind by the key the editors' pages use."""

    table: Table
    where: Callable[[str], ColumnElement[bool]]
    label: Callable[[Any], str]  # row → what the deleted list shows
    key_of: Callable[[Any], str]  # row → key


def _slug_lang(key: str) -> ColumnElement[bool]:
    slug, _, lang = key.partition("/")
    return and_(guides.c.slug == slug, guides.c.lang == (lang or "en"))


def _tracker(key: str) -> ColumnElement[bool]:
    economy, _, slug = key.partition("/")
    rec = select(wg_recommendations.c.id).where(wg_recommendations.c.slug == slug)
    return and_(wg_tracker.c.economy == economy.upper(), wg_tracker.c.recommendation_id.in_(rec))


def _year(key: str) -> ColumnElement[bool]:
    return champion_editions.c.year == (int(key) if key.isdigit() else -1)


DELETABLE: dict[str, Deletable] = {
    "guides": Deletable(guides, _slug_lang, lambda r: f"{r.title} [{r.lang}]",
                        lambda r: f"{r.slug}/{r.lang}"),
    "library": Deletable(library_entries, lambda k: library_entries.c.slug == k,
                         lambda r: r.title, lambda r: r.slug),
    "glossary": Deletable(glossary_terms, lambda k: glossary_terms.c.slug == k,
                          lambda r: r.term, lambda r: r.slug),
    "organisations": Deletable(organisations, lambda k: organisations.c.name == k,
                               lambda r: r.name, lambda r: r.name),
    "events": Deletable(wg_events, lambda k: wg_events.c.slug == k,
                        lambda r: f"{r.start.date().isoformat()} {r.title}", lambda r: r.slug),
    "tracker": Deletable(wg_tracker, _tracker, lambda r: f"{r.economy} · {r.recommendation}",
                         lambda r: f"{r.economy}/{r.recommendation}"),
    "champions": Deletable(champion_editions, _year, lambda r: f"{r.year} {r.title}",
                           lambda r: str(r.year)),
}


@dataclass(frozen=True)
class DeletedEntry:
    """One deleted record as the editors' "deleted" list shows it."""

    key: str
    label: str
    deleted_at: datetime
    deleted_by: str


def deletable(entity: str) -> Deletable:
    if entity not in DELETABLE:
        raise NotFound(N_("this kind of record cannot be deleted"))
    return DELETABLE[entity]


def _select(entity: str) -> Any:
    spec = deletable(entity)
    if entity == "tracker":
        return (select(wg_tracker, wg_recommendations.c.slug.label("recommendation"))
                .join(wg_recommendations,
                      wg_recommendations.c.id == wg_tracker.c.recommendation_id))
    return select(spec.table)


def is_deleted(conn: Connection, entity: str, key: str) -> bool:
    """Whether ``key`` names a deleted record (editing it is refused until restored)."""
    if entity not in DELETABLE:
        return False
    spec = DELETABLE[entity]
    row = conn.execute(select(spec.table.c.deleted_at).where(spec.where(key))).first()
    return row is not None and row.deleted_at is not None


def set_entry_deleted(conn: Connection, entity: str, key: str, actor: str, deleted: bool,
                      before: dict[str, Any] | None = None) -> None:
    """Delete (``deleted=True``) or restore one record, with its audit row.

    Raises :class:`NotFound` when there is no such record in the required state (deleting a
    deleted record, or restoring a live one, changes nothing and says so).  ``before`` is the
    record as the editors' form reads it, kept in the audit log.
    """
    spec = deletable(entity)
    changed = set_deleted(conn, spec.table, spec.where(key), actor, deleted)
    if changed == 0:
        raise NotFound(N_("no such record to delete") if deleted
                       else N_("no such deleted record to restore"))
    now = datetime.now(UTC).isoformat()
    record_change(conn, actor=actor, action="delete" if deleted else "restore", entity=entity,
                  key=key, before=before,
                  after={"deleted_at": now, "deleted_by": actor} if deleted
                  else {"restored_at": now, "restored_by": actor})


def deleted_entries(conn: Connection, entity: str) -> list[DeletedEntry]:
    """Deleted records of one kind, most recently deleted first."""
    spec = deletable(entity)
    query = _select(entity).where(spec.table.c.deleted_at.is_not(None)) \
        .order_by(spec.table.c.deleted_at.desc())
    out = []
    for row in conn.execute(query):
        at = row.deleted_at if row.deleted_at.tzinfo else row.deleted_at.replace(tzinfo=UTC)
        out.append(DeletedEntry(spec.key_of(row), spec.label(row), at, row.deleted_by))
    return out

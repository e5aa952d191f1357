"""Record change events, in the caller's transaction, and hand them to listeners."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select

from tradewind.changes.models import change_events
from tradewind.db.bulk import bulk_insert, reserve_ids

KINDS: tuple[str, ...] = (
    "tariff.mfn", "tariff.preference", "tariff.additional", "tariff.quota", "tariff.tax",
    "measure.new", "measure.changed", "measure.removed",
    "notification.new", "notification.revised", "notification.addendum",
    "notification.corrigendum", "notification.deadline",
    "content.guide", "content.library", "content.glossary", "content.event",
)


@dataclass(frozen=True)
class ChangeEvent:
    """One change. ``hs_code`` is digits (2–10) or None; ``market`` an ISO3/group code."""

    kind: str
    title: str
    market: str | None = None
    hs_code: str | None = None
    effective_date: date | None = None
    reference: str = ""
    old_value: str | None = None
    new_value: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    dataset_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown change kind {self.kind!r}")


@dataclass(frozen=True)
class RecordedEvent:
    id: int
    event: ChangeEvent
    occurred_at: datetime


# Called with (conn, recorded events) inside the same transaction; the watch feature registers
# its matcher here so that deliveries are written atomically with the change.
Listener = Callable[[Connection, Sequence[RecordedEvent]], None]
LISTENERS: list[Listener] = []


def add_listener(listener: Listener) -> None:
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def record(conn: Connection, events: Iterable[ChangeEvent],
           now: datetime | None = None) -> list[RecordedEvent]:
    """Write ``events`` in ``conn``'s transaction and notify the listeners."""
    occurred_at = now or datetime.now(UTC)
    items = list(events)
    recorded: list[RecordedEvent] = []
    if items:
        # Ids reserved, then one multi-row INSERT (SQLite cannot batch INSERT … RETURNING
        # in parameter order: it would be one statement per event).
        ids = reserve_ids(conn, change_events, len(items))
        bulk_insert(conn, change_events, [
            {"id": i, "kind": e.kind, "market": e.market, "hs_code": e.hs_code,
             "effective_date": e.effective_date, "occurred_at": occurred_at, "title": e.title,
             "reference": e.reference, "old_value": e.old_value, "new_value": e.new_value,
             "details": e.details, "dataset_id": e.dataset_id}
            for i, e in zip(ids, items, strict=True)])
        recorded = [RecordedEvent(int(i), e, occurred_at) for i, e in zip(ids, items, strict=True)]
    if recorded:
        _load_listeners()
        for listener in list(LISTENERS):
            listener(conn, recorded)
    return recorded


def _load_listeners() -> None:
    """Import the features that listen, so a CLI import also fills the outbox."""
    from importlib import import_module

    for module in LISTENER_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError:
            continue


# Modules that call add_listener() at import time.
LISTENER_MODULES: tuple[str, ...] = ("tradewind.watch.listener",)


def recent_events(conn: Connection, *, kinds: Sequence[str] | None = None,
                  limit: int = 100) -> list[dict[str, Any]]:
    query = select(change_events).order_by(change_events.c.id.desc()).limit(limit)
    if kinds:
        query = query.where(change_events.c.kind.in_(kinds))
    return [dict(row._mapping) for row in conn.execute(query)]

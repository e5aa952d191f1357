"""Audit log: every editor change is recorded with who, what, when and before/after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from tradewind.audit.models import audit_log
from tradewind.knowledge.fields import jsonable


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def record_change(conn: Connection, *, actor: str, action: str, entity: str, key: str,
                  before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Write one audit row inside the caller's transaction (so it commits with the change)."""
    conn.execute(insert(audit_log).values(
        at=datetime.now(UTC), actor=actor, action=action, entity=entity, entity_key=key[:200],
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None))


def recent_changes(conn: Connection, limit: int = 200, entity: str | None = None
                   ) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if entity:
        query = query.where(audit_log.c.entity == entity)
    return [AuditEntry(**dict(r._mapping)) for r in conn.execute(query)]

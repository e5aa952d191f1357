"""The admin view of the notices users were sent or shown: channels disabled for good
(bounced address, webhook 410) and finder-query code changes, filtered by kind, status and
address (the page ``/admin/watch/notices``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, select

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.watch.models import (
    watch_lists,
    watch_notices,
    watch_query_notices,
    watch_subscribers,
)

KINDS = ("channel", "codes")
STATUSES = {"channel": ("pending", "sent", "failed"), "codes": ("open", "accepted", "kept")}
LIMIT = 500


@dataclass(frozen=True)
class NoticeFilter:
    kind: str = ""  # "" (both), channel or codes
    status: str = ""
    email: str = ""  # part of the address

    @classmethod
    def parse(cls, kind: str = "", status: str = "", email: str = "") -> NoticeFilter:
        kind, status, email = kind.strip(), status.strip(), " ".join(email.split())[:254]
        if kind and kind not in KINDS:
            raise InvalidInput(N_("unknown kind %(kind)r (expected %(kinds)s)"), kind=kind,
                               kinds=", ".join(KINDS), field="kind")
        allowed = sorted({s for k in (kind,) if k for s in STATUSES[k]}
                         or {s for v in STATUSES.values() for s in v})
        if status and status not in allowed:
            raise InvalidInput(N_("unknown status %(status)r (expected %(statuses)s)"),
                               status=status, statuses=", ".join(allowed), field="status")
        return cls(kind, status, email)


def _read(conn: Connection, query: Select[Any], status: ColumnElement[Any],
          where: NoticeFilter) -> list[dict[str, Any]]:
    """Rows of a notices query narrowed by the filter's status and part of an address."""
    if where.status:
        query = query.where(status == where.status)
    if where.email:
        query = query.where(watch_subscribers.c.email.contains(where.email.lower()))
    return [dict(r._mapping) for r in conn.execute(query)]


def channel_notices(conn: Connection, where: NoticeFilter) -> list[dict[str, Any]]:
    query = (select(watch_notices, watch_subscribers.c.email,
                    watch_lists.c.name.label("list_name"))
             .join(watch_subscribers, watch_subscribers.c.id == watch_notices.c.subscriber_id)
             .outerjoin(watch_lists, watch_lists.c.id == watch_notices.c.watch_list_id)
             .order_by(watch_notices.c.id.desc()).limit(LIMIT))
    return _read(conn, query, watch_notices.c.status, where)


def code_notices(conn: Connection, where: NoticeFilter) -> list[dict[str, Any]]:
    query = (select(watch_query_notices, watch_lists.c.name.label("list_name"),
                    watch_subscribers.c.email)
             .join(watch_lists, watch_lists.c.id == watch_query_notices.c.watch_list_id)
             .join(watch_subscribers, watch_subscribers.c.id == watch_lists.c.subscriber_id)
             .order_by(watch_query_notices.c.id.desc()).limit(LIMIT))
    return _read(conn, query, watch_query_notices.c.status, where)


def notices(conn: Connection, where: NoticeFilter) -> dict[str, list[dict[str, Any]]]:
    """Both kinds of notices (newest first, at most :data:`LIMIT` each) for the filter; a
    status filter only applies to the kind that has that status."""
    out: dict[str, list[dict[str, Any]]] = {"channel": [], "codes": []}
    for kind, read in (("channel", channel_notices), ("codes", code_notices)):
        if where.kind in ("", kind) and (not where.status or where.status in STATUSES[kind]):
            out[kind] = read(conn, where)
    return out


__all__ = ["KINDS", "STATUSES", "NoticeFilter", "notices"]

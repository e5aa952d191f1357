"""A fixed-window rate limiter kept in the database, so several instances share the counts.

Any feature can use it: ``hit(conn, "watch:ip:203.0.113.9", limit=5, window=3600)`` returns
``None`` while under the limit, else the seconds to wait (for a ``Retry-After`` header).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.ratelimit.models import rate_limits

__all__ = ["hit", "rate_limits"]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _insert(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(rate_limits)
    return sqlite.insert(rate_limits)


def hit(conn: Connection, key: str, *, limit: int, window: int,
        now: datetime | None = None) -> int | None:
    """Count one attempt for ``key``; None if allowed, else seconds until the window resets.

    A refused attempt is not counted, so a client that waits ``Retry-After`` gets in.
    ``limit <= 0`` disables the limit.
    """
    if limit <= 0:
        return None
    now = now or datetime.now(UTC)
    start = now - timedelta(seconds=window)
    key = key[:200]
    row = conn.execute(select(rate_limits.c.window_start, rate_limits.c.count)
                       .where(rate_limits.c.key == key)).first()
    if row is None or _aware(row.window_start) <= start:
        if row is not None:
            conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
        # ON CONFLICT DO NOTHING: another instance may start the same window at this moment.
        stmt = _insert(conn).values(key=key, window_start=now, count=1)
        if conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"])).rowcount:
            return None
        row = conn.execute(select(rate_limits.c.window_start, rate_limits.c.count)
                           .where(rate_limits.c.key == key)).one()
    if int(row[1]) >= limit:
        reset = _aware(row.window_start) + timedelta(seconds=window)
        return max(1, int((reset - now).total_seconds() + 0.999))
    conn.execute(update(rate_limits).where(rate_limits.c.key == key)
                 .values(count=rate_limits.c.count + 1))
    return None


def purge(conn: Connection, *, older_than: int = 86400, now: datetime | None = None) -> int:
    """Drop windows older than ``older_than`` seconds (housekeeping)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=older_than)
    return int(conn.execute(delete(rate_limits).where(rate_limits.c.window_start < cutoff))
               .rowcount or 0)

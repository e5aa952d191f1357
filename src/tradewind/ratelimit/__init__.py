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

__all__ = ["claim", "hit", "rate_limits"]


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
    return claim(conn, key, limit=limit, window=window, now=now)[0]


#: A batch claims at most this share of what is left of the limit, so that near the limit
#: attempts are counted one by one again and several instances end up exact.
SPREAD = 4


def claim(conn: Connection, key: str, *, limit: int, window: int, batch: int = 1,
          now: datetime | None = None) -> tuple[int | None, int, datetime | None]:
    """Count up to ``batch`` attempts for ``key`` at once: (None, granted, window start) if
    allowed, else (seconds to wait, 0, window start).

    The caller uses one attempt now and may let ``granted - 1`` more through without asking
    again until the window ends (a per-process lease).  Counts are claimed before use, so
    all instances together never let more than ``limit`` through; a lease left unused only
    makes the limit stricter, and never by more than a quarter of what was left.
    """
    if limit <= 0:
        return None, 1, None
    now = now or datetime.now(UTC)
    start = now - timedelta(seconds=window)
    key = key[:200]
    row = conn.execute(select(rate_limits.c.window_start, rate_limits.c.count)
                       .where(rate_limits.c.key == key)).first()
    if row is None or _aware(row.window_start) <= start:
        if row is not None:
            conn.execute(delete(rate_limits).where(rate_limits.c.key == key))
        granted = _grant(0, limit, batch)
        # ON CONFLICT DO NOTHING: another instance may start the same window at this moment.
        stmt = _insert(conn).values(key=key, window_start=now, count=granted)
        if conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"])).rowcount:
            return None, granted, now
        row = conn.execute(select(rate_limits.c.window_start, rate_limits.c.count)
                           .where(rate_limits.c.key == key)).one()
    window_start = _aware(row.window_start)
    if int(row[1]) >= limit:
        reset = window_start + timedelta(seconds=window)
        return max(1, int((reset - now).total_seconds() + 0.999)), 0, window_start
    granted = _grant(int(row[1]), limit, batch)
    conn.execute(update(rate_limits).where(rate_limits.c.key == key)
                 .values(count=rate_limits.c.count + granted))
    return None, granted, window_start


def _grant(count: int, limit: int, batch: int) -> int:
    return max(1, min(batch, (limit - count) // SPREAD))


def purge(conn: Connection, *, older_than: int = 86400, now: datetime | None = None) -> int:
    """Drop windows older than ``older_than`` seconds (housekeeping)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=older_than)
    return int(conn.execute(delete(rate_limits).where(rate_limits.c.window_start < cutoff))
               .rowcount or 0)

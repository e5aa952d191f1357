"""Writing demand signals: raw events plus the rollups, in one transaction per batch.

Rollups are kept up to date at write time (upsert ``n = n + excluded.n``), so the dashboard
never scans raw events and pruning raw events loses nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, case, delete, insert
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.policy.models import policy_daily, policy_events, policy_monthly, policy_queries

DAILY_KEYS = ("day", "kind", "outcome", "origin", "hs2", "lang", "user_type")
MONTHLY_KEYS = ("month", "kind", "outcome", "origin", "destination", "hs4", "topic")
QUERY_KEYS = ("month", "query_hash", "lang")
UPSERT_CHUNK = 2000


@dataclass
class Rollups:
    """Counts by rollup key, ready to be added to the tables."""

    daily: Counter[tuple[Any, ...]]
    monthly: Counter[tuple[Any, ...]]
    queries: dict[tuple[Any, ...], list[Any]]  # key → [text, searches, empty, picks]

    @classmethod
    def empty(cls) -> Rollups:
        return cls(Counter(), Counter(), {})

    def add(self, e: Mapping[str, Any], weight: int = 1) -> None:
        day: date = e["day"]
        hs: str = e["hs"]
        self.daily[(day, e["kind"], e["outcome"], e["origin"], hs[:2], e["lang"],
                    e["user_type"])] += weight
        self.monthly[(day.replace(day=1), e["kind"], e["outcome"], e["origin"],
                      e["destination"], hs[:4], e["topic"])] += weight
        if e["query_hash"]:
            key = (day.replace(day=1), e["query_hash"], e["lang"])
            row = self.queries.setdefault(key, ["", 0, 0, 0])
            if e.get("query_text"):
                row[0] = e["query_text"]
            if e["kind"] == "finder_pick":
                row[3] += weight
            else:
                row[1] += weight
                row[2] += weight if e["outcome"] == "unanswered" else 0


def _insert(conn: Connection, table: Table) -> Any:
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


def _upsert_counts(conn: Connection, table: Table, keys: Sequence[str],
                   counts: Mapping[tuple[Any, ...], int]) -> None:
    stmt = _insert(conn, table)
    stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={"n": table.c.n + stmt.excluded.n})
    rows = [dict(zip(keys, key, strict=True), n=n) for key, n in counts.items()]
    for start in range(0, len(rows), UPSERT_CHUNK):
        conn.execute(stmt, rows[start:start + UPSERT_CHUNK])


def write_rollups(conn: Connection, rollups: Rollups) -> None:
    _upsert_counts(conn, policy_daily, DAILY_KEYS, rollups.daily)
    _upsert_counts(conn, policy_monthly, MONTHLY_KEYS, rollups.monthly)
    if rollups.queries:
        t = policy_queries
        stmt = _insert(conn, t)
        stmt = stmt.on_conflict_do_update(index_elements=list(QUERY_KEYS), set_={
            "searches": t.c.searches + stmt.excluded.searches,
            "empty": t.c.empty + stmt.excluded.empty,
            "picks": t.c.picks + stmt.excluded.picks,
            "query_text": case((t.c.query_text == "", stmt.excluded.query_text),
                               else_=t.c.query_text)})
        rows = [dict(zip(QUERY_KEYS, key, strict=True), query_text=v[0], searches=v[1],
                     empty=v[2], picks=v[3]) for key, v in rollups.queries.items()]
        for start in range(0, len(rows), UPSERT_CHUNK):
            conn.execute(stmt, rows[start:start + UPSERT_CHUNK])


def write_events(conn: Connection, events: Iterable[Mapping[str, Any]]) -> int:
    """Store raw events and add them to every rollup; returns how many were written."""
    batch = list(events)
    if not batch:
        return 0
    conn.execute(insert(policy_events), [dict(e) for e in batch])
    rollups = Rollups.empty()
    for e in batch:
        rollups.add(e)
    write_rollups(conn, rollups)
    return len(batch)


def prune(conn: Connection, retention_days: int, today: date) -> int:
    """Delete raw events older than the retention period; the rollups stay."""
    cutoff = today - timedelta(days=max(0, retention_days))
    result = conn.execute(delete(policy_events).where(policy_events.c.day < cutoff))
    return int(result.rowcount or 0)

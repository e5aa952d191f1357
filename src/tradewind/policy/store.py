"""Writing demand signals: raw events plus the rollup cube, in one transaction per batch.

Rollups are kept up to date at write time (upsert ``n = n + excluded.n``), so the dashboard
never scans raw events and pruning raw events loses nothing.  Each event is counted in the
cells of its origin and of ``*`` (all origins), and of its chapter, section and ``*`` (all
sectors).  :func:`maintain` deletes old raw events and compacts closed months.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, case, delete, insert, text
from sqlalchemy.dialects import postgresql, sqlite

from tradewind.policy.models import policy_cube, policy_daily, policy_events, policy_queries
from tradewind.policy.sectors import ALL, sectors_of

DAILY_KEYS = ("origin", "sector", "day", "kind", "outcome")
CUBE_KEYS = ("origin", "sector", "dim", "month", "key1", "key2")
QUERY_KEYS = ("month", "query_hash", "lang")
UPSERT_CHUNK = 2000
QUESTION_KINDS = ("finder_search", "access", "cost", "markets", "market_products",
                  "requirements", "watch")
# kind of question with no data → the economy whose dataset is missing
GAP_ECONOMY = {"access": "destination", "cost": "destination", "requirements": "destination",
               "markets": "origin", "market_products": "destination"}
KEEP_PAIRS = 1000  # product × market rows kept per cube cell for a closed month
KEEP_QUERIES = 2000  # finder questions kept per closed month


@dataclass
class Rollups:
    """Counts by rollup key, ready to be added to the tables."""

    daily: Counter[tuple[Any, ...]]
    cube: Counter[tuple[Any, ...]]
    queries: dict[tuple[Any, ...], list[Any]]  # key → [text, searches, empty, picks]

    @classmethod
    def empty(cls) -> Rollups:
        return cls(Counter(), Counter(), {})

    def add(self, e: Mapping[str, Any], weight: int = 1) -> None:
        day: date = e["day"]
        month = day.replace(day=1)
        kind, outcome, hs, dest = e["kind"], e["outcome"], e["hs"], e["destination"]
        origins = (ALL, e["origin"]) if e["origin"] else (ALL,)
        sectors = sectors_of(hs) if hs else (ALL,)
        question = kind in QUESTION_KINDS
        for origin in origins:
            for sector in sectors:
                self.daily[(origin, sector, day, kind, outcome)] += weight
                cell = (origin, sector)
                if question:
                    if hs:
                        self.cube[(*cell, "product", month, hs[:4], "")] += weight
                    if dest:
                        self.cube[(*cell, "market", month, dest, "")] += weight
                    if hs and dest:
                        self.cube[(*cell, "pair", month, hs[:4], dest)] += weight
                    self.cube[(*cell, "lang", month, e["lang"], "")] += weight
                    self.cube[(*cell, "user", month, e["user_type"], "")] += weight
                if kind == "feedback" and sector == ALL:
                    self.cube[(*cell, "topic", month, e["topic"], "")] += weight
                if outcome == "no_data" and kind in GAP_ECONOMY:
                    economy = e[GAP_ECONOMY[kind]]
                    self.cube[(*cell, "gap", month, kind, economy)] += weight
        if e["query_hash"]:
            key = (month, e["query_hash"], e["lang"])
            row = self.queries.setdefault(key, ["", 0, 0, 0])
            if e.get("query_text"):
                row[0] = e["query_text"]
            if kind == "finder_pick":
                row[3] += weight
            else:
                row[1] += weight
                row[2] += weight if outcome == "unanswered" else 0


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
    _upsert_counts(conn, policy_cube, CUBE_KEYS, rollups.cube)
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


def compact(conn: Connection, before_month: date, keep_pairs: int = KEEP_PAIRS,
            keep_queries: int = KEEP_QUERIES) -> int:
    """Keep only the top product × market pairs and finder questions of closed months.

    The long tail (pairs outside a cell's top ``keep_pairs`` in a month) is deleted: such a
    pair cannot rank among the few dozen a dashboard shows.  Totals per product, per market
    and per day are exact; only the pair and question lists are approximate.
    """
    removed = conn.execute(text("""
        DELETE FROM policy_cube WHERE dim = 'pair' AND month < :m
          AND (origin, sector, month, key1, key2) IN (
            SELECT origin, sector, month, key1, key2 FROM (
              SELECT origin, sector, month, key1, key2, ROW_NUMBER() OVER (
                PARTITION BY origin, sector, month ORDER BY n DESC, key1, key2) AS rn
              FROM policy_cube WHERE dim = 'pair' AND month < :m) ranked
            WHERE rn > :keep)"""), {"m": before_month, "keep": keep_pairs}).rowcount or 0
    removed += conn.execute(text("""
        DELETE FROM policy_queries WHERE month < :m
          AND (month, query_hash, lang) IN (
            SELECT month, query_hash, lang FROM (
              SELECT month, query_hash, lang, ROW_NUMBER() OVER (
                PARTITION BY month ORDER BY searches DESC, query_hash) AS rn
              FROM policy_queries WHERE month < :m) ranked
            WHERE rn > :keep)"""), {"m": before_month, "keep": keep_queries}).rowcount or 0
    return int(removed)


def maintain(conn: Connection, retention_days: int, today: date) -> dict[str, int]:
    """The retention worker's pass: prune raw events, compact closed months."""
    return {"raw_events_removed": prune(conn, retention_days, today),
            "rollup_rows_compacted": compact(conn, today.replace(day=1))}

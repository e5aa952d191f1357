"""``bulk_insert`` stores exactly what SQLAlchemy's own ``insert()`` stores: dates,
timestamps, JSON (shared and distinct dicts, None), booleans next to integers, NULLs —
column-wise conversion with one call per distinct value must not change a value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from tradewind.changes.models import change_events
from tradewind.db import Database
from tradewind.db.bulk import bulk_insert, reserve_ids


def _rows(ids: list[int]) -> list[dict[str, Any]]:
    shared = {"area": "SPS", "hs": ["0901"]}
    when = datetime(2025, 3, 1, 12, 30, 5, 123456, tzinfo=UTC)
    out = []
    for n, i in enumerate(ids):
        out.append({
            "id": i, "kind": "notification.new", "market": ("EUN", "KEN", None)[n % 3],
            "hs_code": ("0901", None, "090111")[n % 3],
            "effective_date": (date(2025, 1, n % 5 + 1), None)[n % 2], "occurred_at": when,
            "title": f"title {n} é", "reference": f"ref-{n}", "old_value": None,
            "new_value": "1" if n % 2 else None,
            "details": shared if n % 4 else ({"n": n, "ok": n % 3 == 0} if n % 5 else None),
            "dataset_id": None})
    return out


def _stored(db: Database) -> list[tuple[Any, ...]]:
    with db.connect() as conn:
        return [tuple(r)[1:] for r in conn.execute(select(change_events)
                                                  .order_by(change_events.c.id))]


def test_bulk_insert_stores_what_insert_stores(db: Database) -> None:
    with db.transaction() as conn:
        ids = reserve_ids(conn, change_events, 40)
        conn.execute(insert(change_events), _rows(ids))
    expected = _stored(db)
    with db.transaction() as conn:
        conn.execute(delete(change_events))
    with db.transaction() as conn:
        ids = reserve_ids(conn, change_events, 40)
        bulk_insert(conn, change_events, _rows(ids), chunk=7)  # several chunks
    assert _stored(db) == expected
    assert len(expected) == 40 and expected[1][8] is not None  # details read back

"""Claims with a lease: a live claim is never taken by another worker, an expired one is,
and a late result of the first worker never overwrites the second one's claim."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.watch import claims, lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import outbox_rows

LEASE = timedelta(minutes=5)


def _queue(db: Database, subscribers: int, events: int) -> None:
    with db.transaction() as conn:
        for i in range(subscribers):
            sub = lists.subscribe(conn, f"c{i}@example.org", [WatchItem("0901", "KEN")])
            lists.confirm(conn, sub.confirm_token)
        record(conn, [ChangeEvent("tariff.mfn", f"MFN {i}", market="KEN", hs_code="09011100",
                                  effective_date=date(2026, 1, 1)) for i in range(events)])


def test_lease_keeps_others_out_until_it_expires(watch_db: Database) -> None:
    _queue(watch_db, 3, 2)  # 6 e-mail rows, 3 subscribers
    now = datetime.now(UTC) + timedelta(seconds=1)
    with watch_db.connect() as conn:
        first = claims.Claimer(conn, now, 2).claim(conn, now, LEASE)
        assert first is not None
        # Two rows asked for; the rest of those subscribers' rows come along: one digest each.
        mailed = {r.subscriber_id for r in first.rows}
        assert len(first.messages) == len(mailed)
        assert all(len(m) == 2 for m in first.messages)
        second = claims.Claimer(conn, now, 100).claim(conn, now, LEASE)
        assert second is not None
        assert not {r.id for r in first.rows} & {r.id for r in second.rows}
        assert claims.Claimer(conn, now, 100).claim(conn, now, LEASE) is None
        late = claims.Claimer(conn, now, 100).claim(conn, now + LEASE, LEASE)
        assert late is not None and {r.id for r in late.rows} == {
            r.id for r in first.rows + second.rows}
        with conn.begin():  # the first worker's result comes too late: not recorded
            claims.mark_sent(conn, first.token, [r.id for r in first.rows], now)
            claims.release(conn, second.token)
        rows = outbox_rows(conn)
    assert {r["status"] for r in rows} == {"pending"}
    assert {r["claimed_by"] for r in rows} == {late.token}

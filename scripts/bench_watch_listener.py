"""Time record() + watch matching: 5000 tariff.mfn events against 1000 confirmed lists (SQLite)."""

import tempfile
import time
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select

from tradewind.agreements.models import economy_groups, group_members
from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database, migrate
from tradewind.watch.models import watch_items, watch_lists, watch_outbox, watch_subscribers


def main() -> None:
    db = Database(f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    migrate.upgrade(db)
    now = datetime.now(UTC)
    with db.transaction() as conn:
        conn.execute(insert(economy_groups).values(code="EUN", name="EU", kind="customs union",
                                                   customs_union=True))
        conn.execute(insert(group_members), [{"group_code": "EUN", "member": m}
                                             for m in ("DEU", "FRA", "ITA")])
        conn.execute(insert(watch_subscribers), [
            {"id": i, "email": f"u{i}@example.org", "language": "en", "confirmed_at": now,
             "unsubscribe_token": f"t{i}", "created_at": now} for i in range(1, 1001)])
        conn.execute(insert(watch_lists), [
            {"id": i, "subscriber_id": i, "name": "w", "frequency": "immediate",
             "feed_token": f"f{i}"} for i in range(1, 1001)])
        conn.execute(insert(watch_items), [
            {"watch_list_id": i, "hs_prefix": f"{(i % 97) + 1:02d}",
             "market": ("DEU", "EUN", "KEN", "USA")[i % 4]} for i in range(1, 1001)])
    events = [ChangeEvent("tariff.mfn", "x", market="EUN", hs_code=f"{(i % 97) + 1:02d}{i:06d}",
                          effective_date=date(2026, 1, 1)) for i in range(5000)]
    start = time.perf_counter()
    with db.transaction() as conn:
        record(conn, events)
    print(f"record+match 5000 events x 1000 lists: {time.perf_counter() - start:.2f}s")
    with db.connect() as conn:
        print("outbox rows", conn.execute(select(func.count()).select_from(watch_outbox))
              .scalar_one())


if __name__ == "__main__":
    main()

"""Change events are written in the caller's transaction and reach the listeners."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest
from sqlalchemy import Connection, func, select

from tradewind.changes import events
from tradewind.changes.events import ChangeEvent, RecordedEvent
from tradewind.changes.models import change_events
from tradewind.db import Database


def test_record_writes_and_notifies(db: Database) -> None:
    seen: list[RecordedEvent] = []

    def listener(_conn: Connection, recorded: Sequence[RecordedEvent]) -> None:
        seen.extend(recorded)

    events.add_listener(listener)
    try:
        with db.transaction() as conn:
            events.record(conn, [ChangeEvent("tariff.mfn", "MFN duty on 090121 changes",
                                             market="KEN", hs_code="090121",
                                             effective_date=date(2027, 1, 1),
                                             old_value="10%", new_value="5%")])
    finally:
        events.LISTENERS.remove(listener)
    assert [r.event.hs_code for r in seen] == ["090121"]
    with db.connect() as conn:
        row = conn.execute(select(change_events)).one()
    assert (row.kind, row.market, row.old_value, row.new_value) == ("tariff.mfn", "KEN", "10%", "5%")


def test_a_failed_transaction_leaves_no_event(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as conn:
        events.record(conn, [ChangeEvent("content.guide", "New guide")])
        raise RuntimeError("import failed later")
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(change_events)).scalar() == 0


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown change kind"):
        ChangeEvent("tariff.banana", "x")

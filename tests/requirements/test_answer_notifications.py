"""The requirements answer carries the market's recent notifications and a documents list."""

from __future__ import annotations

from datetime import date

from tradewind.db import Database
from tradewind.requirements.queries import requirements_for


def test_recent_notifications_on_the_product_are_part_of_the_answer(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        answer = requirements_for(conn, product="090121", destination="BRA",
                                  as_of=date(2026, 10, 1))
        later = requirements_for(conn, product="090121", destination="BRA",
                                 as_of=date(2028, 1, 1))
    symbols = [n.notification.symbol for n in answer.notifications]
    assert "G/TBT/N/BRA/9010" in symbols
    open_ones = [n for n in answer.notifications if n.comment_open]
    assert open_ones and all(n.days_left is not None and n.days_left >= 0 for n in open_ones)
    # Sorted: open comment periods first.
    assert answer.notifications[0].comment_open
    data = answer.as_dict()
    assert {"symbol", "comment_open", "days_left"} <= set(data["notifications"][0])
    assert later.notifications == []  # older than 12 months on that date


def test_documents_checklist_lists_each_document_once(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        answer = requirements_for(conn, product="090121", destination="DEU", origin="KEN",
                                  as_of=date(2026, 6, 1))
    everything = [d for c in answer.chapters for m in c.measures for d in m.documents]
    assert answer.documents == list(dict.fromkeys(everything))
    assert answer.as_dict()["documents"] == answer.documents

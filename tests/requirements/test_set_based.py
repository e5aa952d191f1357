"""The set-based requirements answer (prebuilt statements, per-version market context) gives
the answer the documented rule gives, computed here naively in Python over every row of a
crafted, generated fixture: economies and groups, listed origins, validity dates, deleted
measures, chapter questions, notifications by member, period and HS prefix either way."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from tradewind.agreements.init import load_groups
from tradewind.agreements.queries import groups_of
from tradewind.bench.requirements import load_measures, notifications_file
from tradewind.db import Database
from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
from tradewind.notifications.models import notification_hs, notifications
from tradewind.notifications.queries import _months_before, notifications_for_product
from tradewind.procedures.answer import attach_procedures
from tradewind.procedures.sample import init_sample_procedures
from tradewind.requirements import mast
from tradewind.requirements.editor import set_deleted
from tradewind.requirements.models import (
    measure_documents,
    measure_origins,
    measure_products,
    measures,
)
from tradewind.requirements.queries import requirements_for

DAY = date(2024, 6, 1)
FIXED = [("090111", "FRA", "KEN"), ("0901", "DEU", None), ("09", "ITA", "BRA"),
         ("85", "KEN", None), ("0101210010", "FRA", "USA")]
ORIGINS = (None, "KEN", "IND", "FRA", "BRA", "USA")


def _questions(conn: Any) -> list[tuple[str, str, str | None]]:
    """The fixed questions, then products taken from the generated codes (extended or cut to
    2–10 digits), asked in the measure's economy (France for the EU's)."""
    out = list(FIXED)
    rows = conn.execute(select(measure_products.c.hs_code, measures.c.economy)
                        .join(measures, measures.c.id == measure_products.c.measure_id)
                        .order_by(measure_products.c.id).limit(40)).all()
    for i, (code, economy) in enumerate(rows):
        product = (code + "1101011010")[:(2, 4, 6, 8, 10)[i % 5]]
        out.append((product, "FRA" if economy == "EUN" else economy, ORIGINS[i % 6]))
    return out


@pytest.fixture
def generated(db: Database, tmp_path: Path) -> Database:
    rng = random.Random(3)
    with db.transaction() as conn:
        load_groups(conn)
    init_sample_procedures(db, None, lambda _m: None)  # type: ignore[arg-type]
    load_measures(db, 1000, rng)
    with db.transaction() as conn:  # some deleted, some expired, chapter codes asked
        conn.execute(update(measures).where(measures.c.id % 17 == 0).values(deleted_at=DAY))
        conn.execute(update(measures).where(measures.c.id % 13 == 0)
                     .values(valid_to=DAY - timedelta(days=1)))
    path = notifications_file(tmp_path / "n.json", 600, rng, DAY)
    import_wto_notifications_json(db, path, infer=None)
    return db


def _expected_measures(conn: Any, product: str, destination: str, origin: str | None,
                       day: date) -> list[tuple[int, list[str], list[str], list[str]]]:
    """The rule, read naively: every row in Python (grouped by MAST chapter, then code and
    id order, as the answer lists them)."""
    economies = {destination, *groups_of(conn, destination, day)}
    origin_codes = {origin, *groups_of(conn, origin, day)} if origin else set()
    prefixes = {product[:n] for n in (2, 4, 6, 8, 10) if n <= len(product)}
    children: dict[str, dict[int, list[str]]] = {"p": {}, "o": {}, "d": {}}
    for key, table, col in (("p", measure_products, "hs_code"),
                            ("o", measure_origins, "economy"),
                            ("d", measure_documents, "name")):
        for r in conn.execute(select(table).order_by(table.c.id)):
            children[key].setdefault(r.measure_id, []).append(getattr(r, col))
    out = []
    rows = sorted(conn.execute(select(measures)),
                  key=lambda m: (mast.chapter_of(m.mast_code), m.mast_code, m.id))
    for m in rows:
        codes = children["p"].get(m.id, [])
        if m.economy not in economies or m.deleted_at is not None:
            continue
        if (m.valid_from and m.valid_from > day) or (m.valid_to and m.valid_to < day):
            continue
        if not any(c in prefixes or (len(product) < 4 and len(c) == 4
                                     and c.startswith(product)) for c in codes):
            continue
        listed = children["o"].get(m.id, [])
        if origin and m.origins_scope == "list" and not origin_codes & set(listed):
            continue
        out.append((m.id, codes, listed, children["d"].get(m.id, [])))
    return out


def _expected_notifications(conn: Any, product: str, members: list[str],
                            day: date) -> list[str]:
    digits = product[:6]
    codes: dict[int, list[str]] = {}
    for r in conn.execute(select(notification_hs)):
        codes.setdefault(r.notification_id, []).append(r.hs_code)
    start = _months_before(day, 12)
    found = []
    for n in conn.execute(select(notifications)):
        if n.member not in members or not start <= n.distribution_date <= day:
            continue
        if any(c.startswith(digits) or (digits.startswith(c) and len(c) < len(digits))
               for c in codes.get(n.id, [])):
            found.append(n)
    found.sort(key=lambda n: (-n.distribution_date.toordinal(), n.symbol))
    found = found[:50]

    def is_open(n: Any) -> bool:
        return n.comment_deadline is not None and n.distribution_date <= day <= \
            n.comment_deadline

    found.sort(key=lambda n: (not is_open(n), -n.distribution_date.toordinal(), n.symbol))
    return [n.symbol for n in found]


@pytest.mark.parametrize("day", [DAY, date(2019, 1, 1)])
def test_measures_match_the_rule(generated: Database, day: date) -> None:
    with generated.connect() as conn:
        total = 0
        for product, destination, origin in _questions(conn):
            result = requirements_for(conn, product=product, destination=destination,
                                      origin=origin, as_of=day)
            got = [(m.id, m.hs_codes, m.origins, m.documents)
                   for c in result.chapters for m in c.measures]
            expected = _expected_measures(conn, product, destination, origin, day)
            assert got == expected, (product, destination, origin)
            total += len(got)
    assert total > 10  # the fixture exercises the rule, not empty answers


def test_notifications_match_the_rule(generated: Database) -> None:
    with generated.connect() as conn:
        seen = 0
        for product, destination, _origin in _questions(conn):
            members = [destination, *groups_of(conn, destination, DAY)]
            got = [p.notification.symbol for p in notifications_for_product(
                conn, hs_code=product[:6], member=members, as_of=DAY)]
            assert got == _expected_notifications(conn, product, members, DAY), product
            seen += len(got)
    assert seen > 0


def test_cached_market_context_follows_editor_changes(generated: Database) -> None:
    """Per-version caching: deleting the last measures of a market in the editor makes the
    next answer say "nothing imported", without restarting anything."""
    with generated.connect() as conn:
        before = attach_procedures(conn, requirements_for(
            conn, product="0901", destination="AUS", as_of=DAY))
        ids = list(conn.execute(select(measures.c.id).where(
            measures.c.economy == "AUS", measures.c.deleted_at.is_(None))).scalars())
    assert before.status in ("found", "none_found") and ids
    with generated.transaction() as conn:
        for measure_id in ids:
            set_deleted(conn, measure_id, "editor@example.org", True)
    with generated.connect() as conn:
        after = requirements_for(conn, product="0901", destination="AUS", as_of=DAY)
    assert after.status == "no_data" and not after.provenance


def test_checklist_items_are_fresh_per_answer(generated: Database) -> None:
    """The procedure rows are shared through the cache, the checklist items are not: one
    answer's measures never leak into the next answer's documents."""
    with generated.connect() as conn:
        first = attach_procedures(conn, requirements_for(
            conn, product="090111", destination="FRA", origin="KEN", as_of=DAY))
        second = attach_procedures(conn, requirements_for(
            conn, product="8501", destination="FRA", origin="KEN", as_of=DAY))
        again = attach_procedures(conn, requirements_for(
            conn, product="8501", destination="FRA", origin="KEN", as_of=DAY))
    first_ids = {m.id for c in first.chapters for m in c.measures}
    second_ids = {i for d in second.checklist for i, _c, _t in d.required_by}
    assert not first_ids & second_ids - {m.id for c in second.chapters for m in c.measures}
    assert [d.as_dict() for d in second.checklist] == [d.as_dict() for d in again.checklist]
    assert first.procedure is not None and first.procedure.steps

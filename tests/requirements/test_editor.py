"""Editors add, change, delete (soft) and restore measures, with audit and change events."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.accounts.conftest import fast_argon2  # noqa: F401
from tests.knowledge.platform_fixtures import csrf_from, loaded_app, log_in, make_user
from tradewind.agreements.init import load_groups
from tradewind.audit import recent_changes
from tradewind.changes.events import recent_events
from tradewind.db import Database
from tradewind.requirements.queries import requirements_for

BASE = "/admin/requirements/measures"
FORM = {"economy": "KEN", "mast_code": "A83", "hs_codes": "0901", "origins": "",
        "title": "Coffee certificate", "summary": "Bring a certificate.",
        "legal_reference": "Act 1", "source_url": "https://example.org/act",
        "agency": "KEPHIS", "valid_from": "2020-01-01", "valid_to": "",
        "documents": "Phytosanitary certificate"}


@pytest.fixture
def editor(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with db.transaction() as conn:
        load_groups(conn)
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        assert log_in(client).status_code == 303
        yield client


def _count(db: Database, product: str = "090111") -> int:
    with db.connect() as conn:
        return requirements_for(conn, product=product, destination="KEN",
                                as_of=date(2024, 1, 1)).count


def test_requires_login(db: Database, tmp_path: Path) -> None:
    with loaded_app(db, tmp_path) as client:
        response = client.get(BASE, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]
        assert client.post(BASE + "/save", data=FORM).status_code == 403  # no CSRF token


def test_add_change_delete_restore(editor, db: Database) -> None:  # type: ignore[no-untyped-def]
    token = csrf_from(editor.get(BASE + "/new").text)
    bad = editor.post(BASE + "/save", data={**FORM, "hs_codes": "09x", "csrf_token": token,
                                            "measure_id": "0"})
    assert bad.status_code == 422 and "bad HS code" in bad.text
    assert _count(db) == 0
    saved = editor.post(BASE + "/save", data={**FORM, "csrf_token": token, "measure_id": "0"},
                        follow_redirects=False)
    assert saved.status_code == 303
    measure_id = int(saved.headers["location"].rsplit("=", 1)[1])
    assert _count(db) == 1
    page = editor.get(f"{BASE}/{measure_id}")
    assert 'value="Coffee certificate"' in page.text
    changed = editor.post(BASE + "/save", data={**FORM, "title": "Coffee certificate v2",
                                                "hs_codes": "0902", "csrf_token": token,
                                                "measure_id": str(measure_id)},
                          follow_redirects=False)
    assert changed.status_code == 303
    assert _count(db) == 0 and _count(db, "090210") == 1
    deleted = editor.post(f"{BASE}/{measure_id}/delete", data={"csrf_token": token},
                          follow_redirects=False)
    assert deleted.status_code == 303
    assert _count(db, "090210") == 0
    with db.connect() as conn:
        assert requirements_for(conn, product="090210", destination="KEN").status == "no_data"
    assert "Coffee certificate v2" in editor.get(BASE + "?deleted=1").text
    assert "Coffee certificate v2" not in editor.get(BASE).text
    restored = editor.post(f"{BASE}/{measure_id}/restore", data={"csrf_token": token},
                           follow_redirects=False)
    assert restored.status_code == 303 and _count(db, "090210") == 1
    with db.connect() as conn:
        audit = [(e.action, e.entity, e.entity_key) for e in recent_changes(conn)]
        # Only the measure's own events (content seeded for the pages records its own).
        events = [e["kind"] for e in recent_events(conn) if e["kind"].startswith("measure.")]
        changed_event = next(e for e in recent_events(conn) if e["kind"] == "measure.changed")
    key = str(measure_id)
    assert audit == [("restore", "measures", key), ("delete", "measures", key),
                     ("update", "measures", key), ("create", "measures", key)]
    assert events == ["measure.changed", "measure.removed", "measure.changed", "measure.new"]
    assert changed_event["market"] == "KEN" and changed_event["reference"] == f"measure:{key}"
    assert editor.post(f"{BASE}/99999/delete", data={"csrf_token": token}).status_code == 404

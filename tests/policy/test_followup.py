"""Follow-up indicators: editor forms with CSRF and audit, comparison across economies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.knowledge.platform_fixtures import csrf_from
from tradewind.audit.models import audit_log
from tradewind.db import Database
from tradewind.workinggroup import queries as wg


def _recommendation(db: Database) -> str:
    with db.connect() as conn:
        recs = wg.list_recommendations(conn)
    assert recs, "the tiny platform content has recommendations"
    return recs[0].slug


def _post(client: TestClient, what: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(f"/policy/follow-up/{what}/edit").text)
    return client.post(f"/policy/follow-up/{what}/save", data={**data, "csrf_token": token},
                       follow_redirects=False)


def test_editor_fills_indicators_and_economies_compare(editor: TestClient,
                                                       db: Database) -> None:
    rec = _recommendation(db)
    saved = _post(editor, "indicator", {
        "slug": "single-window", "recommendation": rec, "title": "Single window online",
        "title_fr": "Guichet unique en ligne", "title_es": "Ventanilla única en línea",
        "dashboard_view": "/policy?sector=II"})
    assert saved.status_code == 303, saved.text[-2000:]
    for economy, status in (("KEN", "implemented"), ("PER", "in progress")):
        done = _post(editor, "value", {
            "indicator": "single-window", "economy": economy, "status": status,
            "date": "2025-03-01", "evidence_url": "https://example.org/evidence",
            "notes": "Reported at the dialogue"})
        assert done.status_code == 303, done.text[-2000:]
    page = editor.get("/policy/follow-up")
    table = page.text.split('<table id="follow-up">')[1].split("</table>")[0]
    assert "Kenya" in table and "Peru" in table and "implemented" in table
    assert 'href="/policy?sector=II"' in table
    assert "Guichet unique en ligne" in editor.get("/fr/policy/follow-up").text
    api = editor.get("/api/v1/policy/follow-up").json()
    assert set(api["economies"]) == {"KEN", "PER"}
    with db.connect() as conn:
        entities = conn.execute(select(audit_log.c.entity, audit_log.c.action)).all()
    assert ("policy_indicator", "create") in entities
    assert entities.count(("policy_indicator_value", "create")) == 2


def test_bad_input_and_missing_csrf(editor: TestClient, db: Database) -> None:
    bad = _post(editor, "value", {"indicator": "nope", "economy": "XXZ", "status": "done"})
    assert bad.status_code == 422
    assert editor.post("/policy/follow-up/indicator/save",
                       data={"slug": "x"}).status_code == 403


def test_analyst_reads_but_cannot_edit(analyst: TestClient) -> None:
    assert analyst.get("/policy/follow-up").status_code == 200
    assert analyst.get("/policy/follow-up/indicator/edit").status_code == 403

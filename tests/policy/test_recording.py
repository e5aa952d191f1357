"""Demand signals from the real pages: anonymised, optional, and never failing a request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import String, select

from tests.policy.conftest import SIGNAL_TABLES, flush, hooked_app, wipe_signals
from tradewind.db import Database
from tradewind.policy import store
from tradewind.policy.models import policy_cube, policy_daily, policy_events, policy_queries

EMAIL, PHONE, IP = "amina.k@example.co.ke", "+254 712 345 678", "10.20.30.40"
PERSONAL_QUERY = f"roasted coffee beans {EMAIL} {PHONE} {IP} 99887766"


def _all_text(db: Database) -> str:
    """Every string stored in every analytics table, joined."""
    parts: list[str] = []
    with db.connect() as conn:
        for table in SIGNAL_TABLES:
            cols = [c for c in table.c if isinstance(c.type, String)]
            for row in conn.execute(select(*cols)):
                parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def _events(db: Database) -> list[dict[str, object]]:
    with db.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(policy_events))]


def test_no_personal_data_reaches_analytics_tables(signals_app: TestClient,
                                                   hs_db: Database) -> None:
    headers = {"X-Forwarded-For": IP, "Referer": "http://testserver/hs/search?q=" + EMAIL,
               "Cookie": "tw_session=abc"}
    assert signals_app.get("/hs/search", params={"q": PERSONAL_QUERY},
                           headers=headers).status_code == 200
    signals_app.get("/feedback")
    flush(signals_app)
    events = _events(hs_db)
    assert [e["kind"] for e in events] == ["finder_search"]
    assert events[0]["query_text"] and "coffee" in str(events[0]["query_text"])
    stored = _all_text(hs_db)
    for secret in (EMAIL, "amina", "712", "345 678", IP, "10.20", "99887766", "testclient",
                   "abc"):
        assert secret not in stored, secret
    # No column that could hold a person: the schema itself has none.
    for table in SIGNAL_TABLES:
        assert not {"ip", "ip_hash", "email", "user_id", "session"} & set(table.c.keys())


def test_raw_text_is_only_kept_when_the_setting_allows(hs_db: Database,
                                                       tmp_path: Path) -> None:
    with hooked_app(hs_db, tmp_path) as client:  # policy_raw_text defaults to off
        client.get("/hs/search", params={"q": "roasted coffee beans"})
        flush(client)
    events = _events(hs_db)
    assert len(events) == 1 and events[0]["query_text"] is None
    with hs_db.connect() as conn:
        assert conn.execute(select(policy_queries.c.query_text)).scalars().all() == [""]
    wipe_signals(hs_db)


def test_pages_record_product_and_markets_and_rollups(signals_app: TestClient,
                                                      hs_db: Database) -> None:
    signals_app.get("/tariffs/access", params={"product": "090121", "origin": "KEN",
                                               "destination": "GBR"})
    signals_app.get("/requirements", params={"product": "090121", "destination": "GBR"})
    signals_app.get("/hs/090121", headers={"Referer": "http://testserver/hs/search?q=coffee"})
    flush(signals_app)
    kinds = sorted(str(e["kind"]) for e in _events(hs_db))
    assert kinds == ["access", "finder_pick", "requirements"]
    access = next(e for e in _events(hs_db) if e["kind"] == "access")
    assert (access["hs"], access["origin"], access["destination"]) == ("090121", "KEN", "GBR")
    with hs_db.connect() as conn:
        cells = conn.execute(select(policy_daily.c.origin, policy_daily.c.sector)
                             .where(policy_daily.c.kind == "access")).all()
        assert {tuple(c) for c in cells} == {("*", "*"), ("*", "II"), ("*", "09"),
                                             ("KEN", "*"), ("KEN", "II"), ("KEN", "09")}
        pair = conn.execute(select(policy_cube.c.n).where(
            policy_cube.c.dim == "pair", policy_cube.c.origin == "*",
            policy_cube.c.sector == "*", policy_cube.c.key1 == "0901",
            policy_cube.c.key2 == "GBR")).scalar()
    assert pair == 2  # access + requirements


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_do_not_track_and_global_privacy_control(signals_app: TestClient, hs_db: Database,
                                                 header: dict[str, str]) -> None:
    assert signals_app.get("/hs/search", params={"q": "coffee"},
                           headers=header).status_code == 200
    flush(signals_app)
    assert _events(hs_db) == []


def test_off_switch(hs_db: Database, tmp_path: Path) -> None:
    with hooked_app(hs_db, tmp_path, policy_signals=False) as client:
        client.get("/hs/search", params={"q": "coffee"})
        flush(client)
    assert _events(hs_db) == []


def test_analytics_write_failure_does_not_fail_the_request(
        hs_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object, **_k: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "write_events", broken)
    with hooked_app(hs_db, tmp_path, policy_flush_events=1) as client:
        response = client.get("/hs/search", params={"q": "coffee"})
        assert response.status_code == 200 and "0901" in response.text
        client.app.state.policy_recorder.flush()  # type: ignore[attr-defined]
        assert client.app.state.policy_recorder.failures == 1  # type: ignore[attr-defined]
    assert _events(hs_db) == []


def test_extractor_failure_does_not_fail_the_request(
        signals_app: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from tradewind.policy import recorder

    def broken(*_a: object, **_k: object) -> None:
        raise ValueError("bug in an extractor")

    monkeypatch.setitem(recorder.EXTRACTORS, "finder", broken)
    assert signals_app.get("/hs/search", params={"q": "coffee"}).status_code == 200


def test_errors_are_recorded_as_unanswered_questions(signals_app: TestClient,
                                                     hs_db: Database) -> None:
    signals_app.get("/markets/rank", params={"product": "999999", "origin": "KEN"})
    flush(signals_app)
    events = _events(hs_db)
    assert [(e["kind"], e["outcome"]) for e in events] in (
        [("markets", "unanswered")], [("markets", "no_data")])


def test_audience_chosen_on_the_home_page_tags_later_signals(signals_app: TestClient,
                                                             hs_db: Database) -> None:
    home = signals_app.get("/fr/")
    assert "/fr/audience/advisor" in home.text and "Qui êtes-vous" in home.text
    chosen = signals_app.get("/fr/audience/advisor", follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/fr/"
    assert signals_app.cookies.get("tw_audience") == "advisor"
    assert 'aria-current="true">Je conseille des entreprises' in signals_app.get("/fr/").text
    signals_app.get("/hs/search", params={"q": "roasted coffee beans"})
    flush(signals_app)
    assert [e["user_type"] for e in _events(hs_db)] == ["advisor"]
    # An unknown category is never stored; "unknown" forgets the choice.
    assert signals_app.get("/audience/robot", follow_redirects=False).status_code == 404
    assert signals_app.cookies.get("tw_audience") == "advisor"
    signals_app.get("/audience/unknown", follow_redirects=False)
    assert signals_app.cookies.get("tw_audience") is None

"""Working Group pages and API, events feed, and the feedback form's spam protection."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.knowledge.platform_fixtures import XSS, csrf_from, loaded_app
from tradewind.db import Database
from tradewind.workinggroup.queries import list_feedback
from tradewind.workinggroup.regions import region_of


@pytest.fixture
def app(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path, feedback_per_hour=3) as client:
        yield client


def test_regions() -> None:
    assert region_of("KEN") == "Africa" and region_of("CHL") == "Americas"
    assert region_of("EUN") == "Europe" and region_of("JPN") == "Asia"
    assert region_of("FJI") == "Oceania" and region_of("ZZZ") == "Other"


def test_overview_counts_members_by_region(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/working-group").text
    assert "3 members" in html
    assert "Africa (1)" in html and "Europe (1)" in html and "Americas (1)" in html
    assert "European Union" in html


def test_package_tracker_and_member_page(app) -> None:  # type: ignore[no-untyped-def]
    assert "Declaration on MSMEs" in app.get("/working-group/package").text
    html = app.get("/working-group/tracker").text
    assert '<th scope="row"><a href="/working-group/members/KEN">Kenya</a></th>' in html
    assert "implemented" in html
    member = app.get("/working-group/members/KEN").text
    assert "https://example.org/ken" in member and "2017-12-13" in member
    assert app.get("/working-group/members/ZZZ").status_code == 404


def test_api(app) -> None:  # type: ignore[no-untyped-def]
    body = app.get("/api/v1/working-group/members").json()
    assert body["count"] == 3
    assert {m["economy"]: m["region"] for m in body["members"]}["EUN"] == "Europe"
    assert len(app.get("/api/v1/working-group/recommendations").json()) == 2
    assert app.get("/api/v1/working-group/tracker", params={"economy": "KEN"}).json()[0][
        "status"] == "implemented"
    assert app.get("/api/v1/working-group/events").json()[0]["slug"] == "dialogue-2024"


def test_ics_feed(app) -> None:  # type: ignore[no-untyped-def]
    response = app.get("/working-group/events.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text
    assert "DTSTART:20240501T120000Z\r\n" in text
    assert "SUMMARY:Dialogue\\; small\\, firms\\, big barriers" not in text  # only ; and , escaped
    assert "SUMMARY:Dialogue\\; small firms\\, big barriers\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def _old_timestamp(seconds_ago: float) -> str:
    serializer = URLSafeTimedSerializer("platform-test-key", salt="form-time")
    return serializer.dumps(int(time.time() - seconds_ago))


def _post_feedback(app, obstacle: str, **extra: str):  # type: ignore[no-untyped-def]
    token = csrf_from(app.get("/feedback").text)
    data = {"csrf_token": token, "shown": _old_timestamp(30), "name": "Ana",
            "obstacle": obstacle, "website": ""}
    data.update(extra)
    return app.post("/feedback", data=data)


def test_feedback_is_stored_pending_and_published_only_after_moderation(
        app, db: Database) -> None:  # type: ignore[no-untyped-def]
    response = _post_feedback(app, "Customs forms at the border take three days to clear.")
    assert response.status_code == 200 and "Thank you" in response.text
    with db.connect() as conn:
        items = list_feedback(conn)
    assert [i.status for i in items] == ["pending"]
    assert "three days" not in app.get("/working-group/feedback").text


def test_feedback_honeypot_and_speed_checks(app, db: Database) -> None:  # type: ignore[no-untyped-def]
    assert _post_feedback(app, "A real-looking obstacle text.", website="http://spam").status_code == 200
    fast = _post_feedback(app, "A real-looking obstacle text.", shown=_old_timestamp(0))
    assert fast.status_code == 400
    forged = _post_feedback(app, "A real-looking obstacle text.", shown="12345")
    assert forged.status_code == 400
    with db.connect() as conn:
        assert list_feedback(conn) == []


def test_feedback_rate_limit_per_address(app, db: Database) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        assert _post_feedback(app, f"Obstacle number {i} is quite real.").status_code == 200
    assert _post_feedback(app, "One more obstacle, too many.").status_code == 429
    with db.connect() as conn:
        assert len(list_feedback(conn)) == 3


def test_feedback_validation_errors_next_to_fields(app) -> None:  # type: ignore[no-untyped-def]
    response = _post_feedback(app, "short", country="XXX")
    assert response.status_code == 422
    assert 'id="obstacle-error"' in response.text and 'id="country-error"' in response.text


def test_feedback_without_csrf_token_is_rejected(app, db: Database) -> None:  # type: ignore[no-untyped-def]
    app.get("/feedback")
    response = app.post("/feedback", data={"shown": _old_timestamp(30),
                                           "obstacle": "No token in this form at all."})
    assert response.status_code == 403
    bad = app.post("/feedback", data={"csrf_token": "forged", "shown": _old_timestamp(30),
                                      "obstacle": "No token in this form at all."})
    assert bad.status_code == 403
    with db.connect() as conn:
        assert list_feedback(conn) == []


def test_script_payloads_in_feedback_are_inert(app, db: Database) -> None:  # type: ignore[no-untyped-def]
    from tradewind.workinggroup.queries import moderate_feedback

    for payload in XSS:
        _post_feedback(app, f"Obstacle {payload} here.", name=payload, sector=payload)
    with db.transaction() as conn:
        for item in list_feedback(conn):
            moderate_feedback(conn, item.id, "published", "editor@example.org")
    html = app.get("/working-group/feedback").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert re.search(r"&#34;&gt;&lt;img|&quot;&gt;&lt;img", html)

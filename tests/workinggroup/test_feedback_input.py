"""The feedback form takes what a business owner types: a country name, long or odd text.

Regression tests from QA: the country field used to demand an ISO3 code (``Kenya`` was
refused as "at most 3 characters") and answered unknown values with jargon; names in French
and Spanish are accepted too.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.knowledge.platform_fixtures import csrf_from, loaded_app
from tradewind.db import Database
from tradewind.workinggroup.queries import list_feedback


@pytest.fixture
def app(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path, feedback_per_hour=50) as client:
        yield client


def _post(app, **fields: str):  # type: ignore[no-untyped-def]
    shown = URLSafeTimedSerializer("platform-test-key", salt="form-time").dumps(
        int(time.time() - 30))
    data = {"csrf_token": csrf_from(app.get("/feedback").text), "shown": shown, "website": "",
            "obstacle": "Customs forms at the border take three days to clear."}
    data.update(fields)
    return app.post("/feedback", data=data)


@pytest.mark.parametrize(("typed", "iso3"), [
    ("Kenya", "KEN"), ("kenya", "KEN"), ("KE", "KEN"), ("KEN", "KEN"), (" Kenya ", "KEN"),
    ("Allemagne", "DEU"), ("allemagne", "DEU"), ("Alemania", "DEU"), ("perou", "PER"),
    ("Perú", "PER"),
])
def test_country_accepts_a_name_or_a_code(app, db: Database, typed: str, iso3: str) -> None:  # type: ignore[no-untyped-def]
    assert _post(app, country=typed).status_code == 200
    with db.connect() as conn:
        assert [f.country for f in list_feedback(conn)] == [iso3]


def test_form_label_does_not_ask_for_an_iso_code(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/feedback").text
    assert "ISO3" not in html
    assert 'maxlength="3"' not in html


@pytest.mark.parametrize("typed", ["Atlantis", "ZZZ", "<script>alert(1)</script>"])
def test_unknown_country_gets_a_plain_message(app, db: Database, typed: str) -> None:  # type: ignore[no-untyped-def]
    response = _post(app, country=typed)
    assert response.status_code == 422
    assert "We do not recognise this country" in response.text
    assert "WORLD" not in response.text and "alpha-3" not in response.text
    assert "<script>alert(1)" not in response.text
    with db.connect() as conn:
        assert list_feedback(conn) == []


def test_too_long_values_are_refused_with_the_limit(app) -> None:  # type: ignore[no-untyped-def]
    response = _post(app, name="y" * 10_000)
    assert response.status_code == 422
    assert "at most 200 characters" in response.text
    response = _post(app, obstacle="x" * 10_000)
    assert response.status_code == 422
    assert "between 10 and 5000 characters" in response.text

"""Network page and API: filters, free-text questions, CSV download."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import loaded_app
from tradewind.db import Database


@pytest.fixture
def app(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path) as client:
        yield client


def test_question_finds_country_and_service(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/network", params={"q": "who can help me in Kenya with export finance?"}).text
    assert "Kenya Export Bank" in html
    assert "Chambre de Paris" not in html and "Global Trade Centre" not in html
    assert '<option value="KEN" selected>' in html


def test_filters(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/network", params={"country": "FRA"}).text
    assert "Chambre de Paris" in html and "Global Trade Centre" in html
    assert "Kenya Export Bank" not in html


def test_api_country_and_service(app) -> None:  # type: ignore[no-untyped-def]
    body = app.get("/api/v1/network", params={"country": "KEN", "service": "trade finance"}).json()
    assert [o["name"] for o in body["organisations"]] == ["Kenya Export Bank"]
    body = app.get("/api/v1/network", params={"q": "Kenya export finance"}).json()
    assert body["country"] == "KEN" and body["service"] == "trade finance"
    assert app.get("/api/v1/network", params={"country": "ZZZ"}).status_code == 404
    assert app.get("/api/v1/network", params={"service": "magic"}).status_code == 422


def test_csv_download(app) -> None:  # type: ignore[no-untyped-def]
    response = app.get("/network.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.startswith("name,acronym,kind,")
    assert "Kenya Export Bank" in response.text

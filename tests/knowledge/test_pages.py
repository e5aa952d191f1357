"""Guides, library and glossary pages and their API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import loaded_app
from tradewind.db import Database


@pytest.fixture
def app(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path) as client:
        yield client


def test_guides_index_splits_audiences(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/guides").text
    business = html.index("For businesses")
    policy = html.index("For policymakers")
    assert business < html.index("Before you export") < policy < html.index("Why MSMEs")


def test_guide_page_links_terms_tools_sources_and_escapes_html(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/guides/first-steps").text
    assert html.count('href="/glossary/fob"') == 1
    assert 'href="/glossary/cif"' in html and 'href="/glossary/letter-of-credit"' in html
    assert 'href="/hs/search"' in html and 'href="https://www.wto.org/"' in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_missing_translation_shows_english_with_a_note(app) -> None:  # type: ignore[no-untyped-def]
    fr = app.get("/fr/guides/first-steps").text
    assert "Avant d&#39;exporter" in fr and "fallback-note" not in fr
    assert 'href="/fr/glossary/fob"' in fr
    es = app.get("/es/guides/first-steps").text
    assert "Before you export" in es and "fallback-note" in es
    assert 'lang="en"' in es


def test_unknown_guide_is_404(app) -> None:  # type: ignore[no-untyped-def]
    assert app.get("/guides/nope").status_code == 404
    assert app.get("/glossary/nope").status_code == 404


def test_library_filters(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/library", params={"topic": "trade finance"}).text
    assert "Trade Finance Guide" in html and "ePing" not in html
    html = app.get("/library", params={"q": "alerts", "language": "es"}).text
    assert "ePing" in html and "Trade Finance Guide" not in html


def test_glossary_az_search_and_cross_links(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/glossary").text
    assert 'id="letter-F"' in html and 'id="letter-L"' in html
    assert "CIF (Cost" in app.get("/glossary", params={"q": "insurance"}).text
    term = app.get("/glossary/fob").text
    assert 'href="/glossary/cif"' in term and 'href="/glossary/incoterms"' in term
    fr = app.get("/fr/glossary/cif").text
    assert "fallback-note" in fr
    assert "Franco à bord" in app.get("/fr/glossary/fob").text


def test_api(app) -> None:  # type: ignore[no-untyped-def]
    guides = app.get("/api/v1/guides", params={"lang": "fr"}).json()
    assert {(g["slug"], g["translated"]) for g in guides} == {("first-steps", True),
                                                              ("why-msmes", False)}
    assert app.get("/api/v1/guides/first-steps").json()["body"].startswith("## Price")
    lib = app.get("/api/v1/library", params={"topic": "trade finance"}).json()
    assert [e["slug"] for e in lib] == ["trade-finance-guide"]
    gl = app.get("/api/v1/glossary", params={"q": "fob"}).json()
    assert gl[0]["slug"] == "fob"
    assert app.get("/api/v1/glossary/fob", params={"lang": "fr"}).json()["term"].startswith("FOB")
    bad = app.get("/api/v1/guides", params={"lang": "de"})
    assert bad.status_code == 422


def test_site_search_groups_results(app) -> None:  # type: ignore[no-untyped-def]
    html = app.get("/search", params={"q": "finance"}).text
    assert 'id="res-library"' in html and "Trade Finance Guide" in html
    assert 'id="res-organisations"' in html and "Kenya Export Bank" in html
    html = app.get("/search", params={"q": "FOB"}).text
    assert 'id="res-glossary"' in html and 'id="res-guides"' in html


def test_public_pages_render_over_the_initialised_database(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/guides", "/library", "/glossary", "/network", "/champions",
                 "/working-group", "/working-group/package", "/working-group/tracker",
                 "/working-group/events", "/feedback", "/search?q=coffee", "/login",
                 "/fr/guides", "/es/glossary"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<main id="main"' in response.text

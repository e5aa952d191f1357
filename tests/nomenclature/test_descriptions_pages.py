"""Pages and API show imported French/Spanish HS descriptions, and mark English-only ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.ingest.test_hs_descriptions_csv import ENGLISH, FRENCH, SECTIONS_EN, write
from tradewind.db import Database
from tradewind.ingest.hs_descriptions_csv import import_descriptions
from tradewind.ingest.nomenclature_csv import import_nomenclature
from tradewind.settings import Settings
from tradewind.web.app import create_app


@pytest.fixture
def client(db: Database, tmp_path: Path) -> Iterator[TestClient]:
    import_nomenclature(db, write(tmp_path, ENGLISH, "hs2022.csv"), edition="HS2022",
                        sections_path=write(tmp_path, SECTIONS_EN, "sections.csv"))
    import_descriptions(db, write(tmp_path, FRENCH), lang="fr")
    settings = Settings.load(env={}, dotenv=tmp_path / "absent.env", database_url=db.url,
                             var_dir=str(tmp_path / "var"), secret_key="k",
                             rate_limit_api_per_minute=0, rate_limit_forms_per_minute=0)
    with TestClient(create_app(settings, db=db)) as test_client:
        yield test_client


ENGLISH_NOTE = "(in English only)"


def test_french_code_page_reads_the_imported_description(client: TestClient) -> None:
    html = client.get("/fr/hs/090121").text
    assert "Café torréfié" in html and "Coffee; roasted" not in html
    assert '<span lang="en">' not in html.split("<main", 1)[1].split("</h1>", 1)[0]
    # Section II has no French name imported: it alone is marked English, with the note.
    assert '<span lang="en">Vegetable products</span>' in html
    assert "Les descriptions sans traduction chargée sont affichées en anglais" in html


def test_english_only_description_is_marked_on_french_pages(client: TestClient) -> None:
    html = client.get("/fr/hs/0101").text
    # 010129 has no French text: shown in English, marked, with the page's note.
    assert '<span lang="en">Horses; live; other</span>' in html
    assert "Chevaux vivants, reproducteurs de race pure" in html
    assert "fallback-note" in html
    assert "Les descriptions sans traduction chargée sont affichées en anglais" in html


def test_spanish_pages_fall_back_to_english_with_the_note(client: TestClient) -> None:
    html = client.get("/es/hs/090121").text
    assert '<span lang="en">Coffee; roasted</span>' in html
    assert "fallback-note" in html


def test_english_pages_keep_english(client: TestClient) -> None:
    html = client.get("/hs/090121").text
    assert "Coffee; roasted" in html and "Café torréfié" not in html
    assert "fallback-note" not in html


def test_api_gives_the_description_in_the_requested_language(client: TestClient) -> None:
    fr = client.get("/api/v1/hs/codes/090121", headers={"Accept-Language": "fr"}).json()
    assert fr["code"]["description"] == "Café torréfié"
    assert fr["code"]["description_lang"] == "fr"
    assert [p["description_lang"] for p in fr["path"]] == ["en", "fr", "fr", "fr"]
    en = client.get("/api/v1/hs/codes/090121", headers={"Accept-Language": "en"}).json()
    assert en["code"]["description"] == "Coffee; roasted"
    assert en["code"]["description_lang"] == "en"
    found = client.get("/api/v1/hs/search", params={"q": "café torréfié"},
                       headers={"Accept-Language": "fr"}).json()
    assert found["candidates"][0]["description"] == "Café torréfié"
    assert found["candidates"][0]["description_lang"] == "fr"


def test_french_finder_page_shows_french_descriptions(client: TestClient) -> None:
    html = client.get("/fr/hs/search", params={"q": "café torréfié"}).text
    assert "Café torréfié" in html


def test_conversion_targets_read_imported_descriptions(client: TestClient,
                                                       db: Database) -> None:
    """HS conversion (page /hs/convert) shows FR/ES descriptions where imported; the
    others stay English, marked lang="en" by the page with its note."""
    from tradewind.i18n import current_language
    from tradewind.i18n.labels import data_text, hs_description_note
    from tradewind.nomenclature.concordance import Conversion, Target
    from tradewind.nomenclature.translations import localise_conversion

    result = Conversion(code="090121", from_edition="HS2022", to_edition="HS2022",
                        targets=[Target("090121", "1:1", "Coffee; roasted"),
                                 Target("010129", "1:1", "Horses; live; other")],
                        path=["HS2022"], description="Coffee; roasted")
    token = current_language.set("fr")
    try:
        with db.connect() as conn:
            shown = localise_conversion(conn, result)
        assert shown.description is not None and shown.description.startswith("Café torréfié")
        french, english = shown.targets
        assert str(data_text(french.description)).startswith("Café torréfié")
        assert str(data_text(english.description)) == '<span lang="en">Horses; live; other</span>'
        assert "anglais" in str(hs_description_note([shown, *shown.targets]))
    finally:
        current_language.reset(token)
    with db.connect() as conn:
        assert localise_conversion(conn, result) is result  # English readers: as published

"""French and Spanish versions of library entries, champions, the package, events and
organisations: read from the files, stored, shown per language, with the English fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.knowledge.platform_fixtures import FILES, XSS, platform_settings, write_content
from tradewind.champions import queries as cq
from tradewind.champions.models import champion_winner_translations
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.content import load_content, read_content
from tradewind.knowledge import queries as kq
from tradewind.knowledge.fields import clean
from tradewind.knowledge.models import library_translations
from tradewind.network import queries as nq
from tradewind.web.app import create_app
from tradewind.workinggroup import queries as wq

LIBRARY = """\
    - slug: trade-finance-guide
      title: Trade Finance Guide
      organisation: ITC
      type: guide
      topics: [trade finance]
      languages: [en, fr]
      url: https://example.org/tf
      summary: How small exporters get paid and financed.
      translations:
        fr: {title: Guide du financement du commerce, summary: Comment les petits exportateurs se font payer et financer.}
        es: {title: Guía de financiación del comercio, summary: Cómo cobran y se financian los pequeños exportadores.}
    - slug: eping
      title: ePing SPS and TBT alerts
      organisation: WTO
      type: tool
      topics: [standards and SPS/TBT]
      languages: [en, fr, es]
      url: https://example.org/eping
      summary: Alerts about new product requirements in export markets.
    """
CHAMPIONS = """\
    - year: 2021
      title: Small Business Champions 2021
      theme: Greening small businesses
      partners: [WTO, ICC]
      summary: Projects that help small firms go green.
      translations:
        fr: {title: Champions des petites entreprises 2021, theme: Verdir les petites entreprises, summary: Des projets qui aident les petites entreprises à devenir plus vertes.}
      winners:
        - name: Green Co-op
          country: KEN
          summary: Solar drying for farmers.
          translations:
            fr: {summary: Séchage solaire pour les agriculteurs.}
        - {name: Blue Ltd, country: GHA, summary: Boats for fishers.}
    """
RECOMMENDATIONS = """\
    - slug: trade-info
      title: Access to information
      kind: recommendation
      adopted: 2020-12-11
      summary: Make trade information easy to find.
      translations:
        fr: {title: Accès à l'information, summary: Rendre l'information commerciale facile à trouver.}
        es: {title: Acceso a la información, summary: Hacer que la información comercial sea fácil de encontrar.}
    - {slug: declaration-2020, title: Declaration on MSMEs, kind: declaration, adopted: 2020-12-11, summary: Members commit to help MSMEs.}
    """
EVENTS = """\
    - slug: dialogue-2024
      title: Dialogue with small firms
      start: 2024-05-01T14:00:00+02:00
      place: Geneva
      online: true
      agenda: "- Opening\\n- Panels"
      translations:
        es:
          title: Diálogo con las pequeñas empresas
          agenda: |
            - Apertura
            - Paneles
    """
NETWORK = """\
    name,acronym,kind,countries,services,languages,website,email,phone,description,trade4msmes_partner,description_fr,description_es
    Kenya Export Bank,KEB,export credit agency,KEN,trade finance,en,https://example.org/keb,,,Loans and guarantees for Kenyan exporters.,no,Prêts et garanties pour les exportateurs kényans.,Préstamos y garantías para los exportadores de Kenya.
    Global Trade Centre,GTC,international organisation,WORLD,market information,en;fr;es,https://example.org/gtc,,,Market data for everyone.,yes,,
    """
OVERRIDES = {"library.yaml": LIBRARY, "champions.yaml": CHAMPIONS,
             "working_group/recommendations.yaml": RECOMMENDATIONS,
             "working_group/events.yaml": EVENTS, "network.csv": NETWORK,
             "working_group/tracker.yaml": FILES["working_group/tracker.yaml"]}


@pytest.fixture
def loaded(db: Database, tmp_path: Path) -> Database:
    load_content(db, write_content(tmp_path / "content", OVERRIDES))
    return db


@pytest.fixture
def app(loaded: Database, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(platform_settings(loaded, tmp_path), db=loaded)) as client:
        yield client


# ---------------------------------------------------------------- loader and queries
def test_loader_reads_translations_of_every_kind(tmp_path: Path) -> None:
    batches, _ = read_content(write_content(tmp_path, OVERRIDES))
    records = {b.kind: b.records for b in batches}
    lib = next(r for r in records["library"] if r["slug"] == "trade-finance-guide")
    assert lib["title_fr"] == "Guide du financement du commerce"
    assert lib["summary_es"].startswith("Cómo cobran")
    eping = next(r for r in records["library"] if r["slug"] == "eping")
    assert eping["title_fr"] == "" and eping["summary_es"] == ""
    edition = records["champions"][0]
    assert edition["theme_fr"] == "Verdir les petites entreprises" and not edition["title_es"]
    assert edition["winners"][0]["summary_fr"] == "Séchage solaire pour les agriculteurs."
    assert edition["winners"][1]["summary_fr"] == ""
    assert records["recommendations"][0]["title_es"] == "Acceso a la información"
    assert records["events"][0]["agenda_es"].startswith("- Apertura")
    kenya = next(r for r in records["network"] if r["acronym"] == "KEB")
    assert kenya["description_fr"].startswith("Prêts et garanties")


def test_queries_return_the_language_or_english_marked_untranslated(loaded: Database) -> None:
    with loaded.connect() as conn:
        fr = {e.slug: e for e in kq.search_library(conn, lang="fr")}
        assert fr["trade-finance-guide"].title == "Guide du financement du commerce"
        assert fr["trade-finance-guide"].translated
        assert fr["eping"].title == "ePing SPS and TBT alerts" and not fr["eping"].translated
        assert kq.get_library_entry(conn, "eping", "en").translated  # type: ignore[union-attr]
        # Words match the French and the English text.
        assert [e.slug for e in kq.search_library(conn, "financer", lang="fr")] == [
            "trade-finance-guide"]
        assert [e.slug for e in kq.search_library(conn, "financed", lang="fr")] == [
            "trade-finance-guide"]

        edition = cq.list_editions(conn, "fr")[0]
        assert edition.title == "Champions des petites entreprises 2021" and edition.translated
        assert [w["translated"] for w in edition.winners] == [True, False]
        assert edition.winners[1]["summary"] == "Boats for fishers."
        es = cq.list_editions(conn, "es")[0]
        assert es.title == "Small Business Champions 2021" and not es.translated

        recs = {r.slug: r for r in wq.list_recommendations(conn, "es")}
        assert recs["trade-info"].summary.startswith("Hacer que") and recs["trade-info"].translated
        assert not recs["declaration-2020"].translated

        event_es = wq.list_events(conn, lang="es")[0]
        assert event_es.title == "Diálogo con las pequeñas empresas" and event_es.translated
        assert event_es.agenda_translated
        event_fr = wq.list_events(conn, lang="fr")[0]
        assert event_fr.title == "Dialogue with small firms" and not event_fr.translated

        orgs = {o.acronym: o for o in nq.all_organisations(conn, "es")}
        assert orgs["KEB"].description.startswith("Préstamos") and orgs["KEB"].translated
        assert orgs["GTC"].description == "Market data for everyone."
        assert not orgs["GTC"].translated
        assert [o.acronym for o in nq.search_organisations(conn, q="exportateurs",
                                                           lang="fr")] == ["KEB"]


def test_editor_values_round_trip_and_partial_translation_is_refused(loaded: Database) -> None:
    with loaded.transaction() as conn:
        values = kq.library_values(conn, "eping")
        assert values is not None and values["title_fr"] == ""
        values.update(title_fr="Alertes ePing", summary_fr="Des alertes sur les exigences.")
        kq.save_library_entry(conn, values, "editor@example.org")
        assert kq.library_values(conn, "eping")["summary_fr"] == (  # type: ignore[index]
            "Des alertes sur les exigences.")
        edition = cq.edition_values(conn, "2021")
        assert edition is not None
        assert edition["winners_fr"] == "Séchage solaire pour les agriculteurs."
        edition["winners_es"] = "Secado solar\nBarcos para pescadores"
        cleaned, errors = clean(cq.EDITION_SPEC, edition)
        assert not errors, errors
        cq.save_edition(conn, cleaned, "editor@example.org")
        assert [w["summary"] for w in cq.list_editions(conn, "es")[0].winners] == [
            "Secado solar", "Barcos para pescadores"]
        # Saving again replaces the winners: their translations go with them (no orphans).
        cq.save_edition(conn, cleaned, "editor@example.org")
        count = conn.execute(select(func.count()).select_from(champion_winner_translations))
        assert count.scalar_one() == 3
    _, errors = clean(kq.LIBRARY_SPEC, {**values, "title_es": "Solo el título",
                                        "summary_es": ""})
    assert "summary_es" in errors
    _, errors = clean(cq.EDITION_SPEC, {**edition, "winners_fr": "a\nb\nc"})
    assert "winners_fr" in errors
    with loaded.transaction() as conn:
        event = wq.event_values(conn, "dialogue-2024")
        assert event is not None and event["agenda_es"].startswith("- Apertura")
        event.update(title_fr="Dialogue avec les petites entreprises", agenda_fr="")
        wq.save_event(conn, event, "editor@example.org")
        title_only = wq.list_events(conn, lang="fr")[0]
    assert title_only.translated and not title_only.agenda_translated
    assert title_only.agenda == "- Opening\n- Panels"
    _, errors = clean(wq.EVENT_SPEC, {"slug": "x", "title": "X", "start": "2024-05-01T10:00",
                                      "place": "Geneva", "agenda_fr": "- Ouverture"})
    assert "title_fr" in errors


@pytest.mark.parametrize(("rel", "text", "words"), [
    ("library.yaml", LIBRARY.replace("fr: {title: Guide", "de: {title: Guide"), "translations.de"),
    ("library.yaml", LIBRARY.replace("es: {title: Guía de financiación del comercio, ",
                                     "es: {"), "title_es"),
    ("working_group/events.yaml", EVENTS.replace("agenda: |", "place: |"), "unknown field"),
    ("champions.yaml", CHAMPIONS.replace("fr: {summary: Séchage", "fr: {resumen: Séchage"),
     "unknown field"),
])
def test_bad_translation_blocks_are_refused_naming_the_file(
        db: Database, tmp_path: Path, rel: str, text: str, words: str) -> None:
    root = write_content(tmp_path, {**OVERRIDES, rel: text})
    with pytest.raises(ImportFailed) as info:
        load_content(db, root)
    assert info.value.file == rel
    assert words in str(info.value) or words == info.value.field
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(library_translations)
                            ).scalar_one() == 0


# ---------------------------------------------------------------- pages
NOTE = "fallback-note"  # the "shown in English" note (its text is translated)


def test_french_library_page_shows_french_summary_and_marks_english(app: TestClient) -> None:
    fr = app.get("/fr/library").text
    assert "Comment les petits exportateurs se font payer et financer." in fr
    assert "How small exporters get paid" not in fr
    assert NOTE in fr  # ePing is not translated: shown in English with the note
    assert '<p lang="en">Alerts about new product requirements' in fr
    en = app.get("/library").text
    assert "How small exporters get paid and financed." in en and NOTE not in en


def test_spanish_pages_for_package_events_champions_and_network(app: TestClient) -> None:
    package = app.get("/es/working-group/package").text
    assert "Hacer que la información comercial sea fácil de encontrar." in package
    assert NOTE in package  # the declaration has no Spanish version
    events = app.get("/es/working-group/events").text
    assert "Diálogo con las pequeñas empresas" in events and "Apertura" in events
    assert NOTE not in events
    champions = app.get("/es/champions").text
    assert "Projects that help small firms go green." in champions and NOTE in champions
    network = app.get("/es/network").text
    assert "Préstamos y garantías para los exportadores de Kenya." in network
    assert NOTE in network  # GTC has no Spanish description


def test_french_champions_fully_translated_edition_still_notes_untranslated_winner(
        app: TestClient) -> None:
    fr = app.get("/fr/champions").text
    assert "Verdir les petites entreprises" in fr and "Séchage solaire" in fr
    assert '<span lang="en">Boats for fishers.</span>' in fr
    assert NOTE in fr


def test_translated_text_is_escaped(db: Database, tmp_path: Path) -> None:
    with db.transaction() as conn:
        kq.save_library_entry(conn, {
            "slug": "x", "title": "X", "organisation": "WTO", "type": "tool",
            "topics": ["customs"], "languages": ["en"], "url": "https://example.org/x",
            "summary": "English.", "title_fr": XSS[0], "summary_fr": XSS[1]}, "t")
    with TestClient(create_app(platform_settings(db, tmp_path), db=db)) as client:
        html = client.get("/fr/library").text
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("path", ["/fr/library", "/es/library", "/fr/champions",
                                  "/es/champions", "/fr/working-group/package",
                                  "/es/working-group/package", "/fr/working-group/events",
                                  "/es/working-group/events", "/fr/network", "/es/network"])
def test_shipped_content_needs_no_english_fallback(client: TestClient, path: str) -> None:
    """Every shipped library entry, edition, winner, recommendation, event and organisation
    has French and Spanish text, so no page of these kinds falls back to English."""
    response = client.get(path)
    assert response.status_code == 200
    assert NOTE not in response.text
    assert 'lang="en"' not in response.text.split("<main", 1)[-1]


def test_editor_adds_a_french_winner_summary_in_the_web_form(db: Database,
                                                             tmp_path: Path) -> None:
    """Admin form → preview → save → the French champions page shows the new text."""
    from tests.accounts.test_admin import _form, _save
    from tests.knowledge.platform_fixtures import loaded_app, log_in, make_user

    with loaded_app(db, tmp_path) as client:
        make_user(db)
        assert log_in(client).status_code == 303
        data = _form(client, "champions", "2021")
        assert data["winners"].startswith("Green Co-op | KEN |")
        assert "winners_fr" in data and "title_es" in data
        data.update(title_fr="Champions 2021", theme_fr="Verdir",
                    summary_fr="Des projets verts.", winners_fr="Séchage solaire au Kenya.")
        assert _save(client, "champions", data).status_code == 303
        fr = client.get("/fr/champions").text
    assert "Séchage solaire au Kenya." in fr and "Des projets verts." in fr
    assert NOTE not in fr

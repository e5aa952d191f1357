"""Guides with English fallback, library search and filters, glossary search."""

from pathlib import Path

from tests.knowledge.platform_fixtures import write_content
from tradewind.db import Database
from tradewind.ingest.content import load_content
from tradewind.knowledge import queries as kq


def test_guides_fall_back_to_english(db: Database, tmp_path: Path) -> None:
    load_content(db, write_content(tmp_path))
    with db.connect() as conn:
        fr = {g.slug: g for g in kq.list_guides(conn, "fr")}
        assert fr["first-steps"].title == "Avant d'exporter" and fr["first-steps"].translated
        assert fr["why-msmes"].lang == "en" and not fr["why-msmes"].translated
        assert [g.slug for g in kq.list_guides(conn, "en", "policy")] == ["why-msmes"]
        es = kq.get_guide(conn, "first-steps", "es")
        assert es is not None and es.lang == "en" and not es.translated


def test_library_search_and_filters(db: Database, tmp_path: Path) -> None:
    load_content(db, write_content(tmp_path))
    with db.connect() as conn:
        assert [e.slug for e in kq.search_library(conn, topic="trade finance")] == \
            ["trade-finance-guide"]
        assert [e.slug for e in kq.search_library(conn, language="es")] == ["eping"]
        assert [e.slug for e in kq.search_library(conn, organisation="wto")] == ["eping"]
        assert [e.slug for e in kq.search_library(conn, type="guide")] == ["trade-finance-guide"]
        assert [e.slug for e in kq.search_library(conn, "product requirements")] == ["eping"]
        assert kq.search_library(conn, "nothing-like-this") == []
        facets = kq.library_facets(conn)
        assert facets["organisation"] == ["ITC", "WTO"]


def test_glossary_search_and_translation(db: Database, tmp_path: Path) -> None:
    load_content(db, write_content(tmp_path))
    with db.connect() as conn:
        assert [t.slug for t in kq.list_terms(conn, "en", "free on board")] == ["fob"]
        terms = kq.list_terms(conn, "fr")
        fob = next(t for t in terms if t.slug == "fob")
        cif = next(t for t in terms if t.slug == "cif")
        assert fob.translated and not cif.translated
        assert [t.slug for t in kq.terms_linking_to(conn, "fob", "en")] == ["cif", "incoterms"]

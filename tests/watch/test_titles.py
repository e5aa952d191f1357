"""Content change titles reach each recipient in their language where a translation exists
(digest, webhook, Atom feed); otherwise the original, marked with its language."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tradewind.db import Database
from tradewind.knowledge import queries as knowledge
from tradewind.watch import feeds, lists, titles
from tradewind.watch.lists import topic_item
from tradewind.watch.worker import run_once
from tradewind.workinggroup import queries as wg

from .conftest import Inbox, Receiver, mail_settings

GUIDE = {"slug": "export-coffee", "lang": "en", "audience": "business", "order": 1,
         "title": "Exporting coffee", "summary": "How to", "body": "Text", "topics": [],
         "tools": [], "sources": []}


def _save_content(db: Database) -> None:
    start = datetime.now(UTC) + timedelta(days=40)
    with db.transaction() as conn:
        knowledge.save_guide(conn, GUIDE, "editor@example.org")  # English only
        knowledge.save_library_entry(conn, {
            "slug": "itc-guide", "title": "ITC guide", "organisation": "ITC", "type": "guide",
            "topics": [], "languages": ["en"], "url": "https://example.org", "year": 2024,
            "summary": "S", "title_fr": "Guide de l’ITC", "summary_fr": "Résumé"},
            "editor@example.org")
        wg.save_event(conn, {"slug": "wg-meeting", "title": "Working Group meeting",
                             "start": start, "end": None, "place": "Geneva", "online": False,
                             "agenda": "A", "url": "", "title_fr": "Réunion du groupe",
                             "agenda_fr": "Ordre du jour"}, "editor@example.org")


def _subscribe(db: Database, email: str, language: str, hook: str | None = None) -> str:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, [topic_item("section", section="guides"),
                                            topic_item("section", section="library"),
                                            topic_item("events")],
                              language=language, webhook_url=hook, allow_private=True)
        lists.confirm(conn, sub.confirm_token)
        return next(w.feed_token for w in lists.list_watches(conn, email))


def test_digest_webhook_and_feed_titles_follow_the_recipients_language(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    feed_fr = _subscribe(watch_db, "fr@example.org", "fr", receiver.url)
    _subscribe(watch_db, "es@example.org", "es")
    _save_content(watch_db)
    settings = mail_settings(watch_db, tmp_path, port)
    run_once(watch_db, settings, datetime.now(UTC) + timedelta(seconds=1))
    mails = {str(m["To"]): m for m in inbox.messages}
    fr_text = mails["fr@example.org"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    fr_html = mails["fr@example.org"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Guide de l’ITC" in fr_text and "Réunion du groupe" in fr_text
    assert "ITC guide" not in fr_text and "Working Group meeting" not in fr_text
    assert '<span lang="en">Exporting coffee</span>' in fr_html  # no French guide: marked
    es_text = mails["es@example.org"].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "ITC guide" in es_text and "Working Group meeting" in es_text  # no Spanish
    events = {e["data"]["event"]["reference"]: e["data"]["event"]
              for e in (json.loads(body) for _h, body in receiver.requests)}
    assert (events["library/itc-guide"]["title"],
            events["library/itc-guide"]["title_language"]) == ("Guide de l’ITC", "fr")
    assert events["guides/export-coffee/en"]["title_language"] == "en"
    with watch_db.connect() as conn:
        atom = feeds.atom(conn, settings, feed_fr)
    assert 'xml:lang="fr"' in atom and "Réunion du groupe" in atom
    assert '<title xml:lang="en">Exporting coffee</title>' in atom


def test_a_guide_translated_later_is_shown_in_the_readers_language(watch_db: Database) -> None:
    with watch_db.transaction() as conn:
        knowledge.save_guide(conn, GUIDE, "editor@example.org")
        ref = "guides/export-coffee/en"
        before = titles.translations(conn, [ref])
        knowledge.save_guide(conn, {**GUIDE, "lang": "fr", "title": "Exporter du café"}, "ed")
        after = titles.translations(conn, [ref])
    assert titles.choose("Exporting coffee", ref, "fr", before) == titles.Title(
        "Exporting coffee", "en")
    assert titles.choose("Exporting coffee", ref, "fr", after) == titles.Title(
        "Exporter du café", "fr")
    assert titles.choose("x", "unknown/ref", "es", after) == titles.Title("x", "en")

"""Content change titles in the recipient's language.

A ``content.*`` event keeps the title the editor saved (in the entry's original language).
When the entry has a translation in the recipient's language, digests, feeds and webhooks
show that instead; otherwise the original, with its language so the HTML can mark it
(``lang=``).  Translations are read at delivery time, so one added after the change is used.

Originals: library entries, glossary terms and Working Group events are written in English
with French and Spanish translations beside them; a guide is one row per language, and the
event of a guide names the language that was saved (``guides/<slug>/<lang>``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from tradewind.knowledge.models import (
    glossary_terms,
    glossary_translations,
    guides,
    library_entries,
    library_translations,
)
from tradewind.workinggroup.models import wg_event_translations, wg_events

ORIGINAL = "en"
# section → (entries, translations, foreign key, title column)
_TRANSLATED: dict[str, tuple[Table, Table, str, str]] = {
    "library": (library_entries, library_translations, "entry_id", "title"),
    "glossary": (glossary_terms, glossary_translations, "term_id", "term"),
    "events": (wg_events, wg_event_translations, "event_id", "title"),
}


@dataclass(frozen=True)
class Title:
    text: str
    language: str  # the language ``text`` is written in


def _split(reference: str) -> tuple[str, str, str]:
    """``guides/slug/lang`` → (guides, slug, lang); ``library/slug`` → (library, slug, en)."""
    section, _, rest = (reference or "").partition("/")
    if section == "guides":
        slug, _, lang = rest.partition("/")
        return section, slug, lang or ORIGINAL
    return section, rest, ORIGINAL


def translations(conn: Connection, references: Iterable[str]) -> dict[str, dict[str, str]]:
    """``{reference: {language: title}}`` for content references, the original included;
    two queries per section at most whatever the number of references."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for ref in references:
        section, slug, _lang = _split(ref)
        if slug and (section == "guides" or section in _TRANSLATED):
            wanted[section].add(slug)
    by_slug: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    if wanted.get("guides"):
        for guide in conn.execute(select(guides.c.slug, guides.c.lang, guides.c.title)
                                  .where(guides.c.slug.in_(sorted(wanted["guides"])))):
            by_slug[("guides", guide.slug)][guide.lang] = guide.title
    for section, (entries, table, key, column) in _TRANSLATED.items():
        if not wanted.get(section):
            continue
        query = (select(entries.c.slug, entries.c[column].label("original"), table.c.lang,
                        table.c[column].label("translated"))
                 .outerjoin(table, table.c[key] == entries.c.id)
                 .where(entries.c.slug.in_(sorted(wanted[section]))))
        for row in conn.execute(query):
            titles = by_slug[(section, row.slug)]
            titles[ORIGINAL] = row.original
            if row.lang and row.translated:
                titles[row.lang] = row.translated
    out: dict[str, dict[str, str]] = {}
    for ref in references:
        section, slug, _lang = _split(ref)
        if (section, slug) in by_slug:
            out[ref] = by_slug[(section, slug)]
    return out


def choose(title: str, reference: str, language: str,
           known: dict[str, dict[str, str]]) -> Title:
    """The title of one content event for a reader of ``language``."""
    texts = known.get(reference, {})
    if texts.get(language):
        return Title(texts[language], language)
    return Title(title, _split(reference)[2])


def for_rows(conn: Connection, rows: Iterable[Any]) -> dict[tuple[int, str], Title]:
    """``{(event id, language): Title}`` for the content events among outbox rows joined with
    their event and subscriber (``event_id``, ``kind``, ``title``, ``reference``,
    ``language``)."""
    content = [r for r in rows if str(r.kind).startswith("content.")]
    if not content:
        return {}
    known = translations(conn, {r.reference for r in content})
    return {(r.event_id, r.language): choose(r.title, r.reference, r.language, known)
            for r in content}


__all__ = ["Title", "choose", "for_rows", "translations"]

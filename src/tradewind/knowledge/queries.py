"""Guides, library and glossary: field declarations, saving, and the named read queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from tradewind.changes.content import record_content_change
from tradewind.db.softdelete import live
from tradewind.i18n import LANGUAGES
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, Spec
from tradewind.knowledge.models import (
    glossary_terms,
    glossary_translations,
    guides,
    library_entries,
    library_translations,
)
from tradewind.knowledge.translations import (
    completeness_check,
    flat_translations,
    read_translations,
    upsert_by_key,
    write_translations,
)

AUDIENCES = ("business", "policy")
# Marked with N_ so the catalogue carries them; stored in English, translated when shown.
LIBRARY_TYPES = (N_("guide"), N_("report"), N_("tool"), N_("database"), N_("course"),
                 N_("handbook"), N_("toolkit"), N_("portal"), N_("standard"), N_("legal text"))
LIBRARY_TOPICS = (N_("trade in goods"), N_("services"), N_("e-commerce"), N_("trade finance"),
                  N_("standards and SPS/TBT"), N_("trade facilitation"), N_("rules of origin"),
                  N_("regional trade agreements"), N_("intellectual property"),
                  N_("sustainability"), N_("market research"), N_("customs"),
                  N_("women in trade"), N_("MSME policy"))
LANG_CODES = tuple(LANGUAGES)


def _lang_code(text: str) -> str:
    code = text.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code):
        raise ValueError(f"{text!r}: expected a two-letter language code such as en")
    return code


GUIDE_SPEC = Spec("guide", N_("Guide"), (
    Field("slug", N_("Slug (web address)"), "slug", max_len=100),
    Field("lang", N_("Language"), "select", choices=LANG_CODES),
    Field("audience", N_("Audience"), "select", choices=AUDIENCES),
    Field("order", N_("Position in the sequence"), "int"),
    Field("title", N_("Title")),
    Field("summary", N_("Summary"), "textarea"),
    Field("body", N_("Text (Markdown)"), "markdown"),
    Field("topics", N_("Topics"), "list", required=False),
    Field("tools", N_("Tradewind tools (one per line: label | /path)"), "pairs", required=False,
          pair_keys=("label", "path")),
    Field("sources", N_("Official sources (one per line: title | https://…)"), "pairs",
          required=False, pair_keys=("title", "url")),
))

LIBRARY_SPEC = Spec("library", N_("Library entry"), (
    Field("slug", N_("Slug (web address)"), "slug", max_len=150),
    Field("title", N_("Title")),
    Field("organisation", N_("Publishing organisation"), max_len=100),
    Field("type", N_("Type"), "select", choices=LIBRARY_TYPES),
    Field("topics", N_("Topics"), "list", choices=LIBRARY_TOPICS),
    Field("languages", N_("Languages (ISO 639-1 codes)"), "list", item_check=_lang_code),
    Field("url", N_("Web address"), "url", max_len=500),
    Field("year", N_("Year"), "int", required=False),
    Field("summary", N_("Summary"), "textarea"),
    Field("title_fr", N_("Title in French"), required=False),
    Field("summary_fr", N_("Summary in French"), "textarea", required=False),
    Field("title_es", N_("Title in Spanish"), required=False),
    Field("summary_es", N_("Summary in Spanish"), "textarea", required=False),
), completeness_check(("title", "summary")))
LIBRARY_TRANSLATED = ("title", "summary")

GLOSSARY_SPEC = Spec("glossary", N_("Glossary term"), (
    Field("slug", N_("Slug (web address)"), "slug", max_len=100),
    Field("term", N_("Term"), max_len=200),
    Field("definition", N_("Definition"), "textarea"),
    Field("see_also", N_("See also (slugs)"), "list", required=False),
    Field("aliases", N_("Other spellings (for automatic links)"), "list", required=False),
    Field("term_fr", N_("Term in French"), required=False, max_len=200),
    Field("definition_fr", N_("Definition in French"), "textarea", required=False),
    Field("term_es", N_("Term in Spanish"), required=False, max_len=200),
    Field("definition_es", N_("Definition in Spanish"), "textarea", required=False),
))


def _now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- guides
@dataclass(frozen=True)
class Guide:
    slug: str
    lang: str
    audience: str
    order: int
    title: str
    summary: str
    body: str
    topics: list[str]
    tools: list[dict[str, str]]
    sources: list[dict[str, str]]
    updated_at: datetime
    updated_by: str
    translated: bool = True  # False when the English text stands in for a missing language

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "lang": self.lang, "audience": self.audience,
                "order": self.order, "title": self.title, "summary": self.summary,
                "body": self.body, "topics": self.topics, "tools": self.tools,
                "sources": self.sources, "updated_at": self.updated_at.isoformat(),
                "translated": self.translated}


def _guide(row: Any, translated: bool = True) -> Guide:
    m = row._mapping
    return Guide(m["slug"], m["lang"], m["audience"], m["position"], m["title"], m["summary"],
                 m["body"], list(m["topics"]), list(m["tools"]), list(m["sources"]),
                 m["updated_at"], m["updated_by"], translated)


def guide_values(conn: Connection, key: str) -> dict[str, Any] | None:
    """Stored values of a guide, keyed ``slug/lang``, in field names."""
    slug, _, lang = key.partition("/")
    row = conn.execute(select(guides).where(guides.c.slug == slug,
                                            guides.c.lang == (lang or "en"))).first()
    if row is None:
        return None
    g = _guide(row)
    return {"slug": g.slug, "lang": g.lang, "audience": g.audience, "order": g.order,
            "title": g.title, "summary": g.summary, "body": g.body, "topics": g.topics,
            "tools": g.tools, "sources": g.sources}


def save_guide(conn: Connection, values: dict[str, Any], actor: str) -> str:
    """Insert or update the guide in one language; returns its key ``slug/lang``.
    Records a ``content.guide`` change event when a reader would see a difference."""
    key = f"{values['slug']}/{values['lang']}"
    before = guide_values(conn, key)
    row = {"slug": values["slug"], "lang": values["lang"], "audience": values["audience"],
           "position": values["order"], "title": values["title"], "summary": values["summary"],
           "body": values["body"], "topics": values.get("topics") or [],
           "tools": values.get("tools") or [], "sources": values.get("sources") or [],
           "updated_at": _now(), "updated_by": actor}
    where = (guides.c.slug == row["slug"], guides.c.lang == row["lang"])
    if conn.execute(select(guides.c.id).where(*where)).first():
        conn.execute(update(guides).where(*where).values(**row))
    else:
        conn.execute(insert(guides).values(**row))
    record_content_change(conn, "guides", key, str(row["title"]), before,
                          guide_values(conn, key))
    return key


def list_guides(conn: Connection, lang: str, audience: str | None = None) -> list[Guide]:
    """Guides in ``lang``; English stands in (``translated=False``) where one is missing."""
    query = select(guides).where(guides.c.lang.in_({lang, "en"}), live(guides))
    if audience:
        query = query.where(guides.c.audience == audience)
    chosen: dict[str, Guide] = {}
    for row in conn.execute(query):
        g = _guide(row, translated=row.lang == lang)
        if g.slug not in chosen or row.lang == lang:
            chosen[g.slug] = g
    return sorted(chosen.values(), key=lambda g: (g.audience, g.order, g.title))


def get_guide(conn: Connection, slug: str, lang: str) -> Guide | None:
    for candidate in (lang, "en"):
        row = conn.execute(select(guides).where(guides.c.slug == slug, live(guides),
                                                guides.c.lang == candidate)).first()
        if row is not None:
            return _guide(row, translated=candidate == lang)
    row = conn.execute(select(guides).where(guides.c.slug == slug, live(guides))
                       .limit(1)).first()
    return _guide(row, translated=False) if row is not None else None


def guide_languages(conn: Connection, slug: str) -> list[str]:
    return sorted(r[0] for r in conn.execute(select(guides.c.lang)
                                             .where(guides.c.slug == slug, live(guides))))


def guide_keys(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(select(guides.c.slug, guides.c.lang, guides.c.title).where(live(guides))
                        .order_by(guides.c.audience, guides.c.position, guides.c.lang))
    return [(f"{r.slug}/{r.lang}", f"{r.title} [{r.lang}]") for r in rows]


# ---------------------------------------------------------------- library
@dataclass(frozen=True)
class LibraryEntry:
    slug: str
    title: str
    organisation: str
    type: str
    topics: list[str]
    languages: list[str]
    url: str
    year: int | None
    summary: str
    translated: bool = True  # False when English stands in for the page's language

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _entry(row: Any, tr: dict[int, dict[str, Any]] | None = None, lang: str = "en"
           ) -> LibraryEntry:
    m = row._mapping
    title, summary, translated = m["title"], m["summary"], lang == "en"
    if tr and m["id"] in tr:
        title, summary, translated = tr[m["id"]]["title"], tr[m["id"]]["summary"], True
    return LibraryEntry(m["slug"], title, m["organisation"], m["type"], list(m["topics"]),
                        list(m["languages"]), m["url"], m["year"], summary, translated)


def library_values(conn: Connection, slug: str) -> dict[str, Any] | None:
    row = conn.execute(select(library_entries).where(library_entries.c.slug == slug)).first()
    if row is None:
        return None
    values = _entry(row).as_dict()
    values.pop("translated")
    values.update(flat_translations(conn, library_translations, "entry_id", row.id,
                                    LIBRARY_TRANSLATED))
    return values


def save_library_entry(conn: Connection, values: dict[str, Any], actor: str) -> str:
    row = {k: values.get(k) for k in ("slug", "title", "organisation", "type", "topics",
                                      "languages", "url", "year", "summary")}
    row.update(updated_at=_now(), updated_by=actor)
    before = library_values(conn, str(row["slug"]))
    entry_id = upsert_by_key(conn, library_entries, "slug", row)
    write_translations(conn, library_translations, "entry_id", entry_id, values,
                       LIBRARY_TRANSLATED, LIBRARY_TRANSLATED)
    record_content_change(conn, "library", str(row["slug"]), str(row["title"]), before,
                          library_values(conn, str(row["slug"])))
    return str(row["slug"])


def get_library_entry(conn: Connection, slug: str, lang: str = "en") -> LibraryEntry | None:
    """One entry in ``lang`` (English, marked untranslated, where a translation is missing)."""
    row = conn.execute(select(library_entries).where(library_entries.c.slug == slug,
                                                     live(library_entries))).first()
    if row is None:
        return None
    return _entry(row, read_translations(conn, library_translations, "entry_id", lang,
                                         [row.id]), lang)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1]


def search_library(conn: Connection, q: str = "", topic: str | None = None,
                   type: str | None = None, organisation: str | None = None,
                   language: str | None = None, lang: str = "en") -> list[LibraryEntry]:
    """Entries matching every word of ``q`` (title, organisation, summary, topics) and filters.

    Entries come back in ``lang`` where translated; words match the English text and the
    ``lang`` text, so a French reader finds an entry by its French or its English title.

    The library holds hundreds of entries at most, so matching runs in Python over one
    indexed scan; the SQL stays portable between SQLite and PostgreSQL.
    """
    query = select(library_entries).where(live(library_entries)) \
        .order_by(library_entries.c.title)
    if type:
        query = query.where(library_entries.c.type == type)
    if organisation:
        query = query.where(func.lower(library_entries.c.organisation) == organisation.lower())
    words = _words(q)
    tr = read_translations(conn, library_translations, "entry_id", lang)
    scored: list[tuple[int, LibraryEntry]] = []
    for row in conn.execute(query):
        english = _entry(row)
        e = _entry(row, tr, lang)
        if topic and topic not in e.topics:
            continue
        if language and language not in e.languages:
            continue
        score = 0
        if words:
            title = f"{e.title} {english.title}".lower()
            haystack = " ".join([title, e.organisation.lower(), e.summary.lower(),
                                 english.summary.lower(), e.type, " ".join(e.topics).lower()])
            if not all(w in haystack for w in words):
                continue
            score = sum(3 if w in title else 1 for w in words)
        scored.append((score, e))
    scored.sort(key=lambda p: (-p[0], p[1].title.lower()))
    return [e for _, e in scored]


def library_facets(conn: Connection) -> dict[str, list[str]]:
    """Values present for each filter (topic, type, organisation, language)."""
    topics: set[str] = set()
    types: set[str] = set()
    orgs: set[str] = set()
    langs: set[str] = set()
    for row in conn.execute(select(library_entries.c.topics, library_entries.c.type,
                                   library_entries.c.organisation, library_entries.c.languages)
                            .where(live(library_entries))):
        topics.update(row.topics)
        types.add(row.type)
        orgs.add(row.organisation)
        langs.update(row.languages)
    return {"topic": sorted(topics), "type": sorted(types), "organisation": sorted(orgs),
            "language": sorted(langs)}


def library_keys(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(select(library_entries.c.slug, library_entries.c.title)
                        .where(live(library_entries)).order_by(library_entries.c.title))
    return [(r.slug, r.title) for r in rows]


# ---------------------------------------------------------------- glossary
@dataclass(frozen=True)
class Term:
    slug: str
    term: str
    definition: str
    see_also: list[str]
    aliases: list[str]
    translated: bool = True

    @property
    def letter(self) -> str:
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _translations(conn: Connection, lang: str) -> dict[int, tuple[str, str]]:
    if lang == "en":
        return {}
    rows = conn.execute(select(glossary_translations).where(glossary_translations.c.lang == lang))
    return {r.term_id: (r.term, r.definition) for r in rows}


def _term(row: Any, tr: dict[int, tuple[str, str]], lang: str) -> Term:
    m = row._mapping
    if lang != "en" and m["id"] in tr:
        term, definition = tr[m["id"]]
        return Term(m["slug"], term, definition, list(m["see_also"]), list(m["aliases"]), True)
    return Term(m["slug"], m["term"], m["definition"], list(m["see_also"]), list(m["aliases"]),
                lang == "en")


def list_terms(conn: Connection, lang: str = "en", q: str = "") -> list[Term]:
    """Terms in ``lang`` (English where a translation is missing), A–Z, matching ``q``."""
    tr = _translations(conn, lang)
    terms = [_term(r, tr, lang)
             for r in conn.execute(select(glossary_terms).where(live(glossary_terms)))]
    words = _words(q)
    if words:
        def hit(t: Term) -> bool:
            text = " ".join([t.term, t.definition, " ".join(t.aliases), t.slug]).lower()
            return all(w in text for w in words)
        terms = [t for t in terms if hit(t)]
        terms.sort(key=lambda t: (not all(w in t.term.lower() for w in words), t.term.lower()))
        return terms
    return sorted(terms, key=lambda t: t.term.lower())


def get_term(conn: Connection, slug: str, lang: str = "en") -> Term | None:
    row = conn.execute(select(glossary_terms).where(glossary_terms.c.slug == slug,
                                                    live(glossary_terms))).first()
    if row is None:
        return None
    return _term(row, _translations(conn, lang), lang)


def terms_by_slug(conn: Connection, slugs: list[str], lang: str) -> list[Term]:
    if not slugs:
        return []
    tr = _translations(conn, lang)
    rows = conn.execute(select(glossary_terms).where(glossary_terms.c.slug.in_(slugs),
                                                     live(glossary_terms)))
    found = {r.slug: _term(r, tr, lang) for r in rows}
    return [found[s] for s in slugs if s in found]


def terms_linking_to(conn: Connection, slug: str, lang: str) -> list[Term]:
    """Terms whose "see also" names ``slug`` (the reverse cross-links)."""
    return [t for t in list_terms(conn, lang) if slug in t.see_also]


def autolink_index(conn: Connection, lang: str) -> list[tuple[str, str, list[str]]]:
    """``(slug, term, aliases)`` in English and ``lang`` for automatic links in guides."""
    rows = list(conn.execute(select(glossary_terms.c.id, glossary_terms.c.slug,
                                    glossary_terms.c.term, glossary_terms.c.aliases)
                          .where(live(glossary_terms))))
    out = [(r.slug, r.term, list(r.aliases)) for r in rows]
    tr = _translations(conn, lang)
    out += [(r.slug, tr[r.id][0], []) for r in rows if r.id in tr]
    return out


def glossary_values(conn: Connection, slug: str) -> dict[str, Any] | None:
    row = conn.execute(select(glossary_terms).where(glossary_terms.c.slug == slug)).first()
    if row is None:
        return None
    values: dict[str, Any] = {"slug": row.slug, "term": row.term, "definition": row.definition,
                              "see_also": list(row.see_also), "aliases": list(row.aliases)}
    for tr in conn.execute(select(glossary_translations)
                           .where(glossary_translations.c.term_id == row.id)):
        values[f"term_{tr.lang}"] = tr.term
        values[f"definition_{tr.lang}"] = tr.definition
    for lang in ("fr", "es"):
        values.setdefault(f"term_{lang}", "")
        values.setdefault(f"definition_{lang}", "")
    return values


def save_term(conn: Connection, values: dict[str, Any], actor: str) -> str:
    row = {"slug": values["slug"], "term": values["term"], "definition": values["definition"],
           "see_also": values.get("see_also") or [], "aliases": values.get("aliases") or [],
           "updated_at": _now(), "updated_by": actor}
    before = glossary_values(conn, str(row["slug"]))
    existing = conn.execute(select(glossary_terms.c.id)
                            .where(glossary_terms.c.slug == row["slug"])).first()
    if existing:
        term_id = existing[0]
        conn.execute(update(glossary_terms).where(glossary_terms.c.id == term_id).values(**row))
    else:
        result = conn.execute(insert(glossary_terms).values(**row))
        pk = result.inserted_primary_key
        assert pk is not None
        term_id = pk[0]
    conn.execute(delete(glossary_translations).where(glossary_translations.c.term_id == term_id))
    for lang in ("fr", "es"):
        term, definition = values.get(f"term_{lang}"), values.get(f"definition_{lang}")
        if term and definition:
            conn.execute(insert(glossary_translations).values(
                term_id=term_id, lang=lang, term=term, definition=definition))
    record_content_change(conn, "glossary", str(row["slug"]), str(row["term"]), before,
                          glossary_values(conn, str(row["slug"])))
    return str(row["slug"])


def glossary_keys(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.execute(select(glossary_terms.c.slug, glossary_terms.c.term)
                        .where(live(glossary_terms)).order_by(glossary_terms.c.term))
    return [(r.slug, r.term) for r in rows]


def check_glossary(values: dict[str, Any], errors: dict[str, str]) -> None:
    """A translation needs both its term and its definition."""
    for lang in ("fr", "es"):
        if bool(values.get(f"term_{lang}")) != bool(values.get(f"definition_{lang}")):
            errors[f"definition_{lang}"] = "give both the term and the definition, or neither"


GLOSSARY_SPEC = Spec(GLOSSARY_SPEC.entity, GLOSSARY_SPEC.label, GLOSSARY_SPEC.fields,
                     check_glossary)

"""Site search across guides, library, glossary, organisations and HS codes, grouped by kind."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from sqlalchemy import Connection, and_, func, select

from tradewind.db import Database
from tradewind.knowledge import queries as knowledge
from tradewind.network.queries import search_organisations
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes

log = logging.getLogger(__name__)
KINDS = ("guides", "glossary", "library", "organisations", "hs")


@dataclass(frozen=True)
class Hit:
    title: str
    path: str  # site path (no language prefix) or an external URL
    snippet: str
    external: bool = False


@dataclass
class SiteResults:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.groups.values())


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if len(w) > 1]


def _hs_by_description(conn: Connection, q: str, limit: int) -> list[Hit]:
    """HS codes whose description holds every word (fallback when the finder is absent)."""
    words = _words(q)
    if not words:
        return []
    digits = re.sub(r"[\s.]", "", q)
    if digits.isdigit() and len(digits) in (2, 4, 6):
        cond = hs_codes.c.code == digits
    else:
        cond = and_(*[func.lower(hs_codes.c.description).like(f"%{w}%") for w in words])
    rows = conn.execute(select(hs_codes.c.code, hs_codes.c.description)
                        .where(hs_codes.c.edition == DEFAULT_EDITION, cond)
                        .order_by(hs_codes.c.level.desc(), hs_codes.c.code).limit(limit))
    return [Hit(f"{r.code} — {r.description[:120]}", f"/hs/{r.code}", "") for r in rows]


def _hs_hits(db: Database, conn: Connection, q: str, limit: int) -> list[Hit]:
    try:
        from tradewind.finder import search_products
    except ImportError:
        return _hs_by_description(conn, q, limit)
    try:
        result = search_products(db, q, limit)
        return [Hit(f"{c.code} — {c.description[:120]}", f"/hs/{c.code}", c.reason or "")
                for c in result.candidates]
    except Exception:  # the finder is another feature: never let it break site search
        log.exception("product finder failed; falling back to description search")
        return _hs_by_description(conn, q, limit)


def site_search(db: Database, conn: Connection, q: str, lang: str, limit: int = 8
                ) -> SiteResults:
    results = SiteResults(q)
    words = _words(q)
    if not words:
        return results
    guides = [g for g in knowledge.list_guides(conn, lang)
              if all(w in f"{g.title} {g.summary} {g.body} {' '.join(g.topics)}".lower()
                     for w in words)]
    guides.sort(key=lambda g: -sum(w in g.title.lower() for w in words))
    results.groups["guides"] = [Hit(g.title, f"/guides/{g.slug}", g.summary)
                                for g in guides[:limit]]
    results.groups["glossary"] = [Hit(t.term, f"/glossary/{t.slug}", t.definition[:200])
                                  for t in knowledge.list_terms(conn, lang, q)[:limit]]
    results.groups["library"] = [Hit(e.title, e.url, f"{e.organisation} · {e.summary[:200]}",
                                     external=True)
                                 for e in knowledge.search_library(conn, q, lang=lang)[:limit]]
    results.groups["organisations"] = [
        Hit(o.name + (f" ({o.acronym})" if o.acronym else ""),
            f"/network?q={quote_plus(o.name)}", o.description[:200])
        for o in search_organisations(conn, q=q, lang=lang)[:limit]]
    results.groups["hs"] = _hs_hits(db, conn, q, limit)
    return results

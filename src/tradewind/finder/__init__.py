"""Product finder: plain-language description (or a code) → ranked HS 2022 subheadings."""

from __future__ import annotations

from tradewind.db import Database
from tradewind.finder.engine import (
    MAX_QUERY_CHARS,
    Candidate,
    FinderResult,
    PathStep,
    Rollup,
    search_index,
)
from tradewind.finder.evidence import attach_evidence
from tradewind.finder.index import get_index
from tradewind.finder.localise import localise_result
from tradewind.finder.multilingual import to_english
from tradewind.i18n import gettext as _


def search_products(db: Database, query: str, limit: int = 10, *,
                    dense_k: int | None = None) -> FinderResult:
    """Rank HS 2022 subheadings for ``query``; raises ``InvalidInput`` for empty/huge input.

    French and Spanish descriptions are searched with their English words (the
    nomenclature is English); the result keeps the words typed and says so in a note.
    """
    index = get_index(db)
    translation = to_english(query) if len(query or "") <= MAX_QUERY_CHARS else None
    if translation is None or translation.language is None or not translation.english.strip():
        return localise_result(index, attach_evidence(db, search_index(index, query, limit,
                                                                   dense_k=dense_k)))
    result = search_index(index, translation.english, limit, dense_k=dense_k)
    result.query = query.strip()
    result.notes.append(_("Searched in English as: %(words)s", words=translation.english))
    return localise_result(index, attach_evidence(db, result, translation.english))


__all__ = ["Candidate", "FinderResult", "PathStep", "Rollup", "search_products"]

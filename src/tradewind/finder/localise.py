"""Finder results with HS descriptions in the reader's language where they were imported.

The engine ranks on the English nomenclature; this swaps the descriptions a reader sees
(candidates, their paths, heading and chapter roll-ups) for the imported French or Spanish
text, marked with its language, and leaves the English where nothing was imported.
"""

from __future__ import annotations

from tradewind.finder.engine import FinderResult
from tradewind.finder.index import FinderIndex
from tradewind.i18n import current_language
from tradewind.i18n.labels import InLanguage


def localise_result(index: FinderIndex, result: FinderResult, lang: str | None = None
                    ) -> FinderResult:
    """``result`` with descriptions in ``lang`` (default: the current language) where known."""
    chosen = lang or current_language.get()
    texts = index.localised.get(chosen)
    if not texts:
        return result

    def shown(code: str, english: str) -> str:
        text = texts.get(code)
        return InLanguage(text, chosen) if text else english

    for cand in result.candidates:
        cand.description = shown(cand.code, cand.description)
        for step in cand.path:
            step.description = shown(step.code, step.description)
    for rollup in (*result.headings, *result.chapters):
        rollup.description = shown(rollup.code, rollup.description)
    return result

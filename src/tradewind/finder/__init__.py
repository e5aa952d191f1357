"""Product finder: plain-language description (or a code) → ranked HS 2022 subheadings."""

from __future__ import annotations

from tradewind.db import Database
from tradewind.finder.engine import Candidate, FinderResult, PathStep, Rollup, search_index
from tradewind.finder.index import get_index


def search_products(db: Database, query: str, limit: int = 10) -> FinderResult:
    """Rank HS 2022 subheadings for ``query``; raises ``InvalidInput`` for empty/huge input."""
    return search_index(get_index(db), query, limit)


__all__ = ["Candidate", "FinderResult", "PathStep", "Rollup", "search_products"]

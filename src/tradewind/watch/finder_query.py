"""Finder-query watches: words resolved to HS codes by the product finder, shown to the
user to confirm before the watch is saved (a second step, no JavaScript), then stored as codes
with the words kept for display."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradewind.db import Database
from tradewind.errors import InvalidInput, UnknownValue
from tradewind.i18n import lazy_noop as N_
from tradewind.watch.lists import WatchItem

MAX_QUERY = 200
CHOICES = 3  # codes offered; the first is pre-selected


@dataclass(frozen=True)
class CodeChoice:
    code: str
    description: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "description": self.description,
                "score": round(self.score, 4)}


def clean_query(text: str | None) -> str:
    words = " ".join((text or "").split())
    if not words:
        raise InvalidInput(N_("type a few words describing the product, e.g. roasted coffee"),
                           field="query")
    if len(words) > MAX_QUERY:
        raise InvalidInput(N_("the product description is too long (at most %(count)s "
                              "characters)"), count=MAX_QUERY, field="query")
    return words


def resolve(db: Database, text: str | None, limit: int = CHOICES) -> list[CodeChoice]:
    """The finder's top codes for ``text`` (best first); InvalidInput when empty or when
    the finder finds nothing."""
    from tradewind.finder import search_products

    words = clean_query(text)
    try:
        result = search_products(db, words, limit=limit)
    except InvalidInput as exc:
        raise InvalidInput(str(exc), field="query") from None
    choices = [CodeChoice(c.code, c.description, float(c.score))
               for c in result.candidates[:limit] if c.score > 0]
    if not choices:
        raise UnknownValue(N_("no HS code found for %(query)r; try other words or type the "
                               "code"), query=words, field="query")
    return choices


def query_items(query: str, codes: Sequence[str], markets: Sequence[str]) -> list[WatchItem]:
    """The confirmed codes × markets, each remembering the words they came from."""
    words = clean_query(query)
    picked = [c for c in dict.fromkeys(codes) if c.strip()]
    if not picked:
        raise InvalidInput(N_("choose at least one of the codes found for %(query)r"),
                           query=words, field="hs")
    return [WatchItem(code, m or None, query=words) for code in picked
            for m in (list(markets) or [""])]

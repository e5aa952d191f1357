"""French and Spanish pages are written in French and Spanish.

The class of fault: an English string that never went through the catalogues (a reason built
in code, an error message, a label) showing on a translated page.  The check reads the visible
text of the main pages in each language and flags runs of English function words.  Text a page
marks as English on purpose (``lang="en"``: data published only in English, such as HS
descriptions from the WCO files, with the "(in English only)" marker) is not flagged; names,
codes and units are on an allow-list.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.answers.pages import MAIN_PAGES

#: Pages not checked yet, each with the reason.  Empty: English-only data (HS descriptions
#: not imported in French or Spanish, proof-of-origin texts, agencies) is marked lang="en" and
#: organisation names translate="no".
NOT_YET: dict[str, str] = {}
CHECKED = [p for p in MAIN_PAGES if p not in NOT_YET]

#: Frequent English function words that are not French or Spanish words.
ENGLISH = frozenset(["the", "and", "of", "to", "is", "are", "for", "with", "from", "this", "that", "which", "your", "you", "will", "was", "were", "be", "been", "has", "have", "not", "by", "or", "on", "at", "it", "its", "an", "their", "there", "these", "those", "what", "when", "where", "how", "can", "may", "must", "should", "would", "could", "into", "than", "then", "them", "they", "our", "we", "all", "any", "each", "only", "also"])
#: Words shared with French or Spanish, or common in names: never evidence on their own.
SHARED = frozenset({"a", "on", "an", "as", "i", "me", "son", "pour", "plus", "total", "in",
                    "de", "la", "le", "do", "no", "se", "en"})
#: Proper names and codes that may contain English words.
ALLOW = re.compile(r"(SAMPLE|Tradewind|GitHub|OpenAPI|Incoterms|WCO|UN Comtrade|World Bank|"
                   r"Trade Act|Trade Expansion Act|International Emergency Economic Powers Act|"
                   r"Everything But Arms|African Growth and Opportunity Act|HS \d{4})", re.I)
MIN_ENGLISH = 3  # English words in one piece of text before it counts as English


class _Text(HTMLParser):
    """Visible text outside elements marked lang="en" (and outside code/script/style)."""

    SKIP = {"script", "style", "code", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        # Marked English on purpose, or a proper name not to translate (translate="no").
        english = (a.get("lang") or "").startswith("en") or a.get("translate") == "no"
        if tag in {"br", "img", "input", "meta", "link", "hr", "source"}:
            return
        self.stack.append((tag, tag in self.SKIP or english))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipping():
            self.parts.append(" ".join(data.split()))


def english_pieces(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    out = []
    for part in parser.parts:
        words = re.findall(r"[a-z']+", ALLOW.sub(" ", part).lower())
        hits = [w for w in words if w in ENGLISH and w not in SHARED]
        if len(hits) >= MIN_ENGLISH or (len(words) <= 4 and len(hits) >= 2):
            out.append(part)
    return out


def test_the_heuristic_flags_english_and_not_french() -> None:
    assert english_pieces("<p>The duty is charged on the value of the goods.</p>")
    assert not english_pieces("<p>Le droit est perçu sur la valeur des marchandises.</p>")
    assert not english_pieces("<p>El derecho se cobra sobre el valor de las mercancías.</p>")
    assert not english_pieces('<p lang="en">The duty is charged on the value.</p>')
    assert not english_pieces('<p translate="no">Association of the Chambers of Commerce</p>')


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_translated_pages_have_no_english(client: Any, lang: str) -> None:
    problems = []
    assert len(CHECKED) >= 14
    for path in CHECKED:
        response = client.get(f"/{lang}{path}")
        assert response.status_code == 200, path
        problems += [f"/{lang}{path}: {piece[:100]!r}" for piece in english_pieces(response.text)]
    assert not problems, f"{len(problems)} English pieces:\n" + "\n".join(problems[:60])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_watch_manage_page_has_no_english(client: Any, hs_db: Any, lang: str) -> None:
    """The manage page needs a subscriber's token: one confirmed list, removed afterwards."""
    from tradewind.watch import lists

    with hs_db.transaction() as conn:
        sub = lists.subscribe(conn, f"language-{lang}@example.org",
                              [lists.WatchItem("0901", "KEN")])
        lists.confirm(conn, sub.confirm_token)
    try:
        response = client.get(f"/{lang}/watch/manage", params={"token": sub.unsubscribe_token})
        assert response.status_code == 200
        problems = english_pieces(response.text)
        assert not problems, "\n".join(p[:100] for p in problems)
    finally:
        with hs_db.transaction() as conn:
            lists.remove_watch(conn, sub.list_id, sub.unsubscribe_token)

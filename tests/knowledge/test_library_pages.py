"""The library lists 25 entries a page (phones on slow lines), keeping the visitor's filters.

QA regression: /library sent every entry at once (a 27 000-pixel page on a phone).
"""

from __future__ import annotations

import re
from typing import Any


def _count(html: str, cls: str) -> int:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    block = main.split(f'class="results {cls}"', 1)[1].split("</ul>", 1)[0]
    return len(re.findall(r"<li>", block))


def test_library_is_paged_and_keeps_filters(client: Any) -> None:
    first = client.get("/library").text
    assert _count(first, "library") == 25
    assert 'rel="next" href="/library?page=2"' in first
    last_page = int(re.search(r"Page 1 of (\d+)", first).group(1))  # type: ignore[union-attr]
    assert last_page >= 2
    last = client.get("/library", params={"page": last_page}).text
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # out-of-range or nonsense page numbers fall back to a real page, never an error
    for odd in ("0", "-3", "abc", "99999"):
        assert client.get("/library", params={"page": odd}).status_code == 200


def test_library_pager_links_keep_filters_and_language(client: Any) -> None:
    html = client.get("/fr/library", params={"q": "", "topic": "trade in goods"}).text
    if 'rel="next"' in html:
        assert 'href="/fr/library?q=&amp;topic=trade+in+goods&amp;page=2"' in html


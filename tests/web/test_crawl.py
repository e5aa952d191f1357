"""Walk the site from the home page like a visitor would: no server error, no dead link.

Bounded so it stays fast (at most ``MAX_PAGES`` pages, at most ``PER_SECTION`` per first
path segment so that thousands of HS code pages do not crowd out the rest of the site).
One language: the prefixes themselves are covered by tests of the layout and of each page.
"""

from __future__ import annotations

import re
import time
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

MAX_PAGES = 400
PER_SECTION = 35
TIME_BUDGET_S = 50.0
LANG_PREFIX = re.compile(r"^/(en|fr|es)(?=/|$)")


class _Links(HTMLParser):
    """Every address a visitor can follow: links, stylesheets, GET forms (without fields)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.found.append(a["href"] or "")
        elif tag in ("img", "script") and a.get("src"):
            self.found.append(a["src"] or "")
        elif tag == "form" and (a.get("method") or "get").lower() == "get" and a.get("action"):
            self.found.append(a["action"] or "")


def _internal(base: str, href: str) -> str | None:
    target = urlsplit(urljoin(base, urldefrag(href)[0]))
    if target.scheme not in ("http", "https") or target.netloc != "testserver":
        return None
    if LANG_PREFIX.match(target.path):  # the language switcher: same pages, other language
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def _section(path: str) -> str:
    return "/" + path.split("?")[0].strip("/").split("/")[0] + ("?" if "?" in path else "")


@pytest.mark.slow
def test_every_internal_link_from_home_works(client: Any) -> None:
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen = {"/"}
    per_section: dict[str, int] = {}
    broken: list[str] = []
    visited = 0
    started = time.monotonic()
    while queue and visited < MAX_PAGES and time.monotonic() - started < TIME_BUDGET_S:
        path, source = queue.popleft()
        response = client.get(path, follow_redirects=False)
        visited += 1
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {path} (linked from {source})")
            continue
        if response.is_redirect:
            links = [response.headers["location"]]
        elif "text/html" in response.headers.get("content-type", ""):
            parser = _Links()
            parser.feed(response.text)
            links = parser.found
        else:
            continue
        for href in links:
            target = _internal("http://testserver" + path, href)
            if target is None or target in seen:
                continue
            seen.add(target)
            section = _section(target)
            per_section[section] = per_section.get(section, 0) + 1
            if per_section[section] <= PER_SECTION:
                queue.append((target, path))
    assert visited >= 50, f"the crawl only reached {visited} pages"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])

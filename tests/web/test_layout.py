"""Shared layout: the language switcher keeps the visitor's question (QA regression)."""

from __future__ import annotations

from typing import Any


def _switcher(html: str) -> str:
    return html.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]


def test_language_switch_keeps_the_query_string(client: Any) -> None:
    html = client.get("/fr/hs/search", params={"q": "café torréfié"}).text
    links = _switcher(html)
    assert 'href="/en/hs/search?q=caf%C3%A9+torr%C3%A9fi%C3%A9"' in links
    assert 'href="/es/hs/search?q=caf%C3%A9+torr%C3%A9fi%C3%A9"' in links


def test_language_switch_escapes_the_query_string(client: Any) -> None:
    html = client.get("/glossary", params={"q": '"><script>alert(1)</script>'}).text
    links = _switcher(html)
    assert "<script>alert(1)" not in links
    assert 'href="/fr/glossary?q=' in links


def test_language_switch_without_query(client: Any) -> None:
    links = _switcher(client.get("/es/guides").text)
    assert 'href="/fr/guides"' in links and "?" not in links



def test_scrolling_tables_can_be_reached_with_the_keyboard(client: Any) -> None:
    """A table that scrolls sideways on a phone must be focusable (axe: scrollable-region-focusable)."""
    html = client.get("/data-sources").text
    assert '<div class="table-wrap" tabindex="0" role="region" aria-label="' in html
    tracker = client.get("/working-group/tracker").text
    assert 'class="table-scroll" tabindex="0"' in tracker
    member = client.get("/working-group/members/KEN")
    assert member.status_code == 200
    assert 'class="table-scroll" tabindex="0"' in member.text

"""Shared layout: the language switcher keeps the visitor's question; section labels translate."""

from __future__ import annotations

from typing import Any

from tradewind.i18n import current_language
from tradewind.nomenclature.queries import CodeInfo


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


def test_section_label_is_translated() -> None:
    section = CodeInfo(edition="HS2022", code="II", level=0, parent=None, section="II",
                       description="Vegetable products")
    assert section.display == "Section II"
    token = current_language.set("es")
    try:
        assert section.display != "Section II" and "II" in section.display
    finally:
        current_language.reset(token)

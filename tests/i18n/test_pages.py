"""Pages come out in the language of the URL prefix or of the browser, using the catalogues."""

from __future__ import annotations

import pytest
from markupsafe import escape

from tradewind import i18n

NAV = ("Glossary", "Library", "Find my HS code", "Where to sell", "Search the site")


def _translated(lang: str, message: str) -> str:
    text = i18n.translations(lang).gettext(message)
    assert text != message, f"{message!r} has no {lang} translation"
    return str(escape(text))


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_prefix_renders_the_interface_in_that_language(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(f"/{lang}/").text
    for message in NAV:
        assert _translated(lang, message) in html
        assert f">{message}<" not in html


def test_browser_language_is_used_without_a_prefix(client) -> None:  # type: ignore[no-untyped-def]
    saved = dict(client.cookies)
    client.cookies.clear()  # a "lang" cookie left by another test would win over the header
    try:
        html = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).text
        assert 'lang="fr"' in html and _translated("fr", "Glossary") in html
        html = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
        assert 'lang="en"' in html and ">Glossary<" in html
    finally:
        client.cookies.update(saved)

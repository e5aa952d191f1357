"""Site links written in a guide keep the reader's language (QA regression)."""

from __future__ import annotations

from tradewind.knowledge.markdown import render_markdown


def test_site_links_get_the_language_prefix() -> None:
    html = render_markdown("[Find](/hs/search) [home](/) [cost](/tariffs/cost?product=090111)",
                           {}, "/fr")
    assert 'href="/fr/hs/search"' in html
    assert 'href="/fr/"' in html
    assert 'href="/fr/tariffs/cost?product=090111"' in html


def test_files_api_and_already_prefixed_links_are_left_alone() -> None:
    html = render_markdown("[a](/static/style.css) [b](/api/v1/guides) [c](/es/guides) "
                           "[d](https://www.wto.org/) [e](#top)", {}, "/fr")
    assert 'href="/static/style.css"' in html and 'href="/api/v1/guides"' in html
    assert 'href="/es/guides"' in html and 'href="https://www.wto.org/"' in html
    assert 'href="#top"' in html


def test_english_links_are_unchanged_and_glossary_links_not_doubled() -> None:
    assert 'href="/hs/search"' in render_markdown("[Find](/hs/search)", {}, "")
    html = render_markdown("Ship FOB.", {"fob": "fob"}, "/es")
    assert 'href="/es/glossary/fob"' in html and "/es/es/" not in html


def test_guide_page_links_keep_prefix(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/fr/guides/choosing-markets").text
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/fr/hs/search"' in main
    assert 'href="/hs/search"' not in main and 'href="/tariffs' not in main

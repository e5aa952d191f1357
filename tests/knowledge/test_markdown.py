"""Safe Markdown: raw HTML is inert, unsafe links dropped, glossary terms linked once."""

from tests.knowledge.platform_fixtures import XSS
from tradewind.knowledge.markdown import render_markdown, term_index

INDEX = term_index([("fob", "FOB (Free On Board)", ["free on board"]),
                    ("letter-of-credit", "Letter of credit", [])])


def test_raw_html_is_escaped() -> None:
    for payload in XSS:
        html = render_markdown(f"Hello {payload}\n\n{payload}\n", INDEX)
        assert "<script" not in html and "<img" not in html
        assert "&lt;" in html


def test_unsafe_link_targets_are_removed() -> None:
    html = render_markdown("[a](javascript:alert(1)) [b](https://ok.org) "
                           "[c](data:text/html,x) ![i](http://x/y.png)")
    assert "javascript:" not in html and "data:" not in html and "<img" not in html
    assert 'href="https://ok.org"' in html


def test_first_occurrence_of_each_term_is_linked() -> None:
    html = render_markdown("FOB first. FOB twice. A letter of credit, free on board.",
                           INDEX, "/fr")
    assert html.count('href="/fr/glossary/fob"') == 1
    assert html.count('href="/fr/glossary/letter-of-credit"') == 1


def test_terms_in_headings_and_code_are_not_linked() -> None:
    html = render_markdown("## FOB prices\n\n`FOB` in code\n\nThen FOB.", INDEX)
    assert "<h2>FOB prices</h2>" in html
    assert "<code>FOB</code>" in html
    assert html.count("glossary/fob") == 1


def test_term_index_splits_parenthesised_names() -> None:
    assert INDEX["fob"] == "fob" and INDEX["free on board"] == "fob"

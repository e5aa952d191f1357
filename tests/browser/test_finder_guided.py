"""Browser test of a guided search with JavaScript off: search, answer a question with the
radio-button form, see the narrowed list; axe-core finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def no_js_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    yield pg
    context.close()


def _axe_serious(browser: Any, url: str) -> list[dict[str, Any]]:
    """axe needs a script, so it runs in a separate (JS-enabled) page on the same URL."""
    context = browser.new_context()
    try:
        pg = context.new_page()
        pg.goto(url)
        pg.evaluate(AXE.read_text(encoding="utf-8"))
        result = pg.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
    finally:
        context.close()
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_guided_search_without_javascript(live_server: str, browser: Any,
                                          no_js_page: Any) -> None:
    page = no_js_page
    page.goto(f"{live_server}/hs/search")
    page.fill("#finder-q", "cotton shirts")
    page.click("form.finder-form button[type=submit]")
    page.wait_for_selector("form.finder-question")
    before = page.locator("ol.finder-results > li h3 a").all_inner_texts()
    legend = page.inner_text("form.finder-question legend")
    assert legend.startswith("Question 1 of at most 3")
    options = page.locator("form.finder-question input[type=radio]")
    assert options.count() >= 3
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    assert values[-1].endswith(":other")
    preferred = ("heading:6205", "chapter:62", "wearer:men", "construction:woven")
    choice = next((v for v in values if v in preferred), values[0])
    page.check(f"form.finder-question input[value='{choice}']")
    page.click("form.finder-question button[type=submit]")
    page.wait_for_selector("ol.finder-answers")
    assert f"a={choice.replace(':', '%3A')}" in page.url
    after = page.locator("ol.finder-results > li h3 a").all_inner_texts()
    assert after and after != before
    assert "Change this answer" in page.inner_text("section.finder-guide")
    if choice in preferred:  # every preferred answer keeps men's woven shirts in chapter 62/61
        assert after[0][:2] in ("61", "62")
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing)")
    serious = _axe_serious(browser, page.url)
    assert serious == [], serious

"""On a 375-pixel phone screen no page of the finished areas scrolls sideways (QA regression).

French and Spanish words are longer than English ones: forms with long country lists
(the tariff form) and tables (a member's tracker) used to push pages wider than the screen.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ("/", "/fr/", "/es/hs", "/fr/hs/0901", "/es/hs/090121", "/fr/hs/convert",
         "/fr/guides", "/es/guides/choosing-markets", "/fr/library", "/es/glossary",
         "/fr/glossary/fob", "/es/network", "/fr/champions", "/es/working-group",
         "/fr/working-group/tracker", "/fr/working-group/members/CMR", "/es/feedback",
         "/fr/search?q=coffee", "/es/login", "/fr/data-sources", "/fr/tariffs", "/es/tariffs/cost")

WIDEST_LEAVES = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; }
    return false; };
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.children.length === 0 && el.getBoundingClientRect().right > width + 1
                    && !inScroller(el))
    .slice(0, 5).map((el) => el.tagName + ' ' + (el.textContent || '').trim().slice(0, 40));
}"""


def test_pages_fit_a_phone_screen(live_server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    too_wide = []
    try:
        for path in PAGES:
            response = page.goto(live_server + path)
            assert response is not None and response.status < 400, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide.append(f"{path}: {width}px wide, {page.evaluate(WIDEST_LEAVES)}")
    finally:
        context.close()
    assert not too_wide, "\n".join(too_wide)

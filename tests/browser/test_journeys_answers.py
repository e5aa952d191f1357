"""French and Spanish journeys in a real browser: finder → access → cost → markets.

Each step is reached through the pages' own forms and links, checked for the language's
grammar and number format, screenshotted into ``test-artifacts/journeys/`` (ignored by git),
and checked with axe-core for serious or critical violations.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
WORDS = {"fr": ("café torréfié", "au Kenya", "Calculer le coût rendu"),
         "es": ("café tostado", "en Kenia", "Calcular el coste en destino")}


def _axe(page: Any) -> list[str]:
    if not AXE.is_file():
        return []
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact}));
    }""")
    return [f"{page.url}: {v['id']} ({v['impact']})" for v in result
            if v["impact"] in ("serious", "critical")]


def _shot(page: Any, lang: str, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{lang}-{step}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_journey_finder_access_cost_markets(live_server: str, page: Any, lang: str) -> None:
    query, origin_phrase, _cost_button = WORDS[lang]
    problems: list[str] = []
    # 1. the finder, from the words a user types
    page.goto(f"{live_server}/{lang}/hs/search?q={query}")
    _shot(page, lang, "1-finder")
    problems += _axe(page)
    codes = re.findall(rf"/{lang}/hs/(\d{{6}})\b", page.content())
    assert codes, "the finder found no subheading"
    code = "090121" if "090121" in codes else codes[0]
    # 2. the access form, filled as a user would: the product in words (destination: the EU,
    # a customs union); the words go through the finder, which links back to the answer
    # with the origin, destination and date kept.
    page.goto(f"{live_server}/{lang}/tariffs")
    page.fill("#t-product", query)
    page.select_option("#t-origin", "KEN")
    page.select_option("#t-destination", "EUN")
    page.fill("#t-date", "2025-06-01")
    page.click("form.tariff-form button[type=submit]")
    page.wait_for_load_state()
    assert "/hs/search" in page.url and "origin=KEN" in page.url
    _shot(page, lang, "2a-finder-from-access")
    problems += _axe(page)
    page.click(f"a[href*='/tariffs/access?product={code}']")
    page.wait_for_load_state()
    assert "/tariffs/access" in page.url
    assert "origin=KEN" in page.url and "destination=EUN" in page.url
    text = page.inner_text("main")
    assert origin_phrase in text
    assert page.locator("select[name=member_state]").count() >= 1
    _shot(page, lang, "2-access")
    problems += _axe(page)
    # 3. the landed cost, through the page's own link, with a value
    page.click("a.button[href*='/tariffs/cost']")
    page.wait_for_load_state()
    page.fill("#c-value", "10000")
    page.select_option("#c-member-state", "FRA")
    page.click("form.cost-form button[type=submit]")
    page.wait_for_load_state()
    assert "value=10000" in page.url and "member_state=FRA" in page.url
    assert page.locator("table").count() >= 1
    _shot(page, lang, "3-cost")
    problems += _axe(page)
    # 4. the market finder for the same product
    page.goto(f"{live_server}/{lang}/tariffs/access?product={code}&origin=KEN"
              "&destination=EUN&date=2025-06-01")
    page.click(f"a[href*='/markets/rank?product={code}']")
    page.wait_for_load_state()
    assert "/markets/rank" in page.url
    assert page.locator("input[name=known_access]").count() == 1
    _shot(page, lang, "4-markets")
    problems += _axe(page)
    assert problems == [], "\n".join(problems)

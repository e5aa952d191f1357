"""Browser tests for the market finder: the weights form re-ranks without JavaScript help,
and the market pages have no serious axe-core accessibility violations (SAMPLE data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _sample_pair(live_server: str) -> tuple[str, str, str]:
    """(product, origin, market) present in the SAMPLE: Kenya's top export and top market."""
    basket = httpx.get(live_server + "/api/v1/stats/origin/KEN").json()
    product = basket["products"][0]["product"]
    ranking = httpx.get(live_server + "/api/v1/markets/rank",
                        params={"product": product, "origin": "KEN"}).json()
    return product, "KEN", ranking["results"][0]["key"]


def test_weights_form_reranks(live_server: str, page: Any) -> None:
    product, origin, _market = _sample_pair(live_server)
    page.goto(f"{live_server}/markets/rank?product={product}&origin={origin}")
    assert "SAMPLE data" in page.inner_text("main")
    page.fill("#w-supply", "0")
    page.fill("#w-demand", "0")
    page.fill("#w-ease", "7")
    page.click("text=Rank again")
    page.wait_for_load_state()
    assert "w_ease=7" in page.url
    assert page.input_value("#w-ease") == "7"
    expected = httpx.get(live_server + "/api/v1/markets/rank", params={
        "product": product, "origin": origin, "w_supply": 0, "w_demand": 0,
        "w_ease": 7}).json()["results"][0]["label"]
    first = page.inner_text("#ranking-table tbody tr:first-child th")
    assert first.strip() == expected


def test_market_pages_accessibility(live_server: str, page: Any) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run "
                    "`npm install --no-save --no-package-lock axe-core` at the repo root")
    product, origin, market = _sample_pair(live_server)
    paths = ["/markets", f"/markets/rank?product={product}&origin={origin}",
             f"/markets/products?market={market}&origin={origin}",
             f"/stats/product-market?product={product}&market={market}&origin={origin}",
             f"/stats/origin/{origin}", f"/stats/market/{market}"]
    script = AXE.read_text(encoding="utf-8")
    problems = []
    for path in paths:
        page.goto(live_server + path)
        page.evaluate(script)  # CDP evaluation: the page keeps its strict CSP
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        for v in result:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {v['id']} ({v['impact']}) at {v['nodes']}")
    assert problems == [], "\n".join(problems)

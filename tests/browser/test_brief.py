"""Browser tests of the market brief: readable at phone width (no sideways scrolling of the
page) and on the desktop, with no serious axe-core violations (SAMPLE data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PATH = ("/brief?product=610910&origin=KEN&destination=FRA&date=2025-06-02&incoterm=FOB"
        "&value=10000")


@pytest.mark.parametrize("width", [390, 1280])
def test_brief_page_layout_and_accessibility(live_server: str, page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + PATH)
    text = page.inner_text("main")
    assert "SAMPLE" in text and "Next steps" in text and "Landed cost" in text
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, f"page scrolls sideways at {width}px ({scroll}px wide)"
    assert page.locator("svg.chart").count() >= 1
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], serious

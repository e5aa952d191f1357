"""Browser test of the rules-of-origin questionnaire (``/origin-check``): walked as a user
would, without JavaScript help (adding a material re-renders the form), to a verdict with
its reasons and the proofs of origin, then changed to reach the other verdict; axe-core finds
no serious or critical violation on the phone and on the desktop (SAMPLE rules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run "
                    "`npm install --no-save --no-package-lock axe-core` at the repo root")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def _walk_to_result(page: Any, base: str) -> None:
    """Roasted coffee from Kenya to France under the SAMPLE EU–Kenya agreement, not wholly
    obtained, made from green coffee of Ethiopia (same heading: the CTH rule is not met)."""
    page.goto(base + "/origin-check")
    assert page.locator("#oc-result-h").count() == 0  # no verdict before the questions
    page.fill("#oc-product", "0901.21")
    page.select_option("#oc-origin", "KEN")
    page.select_option("#oc-destination", "FRA")
    page.fill("#oc-agreement", "sample:eu-ken")
    page.fill("#oc-price", "1000")
    page.check("input[name=wo][value=no]")
    page.fill("#mat-hs-0", "0901.11")
    page.fill("#mat-value-0", "600")
    page.select_option("#mat-origin-0", "ETH")
    page.click("button[name=add]")  # a second material row, by a round trip
    page.wait_for_load_state()
    assert page.locator("#mat-hs-1").count() == 1
    assert page.input_value("#mat-hs-0") == "0901.11"  # what was typed is kept
    page.click("form[aria-labelledby=oc-form-h] > button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [390, 1280])
def test_questionnaire_to_a_verdict(live_server: str, page: Any, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _walk_to_result(page, live_server)
    result = page.inner_text("section[aria-labelledby=oc-result-h]")
    assert page.inner_text("#oc-result-h") == "The product does not meet the rule"
    assert "CTH" in result and "sample:eu-ken" in result
    assert page.locator("section[aria-labelledby=oc-result-h] ul li").count() >= 1  # reasons
    assert "SAMPLE" in page.inner_text("main")
    assert _serious_violations(page) == []

    # The material changed to sugar (another heading): the rule is met.
    page.fill("#mat-hs-0", "1701.99")
    page.click("form[aria-labelledby=oc-form-h] > button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#oc-result-h") == "The product meets the rule"
    assert "Proofs of origin accepted" in page.inner_text("main")
    assert _serious_violations(page) == []


def test_questionnaire_errors_named_and_accessible(live_server: str, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server + "/origin-check?product=12&origin=KEN")
    assert page.locator("#oc-product[aria-invalid=true]").count() == 1
    assert "6-digit HS subheading" in page.inner_text("#oc-product-error")
    assert page.locator("#oc-result-h").count() == 0
    assert _serious_violations(page) == []

"""Browser tests: the requirements section of the market-access page and the requirements
page show measures, the procedure and the checklist, and have no serious axe violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ACCESS = "/tariffs/access?product=090111&origin=KEN&destination=FRA"
REQUIREMENTS = "/requirements?product=0901.11&origin=KEN&destination=FRA"


def test_access_page_shows_requirements(live_server: str, page: Any) -> None:
    page.goto(live_server + ACCESS)
    section = page.inner_text("#requirements")
    assert "non-tariff requirements apply" in section
    assert "Import procedure, step by step" in section
    assert "Commercial invoice" in section and "Phytosanitary certificate" in section
    link = page.get_attribute("#requirements a[href*='origin-check']", "href")
    assert link and "product=090111" in link and "destination=FRA" in link
    page.goto(live_server + "/fr" + ACCESS)
    assert "Procédure d'importation, étape par étape" in page.inner_text("#requirements")


def test_requirements_page_form_and_checklist(live_server: str, page: Any) -> None:
    page.goto(live_server + "/requirements")
    page.fill("#r-product", "0901.11")
    page.select_option("#r-destination", "KEN")
    page.click("form[aria-labelledby=req-form-h] button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Documents checklist" in text and "Register as an importer" in text


def test_requirements_accessibility(live_server: str, page: Any) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run "
                    "`npm install --no-save --no-package-lock axe-core` at the repo root")
    script = AXE.read_text(encoding="utf-8")
    problems = []
    for path in (ACCESS, REQUIREMENTS, "/es" + REQUIREMENTS):
        page.goto(live_server + path)
        page.evaluate(script)
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""")
        for v in result:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{path}: {v['id']} ({v['impact']}) at {v['nodes']}")
    assert problems == [], "\n".join(problems)

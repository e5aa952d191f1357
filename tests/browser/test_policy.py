"""Browser test of the policy dashboard: an analyst logs in, filters, downloads; axe finds
no serious accessibility violation on the dashboard and the follow-up page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import make_user, platform_settings, write_content
from tests.live import running_server
from tests.policy.test_dashboard import seed
from tradewind.db import Database
from tradewind.ingest.content import load_content

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def policy_server(db: Database, tmp_path: Path, page) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("browser tests run once, on the SQLite database")

    from tradewind.web.app import create_app

    load_content(db, write_content(tmp_path / "content"))
    make_user(db, "analyst@example.org", "analyst")
    seed(db)
    with running_server(create_app(platform_settings(db, tmp_path), db=db)) as base:
        yield base


def _axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}) at {v['nodes']}" for v in result
            if v["impact"] in ("serious", "critical")]


def test_analyst_filters_the_dashboard(policy_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(policy_server + "/policy")
    assert "/login" in page.url
    page.fill("#login-email", "analyst@example.org")
    page.fill("#login-password", "correct horse battery")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    page.goto(policy_server + "/policy")
    assert "United Kingdom" in page.inner_text("#pairs")
    assert "Japan" not in page.inner_text("#pairs")
    page.select_option("#p-sector", "XVI")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "sector=XVI" in page.url
    assert "United Kingdom" not in page.inner_text("#pairs")
    page.goto(policy_server + "/policy?origin=KEN")  # the empty test database has no countries
    page.select_option("#p-sector", "09")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "United Kingdom" in page.inner_text("#pairs")
    href = page.get_attribute("a[href*='download.csv']", "href")
    assert href and "sector=09" in href and "origin=KEN" in href
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing)")
    problems = _axe_problems(page)
    page.goto(policy_server + "/policy/follow-up")
    problems += _axe_problems(page)
    assert problems == [], "\n".join(problems)

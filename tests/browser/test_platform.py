"""Browser tests for the platform: language switch, site search, an editor's edit that
appears on the public page, and an axe-core accessibility check of the main public pages.

axe-core comes from npm (``npm install --no-save --no-package-lock axe-core`` at the repo
root); the accessibility test skips with a clear message when it is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import make_user, platform_settings, write_content
from tests.live import running_server
from tradewind.db import Database
from tradewind.ingest.content import load_content

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PAGES = ("/", "/guides", "/library", "/glossary", "/glossary/fob", "/network",
                "/network?q=who+can+help+me+in+Kenya+with+export+finance", "/champions",
                "/working-group", "/working-group/package", "/working-group/tracker",
                "/working-group/events", "/feedback", "/search?q=coffee", "/login",
                "/fr/guides", "/es/glossary")


@pytest.fixture
def writable_server(db: Database, tmp_path: Path, page) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A live server over the per-test ``db`` (edits must not touch the shared hs_db)."""
    if not db.is_sqlite:
        pytest.skip("browser tests run once, on the SQLite database")

    from tradewind.web.app import create_app

    load_content(db, write_content(tmp_path / "content"))
    make_user(db)
    with running_server(create_app(platform_settings(db, tmp_path), db=db)) as base:
        yield base


def test_language_switch(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/guides")
    assert page.get_attribute("html", "lang") == "en"
    page.click("nav.lang-switch >> text=Français")
    page.wait_for_load_state()
    assert page.url.endswith("/fr/guides")
    assert page.get_attribute("html", "lang") == "fr"
    # Links on the French page keep the prefix.
    assert page.get_attribute("a.brand", "href") == "/fr/"


def test_site_search_from_the_header(live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.fill("#site-q", "coffee")
    page.press("#site-q", "Enter")
    page.wait_for_load_state()
    assert "/search?q=coffee" in page.url
    assert page.locator("#res-hs").count() == 1
    assert page.locator("section.result-group li").count() > 0


def test_editor_login_and_edit_appears_publicly(writable_server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(writable_server + "/admin")
    assert "/login" in page.url
    page.fill("#login-email", "editor@example.org")
    page.fill("#login-password", "correct horse battery")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/admin")
    page.goto(writable_server + "/admin/glossary/edit?key=fob")
    page.fill("#f-definition", "Changed in the browser by an editor.")
    page.click("button[value=preview]")
    page.wait_for_load_state()
    assert "Changed in the browser" in page.inner_text(".preview-box")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "Saved" in page.inner_text("main")
    page.goto(writable_server + "/glossary/fob")
    assert "Changed in the browser by an editor." in page.inner_text("main")


def test_main_public_pages_have_no_serious_accessibility_violations(
        live_server: str, page) -> None:  # type: ignore[no-untyped-def]
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} missing): run "
                    "`npm install --no-save --no-package-lock axe-core` at the repo root")
    script = AXE.read_text(encoding="utf-8")
    problems = []
    for path in PUBLIC_PAGES:
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

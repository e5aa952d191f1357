"""Browser test for the product finder: search in plain words, then open a code page."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_search_then_open_code_page(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/hs/search")
    page.fill("#finder-q", "roasted coffee beans")
    page.click("form.finder-form button[type=submit]")
    page.wait_for_selector("ol.finder-results")
    first = page.locator("ol.finder-results > li h3 a").first
    assert "0901.21" in first.inner_text()
    assert first.get_attribute("href") == "/hs/090121"
    assert "By heading" in page.inner_text("main")
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/hs/090121")
    assert "0901.21" in page.inner_text("h1")


def test_short_query_groups_kinds_of_product(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/hs/search?q=shoes")
    kinds = page.locator(".finder-kinds li")
    assert kinds.count() >= 3

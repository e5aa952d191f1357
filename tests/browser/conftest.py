"""Browser tests: Playwright (Python) driving Debian's Chromium against a live server.

They skip with a clear message when ``chromium`` is not installed
(``apt-get install -y chromium``; `.ci/run` does this) — never ``playwright install``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import chromium_path
from tests.live import running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(hs_db, app_settings, backend) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if backend != "sqlite":
        pytest.skip("browser tests run once, on the SQLite database")

    from tradewind.web.app import create_app

    with running_server(create_app(app_settings, db=hs_db)) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium): "
                    "browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed")
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()

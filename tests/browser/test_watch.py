"""Browser test of watch lists: subscribe → confirm (the link read from a real SMTP inbox) →
manage → unsubscribe, without JavaScript being needed; axe finds no serious or critical
accessibility violation on any of these pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.live import running_server
from tests.watch.conftest import Inbox, free_port, mail_settings, seed_watch_db
from tradewind.db import Database
from tradewind.watch.models import watch_subscribers

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC = "https://tradewind.example"


@pytest.fixture
def watch_server(db: Database, tmp_path: Path, page) -> Iterator[tuple[str, Inbox, Database]]:  # type: ignore[no-untyped-def]
    if not db.is_sqlite:
        pytest.skip("browser tests run once, on the SQLite database")
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (npm install)")

    from tradewind.web.app import create_app

    seed_watch_db(db)
    inbox = Inbox()
    smtp_port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    settings = mail_settings(db, tmp_path, smtp_port)
    try:
        with running_server(create_app(settings, db=db)) as base:
            yield base, inbox, db
    finally:
        controller.stop()


def _axe_problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}) at {v['nodes']}" for v in result
            if v["impact"] in ("serious", "critical")]


def _link(inbox: Inbox, path: str, base: str) -> str:
    body = inbox.messages[-1].get_body(("plain",))
    assert body is not None
    url = next(w for w in body.get_content().split() if f"{PUBLIC}{path}" in w)
    return url.replace(PUBLIC, base)


def test_subscribe_confirm_manage_unsubscribe(  # type: ignore[no-untyped-def]
        watch_server: tuple[str, Inbox, Database], page) -> None:
    base, inbox, db = watch_server
    page.goto(f"{base}/watch")
    assert _axe_problems(page) == []
    page.get_by_label("E-mail").fill("browser@example.org")
    page.get_by_label("HS codes (2, 4 or 6 digits)").fill("0901")
    page.get_by_label("Markets (ISO3 or EUN)").fill("XYZ")
    page.get_by_role("button", name="Watch").click()
    assert "unknown market" in page.locator("#watch-market-error").inner_text()
    assert page.get_by_label("Markets (ISO3 or EUN)").get_attribute("aria-invalid") == "true"
    assert _axe_problems(page) == []
    page.get_by_label("Markets (ISO3 or EUN)").fill("DEU")
    page.get_by_role("button", name="Watch").click()
    assert "We sent a confirmation link to browser@example.org" in page.content()
    assert _axe_problems(page) == []

    assert inbox.wait_for(1)
    page.goto(_link(inbox, "/watch/confirm?token=", base))
    assert "browser@example.org is confirmed" in page.content()
    assert _axe_problems(page) == []

    # The manage/unsubscribe token travels in every alert; read it where the app keeps it.
    with db.connect() as conn:
        token = conn.execute(select(watch_subscribers.c.unsubscribe_token)).scalar_one()
    page.goto(f"{base}/watch/manage?token={token}")
    assert page.get_by_role("heading", name="0901 DEU").is_visible()
    assert "active" in page.content() and ".ics" in page.content()
    assert _axe_problems(page) == []
    # A topic list from the same page: a wrong member first, then a member's SPS
    # notifications and the Working Group events.
    member = page.get_by_label("All SPS/TBT notifications of a member (ISO3 or EUN)")
    member.fill("Atlantis")
    page.get_by_role("button", name="Add", exact=True).click()
    assert "unknown member" in page.content()
    assert _axe_problems(page) == []
    member.fill("KEN")
    page.get_by_label("Area").select_option("SPS")
    page.get_by_label("Working Group events (with their dates in the calendar feed)").check()
    page.get_by_role("button", name="Add", exact=True).click()
    assert page.get_by_text("Notifications of KEN (SPS)").is_visible()
    assert page.get_by_text("Working Group events", exact=True).is_visible()
    assert _axe_problems(page) == []
    page.get_by_role("link", name="Stop all alerts").click()
    assert _axe_problems(page) == []
    page.get_by_role("button", name="Stop all alerts").click()
    assert "browser@example.org is unsubscribed" in page.content()
    assert _axe_problems(page) == []
    with db.connect() as conn:
        assert conn.execute(select(watch_subscribers.c.id)).first() is None


def test_admin_queue_and_notices_pages_are_accessible(  # type: ignore[no-untyped-def]
        watch_server: tuple[str, Inbox, Database], page) -> None:
    from tests.knowledge.platform_fixtures import make_user
    from tests.watch.test_admin import seed_notices

    base, _inbox, db = watch_server
    seed_notices(db)
    make_user(db, "admin@example.org", "admin")
    page.goto(f"{base}/admin/watch/queue")
    page.fill("#login-email", "admin@example.org")
    page.fill("#login-password", "correct horse battery")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/admin/watch/queue")
    assert _axe_problems(page) == []
    page.get_by_role("link", name="Alert notices").click()
    assert "HTTP 410 Gone" in page.content() and "090122" in page.content()
    assert _axe_problems(page) == []
    page.get_by_label("Kind").select_option("codes")
    page.get_by_role("button", name="Filter").click()
    assert "HTTP 410 Gone" not in page.content()
    assert _axe_problems(page) == []
    page.get_by_label("Status").select_option("sent")
    page.get_by_role("button", name="Filter").click()
    assert _axe_problems(page) == []

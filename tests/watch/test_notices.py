"""A channel disabled for good is told through the other one (real SMTP server and HTTP
receiver), exactly once, and the manage page / API re-enable it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.watch import lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.notices import pending_notices
from tradewind.watch.worker import run_once
from tradewind.web.app import create_app

from .conftest import Inbox, Receiver, mail_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _watch(db: Database, email: str, hook: str | None) -> lists.Subscription:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, [WatchItem("0901", "KEN")], webhook_url=hook,
                              allow_private=True, now=NOW)
        lists.confirm(conn, sub.confirm_token, now=NOW)
    return sub


def _change(db: Database, new: str = "5%", at: datetime = NOW) -> None:
    with db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "MFN duty on coffee", market="KEN",
                                  hs_code="09011100", effective_date=date(2026, 1, 1),
                                  old_value="7%", new_value=new)], now=at)


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_bounced_address_is_told_by_webhook_once_and_reenabled_by_link(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    sub = _watch(watch_db, "bounce@example.org", receiver.url)
    inbox.refuse.add("bounce@example.org")
    _change(watch_db)
    run = run_once(watch_db, settings, NOW)
    assert (run.disabled, run.notices) == (1, 1)
    assert run_once(watch_db, settings, NOW + timedelta(minutes=5)).notices == 0
    types = [json.loads(body)["type"] for _h, body in receiver.requests]
    assert types == ["tradewind.change", "tradewind.channel_disabled"]
    with watch_db.connect() as conn:
        (wl,) = lists.list_watches(conn)
        (notice,) = pending_notices(conn)
    headers, body = receiver.requests[1]
    data = Webhook(wl.webhook_secret or "").verify(body, headers)["data"]
    assert data["event"]["channel"] == "email" and "550" in data["event"]["reason"]
    assert sub.unsubscribe_token in data["event"]["manage_url"]
    assert notice["status"] == "sent" and notice["via"] == "webhook"
    assert headers["webhook-id"] == "msg_" + notice["idempotency_key"].replace(":", "_")

    inbox.refuse.clear()  # the mailbox works again: the user re-enables from the page
    with TestClient(create_app(settings, db=watch_db)) as client:
        page = client.get("/watch/manage", params={"token": sub.unsubscribe_token})
        assert "are stopped" in page.text and "550" in page.text
        asked = client.post("/watch/manage", data={
            "csrf_token": _csrf(page.text), "token": sub.unsubscribe_token,
            "action": "reenable-email"})
        assert asked.status_code == 202
        link = inbox.messages[-1].get_body(("plain",))
        assert link is not None
        token = link.get_content().split("token=")[1].split()[0]
        assert client.get("/watch/confirm", params={"token": token}).status_code == 200
    with watch_db.connect() as conn:
        assert lists.list_watches(conn)[0].email_status == "active"
    count = len(inbox.messages)
    _change(watch_db, new="4%", at=NOW + timedelta(minutes=10))
    run_once(watch_db, settings, NOW + timedelta(minutes=11))
    assert len(inbox.messages) == count + 1 and "4%" in str(
        inbox.messages[-1].get_body(("plain",)).get_content())  # type: ignore[union-attr]


def test_gone_webhook_is_told_by_email_once_and_reenabled(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    sub = _watch(watch_db, "hook@example.org", receiver.url)
    receiver.statuses = [410]
    _change(watch_db)
    assert run_once(watch_db, settings, NOW).notices == 1
    assert run_once(watch_db, settings, NOW + timedelta(minutes=5)).notices == 0
    notices = [m for m in inbox.messages if m["X-Tradewind-Notice"]]
    assert len(notices) == 1
    text = notices[0].get_body(("plain",))
    assert text is not None and "410" in text.get_content()
    assert "Re-enable webhook" in text.get_content() and sub.unsubscribe_token in \
        text.get_content()
    assert notices[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with TestClient(create_app(settings, db=watch_db)) as client:
        page = client.get("/watch/manage", params={"token": sub.unsubscribe_token})
        assert "Webhook deliveries of" in page.text
        done = client.post(f"/watch/manage/{sub.list_id}", data={
            "csrf_token": _csrf(page.text), "token": sub.unsubscribe_token,
            "action": "enable-webhook"}, follow_redirects=False)
        assert done.status_code == 303
    with watch_db.connect() as conn:
        assert lists.list_watches(conn)[0].webhook_status == "active"
    _change(watch_db, new="4%", at=NOW + timedelta(minutes=10))
    run_once(watch_db, settings, NOW + timedelta(minutes=11))
    assert json.loads(receiver.requests[-1][1])["data"]["event"]["new_value"] == "4%"


def test_bounce_without_webhook_is_shown_on_the_page_only(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    sub = _watch(watch_db, "only@example.org", None)
    inbox.refuse.add("only@example.org")
    _change(watch_db)
    assert run_once(watch_db, settings, NOW).disabled == 1
    with watch_db.connect() as conn:
        assert pending_notices(conn) == []
    with TestClient(create_app(settings, db=watch_db)) as client:
        page = client.get("/watch/manage", params={"token": sub.unsubscribe_token})
        assert "Send me a confirmation link" in page.text
        api = client.post("/api/v1/watch/email/reenable", params={"token": "nope"})
        assert api.status_code == 404
        inbox.refuse.clear()
        api = client.post("/api/v1/watch/email/reenable",
                          params={"token": sub.unsubscribe_token})
        assert api.status_code == 202 and api.json()["email"] == "only@example.org"

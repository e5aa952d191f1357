"""Signed webhooks: SSRF guard, Standard Webhooks signatures, retries and HTTP 410."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.watch import lists, webhooks
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import outbox_rows, run_once

from .conftest import Inbox, Receiver, mail_settings

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _hooked(db: Database, url: str, email: str = "hook@example.org") -> tuple[int, str]:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, [WatchItem("0901", "KEN")], webhook_url=url,
                              allow_private=True, now=NOW)
        lists.confirm(conn, sub.confirm_token, now=NOW)
        (wl,) = [w for w in lists.list_watches(conn, email) if w.id == sub.list_id]
    assert wl.webhook_secret and wl.webhook_secret.startswith("whsec_")
    return sub.list_id, wl.webhook_secret


def _change(db: Database, new: str = "5%") -> None:
    with db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "MFN duty on 09011100 in KEN", market="KEN",
                                  hs_code="09011100", effective_date=date(2026, 1, 1),
                                  old_value="10%", new_value=new)], now=NOW)


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://example.org/hook", "must start with https:// or http://"),
    ("file:///etc/passwd", "must start with https:// or http://"),
    ("https:///nohost", "has no host"),
    ("https://user:pw@example.org/", "user name or password"),
    ("http://127.0.0.1:8080/hook", "loopback address: refused"),
    ("http://localhost/hook", "refused"),
    ("http://[::1]/hook", "loopback address: refused"),
    ("http://10.1.2.3/hook", "private address: refused"),
    ("http://192.168.0.10/hook", "private address: refused"),
    ("http://169.254.169.254/latest/meta-data", "refused"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback address: refused"),
    ("http://224.0.0.1/hook", "multicast address: refused"),
    ("http://0.0.0.0/hook", "refused"),
    ("http://no-such-host.invalid/hook", "does not resolve"),
])
def test_unsafe_urls_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(webhooks.UnsafeWebhookURL, match=message):
        webhooks.check_url(url)


def test_public_address_passes_and_private_allowed_by_setting(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_getaddrinfo(host: str, port: int, **_kw: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    assert webhooks.check_url(" https://hooks.example.org/x ") == "https://hooks.example.org/x"
    monkeypatch.undo()
    assert webhooks.check_url("http://127.0.0.1:9/x", allow_private=True)


def test_subscribe_refuses_loopback_webhook_and_writes_nothing(watch_db: Database) -> None:
    with watch_db.transaction() as conn, pytest.raises(lists.InvalidInput, match="loopback"):
        lists.subscribe(conn, "ssrf@example.org", [WatchItem("0901", "KEN")],
                        webhook_url="http://127.0.0.1/admin")
    with watch_db.connect() as conn:
        assert lists.list_watches(conn) == []


def test_signed_webhook_verifies_with_reference_library(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    _inbox, port = smtp
    list_id, secret = _hooked(watch_db, receiver.url)
    _change(watch_db)
    run = run_once(watch_db, mail_settings(watch_db, tmp_path, port), NOW)
    assert run.messages == 2  # one e-mail, one webhook
    ((headers, body),) = receiver.requests
    payload = Webhook(secret).verify(body, headers)
    assert payload["type"] == "tradewind.change"
    assert payload["data"]["watch_list_id"] == list_id
    assert payload["data"]["event"]["new_value"] == "5%"
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["webhook-id"] == f"msg_{list_id}_{payload['data']['event']['id']}_webhook"
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace(b"5%", b"0%"), headers)


def test_server_error_is_retried_with_backoff_then_delivered_once(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    _inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    _hooked(watch_db, receiver.url)
    _change(watch_db)
    receiver.statuses = [500, 503]
    assert run_once(watch_db, settings, NOW).failed == 1
    with watch_db.connect() as conn:
        row = next(r for r in outbox_rows(conn) if r["channel"] == "webhook")
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "HTTP 500" in row["last_error"]
    assert run_once(watch_db, settings, NOW + timedelta(seconds=30)).messages == 0  # backing off
    assert run_once(watch_db, settings, NOW + timedelta(minutes=1)).failed == 1  # 503
    assert run_once(watch_db, settings, NOW + timedelta(minutes=5)).delivered == 1
    assert run_once(watch_db, settings, NOW + timedelta(hours=1)).messages == 0
    ids = [h["webhook-id"] for h, _b in receiver.requests]
    assert len(ids) == 3 and len(set(ids)) == 1  # the same webhook-id on every try
    with watch_db.connect() as conn:
        row = next(r for r in outbox_rows(conn) if r["channel"] == "webhook")
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 3, None)


def test_gone_disables_the_channel_and_the_user_sees_it(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    list_id, _secret = _hooked(watch_db, receiver.url)
    _change(watch_db)
    receiver.statuses = [410]
    run = run_once(watch_db, settings, NOW)
    # The alert still goes out by e-mail, followed by the notice that the webhook is off.
    assert run.disabled == 1 and run.notices == 1 and len(inbox.messages) == 2
    assert inbox.messages[1]["X-Tradewind-Notice"]
    with watch_db.connect() as conn:
        (wl,) = lists.list_watches(conn)
        assert wl.webhook_status == "disabled" and "410" in (wl.webhook_disabled_reason or "")
        assert wl.email_status == "active"
    _change(watch_db, new="2%")  # no more webhook rows for a disabled channel
    run_once(watch_db, settings, NOW + timedelta(minutes=1))
    assert len(receiver.requests) == 1
    with watch_db.transaction() as conn:  # setting the URL again re-enables it
        lists.set_webhook(conn, list_id, receiver.url, allow_private=True)
        (wl,) = lists.list_watches(conn)
    assert wl.webhook_status == "active"


def test_url_that_turns_private_is_refused_at_send_time(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    _inbox, port = smtp
    _hooked(watch_db, receiver.url)  # accepted while private addresses were allowed
    _change(watch_db)
    strict = mail_settings(watch_db, tmp_path, port, watch_webhook_allow_private=False)
    run = run_once(watch_db, strict, NOW)
    assert run.disabled == 1 and receiver.requests == []
    with watch_db.connect() as conn:
        (wl,) = lists.list_watches(conn)
    assert "loopback address: refused" in (wl.webhook_disabled_reason or "")

"""API and CLI surfaces of watch lists."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tradewind.db import Database
from tradewind.watch import lists
from tradewind.watch.models import watch_subscribers
from tradewind.web.app import create_app

from .conftest import Inbox, Receiver, mail_settings


def test_api_subscribe_confirm_unsubscribe(watch_db: Database, smtp: tuple[Inbox, int],
                                           tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    with TestClient(create_app(settings, db=watch_db)) as client:
        bad = client.post("/api/v1/watch", json={"email": "x", "hs": ["0901"]})
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
        unknown = client.post("/api/v1/watch", json={"email": "a@example.org", "hs": ["0999"]})
        assert unknown.status_code == 404 and "HS2022" in unknown.json()["detail"]
        created = client.post("/api/v1/watch", json={"email": "a@example.org", "hs": ["0901"],
                                                     "markets": ["EUN"], "language": "es"})
        assert created.status_code == 202 and created.json()["status"] == "pending"
        (mail,) = inbox.messages
        body = mail.get_body(("plain",))
        assert body is not None
        token = body.get_content().split("token=")[1].split()[0]
        assert client.get("/api/v1/watch/confirm", params={"token": token}).json()[
            "status"] == "confirmed"
        assert client.get("/api/v1/watch/confirm", params={"token": token}).status_code == 404
        with watch_db.connect() as conn:
            (watch,) = lists.list_watches(conn)
        assert watch.confirmed
        with watch_db.connect() as conn:
            unsub = conn.execute(select(watch_subscribers.c.unsubscribe_token)).scalar_one()
        done = client.post("/api/v1/watch/unsubscribe", params={"token": unsub})
        assert done.json()["status"] == "unsubscribed"


def test_cli_add_list_remove(watch_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import tradewind.cli  # noqa: F401  (registers the commands)

    cli_app = sys.modules["tradewind.cli.app"]
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", watch_db.url)
    cli_app.database.cache_clear()
    cli_app.settings.cache_clear()
    try:
        runner = CliRunner()
        added = runner.invoke(cli_app.app, ["watch", "add", "cli@example.org", "--hs", "0901",
                                            "--market", "EUN", "--json"])
        assert added.exit_code == 0, added.output
        listed = runner.invoke(cli_app.app, ["watch", "list"])
        assert "cli@example.org" in listed.output
        refused = runner.invoke(cli_app.app, ["watch", "add", "cli@example.org", "--market",
                                              "XYZ"])
        assert refused.exit_code == 1 and "unknown market" in refused.output
        with watch_db.connect() as conn:
            list_id = lists.list_watches(conn)[0].id
        assert runner.invoke(cli_app.app, ["watch", "remove", str(list_id)]).exit_code == 0
        with watch_db.connect() as conn:
            assert lists.list_watches(conn) == []
    finally:
        cli_app.database().dispose()
        cli_app.database.cache_clear()
        cli_app.settings.cache_clear()


def test_pages_subscribe_without_javascript(watch_db: Database, smtp: tuple[Inbox, int],
                                            tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    with TestClient(create_app(settings, db=watch_db)) as client:
        page = client.get("/watch")
        assert page.status_code == 200
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        refused = client.post("/watch", data={"csrf_token": csrf, "email": "p@example.org",
                                              "hs": "0901", "market": "XYZ"})
        assert refused.status_code == 422 and "unknown market" in refused.text
        done = client.post("/watch", data={"csrf_token": csrf, "email": "p@example.org",
                                           "hs": "0901", "market": "DEU"})
        assert done.status_code == 202 and "p@example.org" in done.text
        body = inbox.messages[0].get_body(("plain",))
        assert body is not None
        token = body.get_content().split("token=")[1].split()[0]
        assert "is confirmed" in client.get("/watch/confirm", params={"token": token}).text
        with watch_db.connect() as conn:
            unsub = conn.execute(select(watch_subscribers.c.unsubscribe_token)).scalar_one()
        assert "Stop all alerts" in client.get("/watch/unsubscribe",
                                               params={"token": unsub}).text
        gone = client.post("/watch/unsubscribe", params={"token": unsub})  # one-click
        assert gone.status_code == 200 and "unsubscribed" in gone.text


def _confirmed(db: Database, email: str = "m@example.org") -> lists.Subscription:
    with db.transaction() as conn:
        sub = lists.subscribe(conn, email, [lists.WatchItem("0901", "KEN")])
        lists.confirm(conn, sub.confirm_token)
    return sub


def test_api_manage_lists_channels_and_webhook(watch_db: Database, smtp: tuple[Inbox, int],
                                               receiver: Receiver, tmp_path: Path) -> None:
    _inbox, port = smtp
    sub = _confirmed(watch_db)
    other = _confirmed(watch_db, "other@example.org")
    settings = mail_settings(watch_db, tmp_path, port)
    with TestClient(create_app(settings, db=watch_db)) as client:
        assert client.get("/api/v1/watch", params={"token": "nope"}).status_code == 404
        got = client.get("/api/v1/watch", params={"token": sub.unsubscribe_token}).json()
        (wl,) = got["lists"]
        assert got["email"] == "m@example.org" and wl["id"] == sub.list_id
        assert wl["channels"]["email"]["status"] == "active"
        assert wl["channels"]["webhook"]["status"] == "none"
        assert wl["feeds"]["atom"].endswith(".atom") and wl["feeds"]["icalendar"].endswith(".ics")
        hook = client.post(f"/api/v1/watch/{sub.list_id}/webhook",
                           params={"token": sub.unsubscribe_token}, json={"url": receiver.url})
        assert hook.status_code == 200 and hook.json()["secret"].startswith("whsec_")
        wrong_owner = client.post(f"/api/v1/watch/{sub.list_id}/webhook",
                                  params={"token": other.unsubscribe_token},
                                  json={"url": receiver.url})
        assert wrong_owner.status_code == 404
        got = client.get("/api/v1/watch", params={"token": sub.unsubscribe_token}).json()
        assert got["lists"][0]["channels"]["webhook"] == {
            "status": "active", "url": receiver.url, "disabled_reason": None,
            "secret": hook.json()["secret"]}
        assert client.delete(f"/api/v1/watch/{sub.list_id}/webhook",
                             params={"token": sub.unsubscribe_token}).status_code == 204
        assert client.delete(f"/api/v1/watch/{sub.list_id}",
                             params={"token": other.unsubscribe_token}).status_code == 404
        assert client.delete(f"/api/v1/watch/{sub.list_id}",
                             params={"token": sub.unsubscribe_token}).status_code == 204
        assert client.get("/api/v1/watch", params={"token": sub.unsubscribe_token}).json()[
            "lists"] == []
        spec = client.get("/api/v1/openapi.json").json()["paths"]
        assert {"404"} <= set(spec["/api/v1/watch/{list_id}"]["delete"]["responses"])
        assert {"202", "422", "429"} <= set(spec["/api/v1/watch"]["post"]["responses"])


def test_api_refuses_private_webhook_and_bad_input(watch_db: Database, smtp: tuple[Inbox, int],
                                                   tmp_path: Path) -> None:
    _inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port, watch_webhook_allow_private=False)
    with TestClient(create_app(settings, db=watch_db)) as client:
        for url, status, message in [("http://127.0.0.1:9000/x", 403, "loopback"),
                                     ("http://10.0.0.8/x", 403, "private"),
                                     ("gopher://example.org/", 422, "webhook_url")]:
            refused = client.post("/api/v1/watch", json={
                "email": "w@example.org", "hs": ["0901"], "markets": ["KEN"],
                "webhook_url": url})
            assert refused.status_code == status and message in refused.json()["detail"]
        bad = client.post("/api/v1/watch", json={"email": "w@example.org", "hs": ["0901"],
                                                 "frequency": "hourly"})
        assert bad.status_code == 422 and "frequency" in bad.json()["detail"]
        sub = _confirmed(watch_db)
        private = client.post(f"/api/v1/watch/{sub.list_id}/webhook",
                              params={"token": sub.unsubscribe_token},
                              json={"url": "http://localhost/hook"})
        assert private.status_code == 403 and "loopback" in private.json()["detail"]
        assert private.json()["code"] == "webhook_refused"
    with watch_db.connect() as conn:
        assert [w.email for w in lists.list_watches(conn)] == ["m@example.org"]


def test_signups_are_rate_limited_per_address_and_per_client(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    _inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port, watch_signups_per_address=2,
                             watch_signups_per_client=3)
    with TestClient(create_app(settings, db=watch_db)) as client:
        body = {"email": "r@example.org", "hs": ["0901"], "markets": ["KEN"]}
        assert [client.post("/api/v1/watch", json=body).status_code for _ in range(2)] == [
            202, 202]
        third = client.post("/api/v1/watch", json=body)
        assert third.status_code == 429 and int(third.headers["Retry-After"]) > 0
        assert "Too many sign-ups" in third.json()["detail"]
        # Bad input is refused before it counts.
        assert client.post("/api/v1/watch", json={**body, "hs": ["0999"]}).status_code == 404
        # Another address from the same client: its third sign-up passes, the fourth not.
        assert client.post("/api/v1/watch", json={**body, "email": "s@example.org"}
                           ).status_code == 202
        page = client.get("/watch")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        limited = client.post("/watch", data={"csrf_token": csrf, "email": "t@example.org",
                                              "hs": "0901", "market": "KEN"})
        assert limited.status_code == 429 and "Too many sign-ups" in limited.text
        assert limited.headers["Retry-After"]
        french = client.post("/fr/watch", data={"csrf_token": csrf, "email": "t@example.org",
                                                "hs": "0901", "market": "KEN"})
        assert french.status_code == 429 and "Trop d" in french.text


def test_manage_page_shows_status_sets_webhook_and_removes(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    _inbox, port = smtp
    sub = _confirmed(watch_db)
    with watch_db.transaction() as conn:
        conn.execute(watch_subscribers.update().values(disabled_reason="550 mailbox gone"))
    settings = mail_settings(watch_db, tmp_path, port)
    with TestClient(create_app(settings, db=watch_db)) as client:
        page = client.get("/watch/manage", params={"token": sub.unsubscribe_token})
        assert page.status_code == 200 and "550 mailbox gone" in page.text
        assert ".atom" in page.text and ".ics" in page.text
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        refused = client.post(f"/watch/manage/{sub.list_id}", data={
            "csrf_token": csrf, "token": sub.unsubscribe_token, "action": "webhook",
            "webhook_url": "ftp://example.org"})
        assert refused.status_code == 422 and "https://" in refused.text
        saved = client.post(f"/watch/manage/{sub.list_id}", data={
            "csrf_token": csrf, "token": sub.unsubscribe_token, "action": "webhook",
            "webhook_url": receiver.url})
        assert saved.status_code == 200 and "whsec_" in saved.text
        gone = client.post(f"/watch/manage/{sub.list_id}", data={
            "csrf_token": csrf, "token": sub.unsubscribe_token, "action": "remove"},
            follow_redirects=False)
        assert gone.status_code == 303
        assert "No watch lists" in client.get("/watch/manage",
                                              params={"token": sub.unsubscribe_token}).text
        assert client.get("/watch/manage", params={"token": "bad"}).status_code == 404


def test_admin_queue_page_shows_failures_and_retries(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    from tests.knowledge.platform_fixtures import csrf_from, log_in, make_user
    from tradewind.changes.events import ChangeEvent, record
    from tradewind.watch.worker import outbox_rows, run_once

    inbox, port = smtp
    inbox.refuse.add("bounce@example.org")
    _confirmed(watch_db, "bounce@example.org")
    with watch_db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "x", market="KEN", hs_code="09011100",
                                  effective_date=date(2026, 1, 1))])
    settings = mail_settings(watch_db, tmp_path, port)
    assert run_once(watch_db, settings, datetime.now(UTC)).disabled == 1
    make_user(watch_db, "editor@example.org", "editor")
    make_user(watch_db, "admin@example.org", "admin")
    with TestClient(create_app(settings, db=watch_db)) as client:
        anonymous = client.get("/admin/watch/queue", follow_redirects=False)
        assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
        log_in(client, "editor@example.org")
        assert client.get("/admin/watch/queue").status_code == 403
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/admin").text)})
        client.cookies.clear()
        log_in(client, "admin@example.org")
        page = client.get("/admin/watch/queue")
        assert page.status_code == 200
        assert "bounce@example.org" in page.text and "550" in page.text
        with watch_db.connect() as conn:
            (row,) = outbox_rows(conn)
        retried = client.post(f"/admin/watch/retry/{row['id']}",
                              data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
        assert retried.status_code == 303
        no_csrf = client.post(f"/admin/watch/retry/{row['id']}", data={})
        assert no_csrf.status_code in (400, 403)
    with watch_db.connect() as conn:
        (row,) = outbox_rows(conn)
        assert (row["status"], row["attempts"]) == ("pending", 0)
        assert lists.list_watches(conn)[0].email_status == "active"
    inbox.refuse.clear()
    assert run_once(watch_db, settings, datetime.now(UTC)).delivered == 1


def test_cli_send_test_and_worker_once(watch_db: Database, smtp: tuple[Inbox, int],
                                       receiver: Receiver, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import tradewind.cli  # noqa: F401  (registers the commands)

    inbox, port = smtp
    cli_app = sys.modules["tradewind.cli.app"]
    for key, value in {"DATABASE_URL": watch_db.url, "SMTP_HOST": "127.0.0.1",
                       "SMTP_PORT": str(port), "WATCH_WEBHOOK_ALLOW_PRIVATE": "true",
                       "VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "k"}.items():
        monkeypatch.setenv(f"TRADEWIND_{key}", value)
    cli_app.database.cache_clear()
    cli_app.settings.cache_clear()
    try:
        runner = CliRunner()
        added = runner.invoke(cli_app.app, ["watch", "add", "t@example.org", "--hs", "0901",
                                            "--market", "KEN", "--webhook", receiver.url,
                                            "--json"])
        assert added.exit_code == 0, added.output
        list_id = json.loads(added.output)["list_id"]
        sent = runner.invoke(cli_app.app, ["watch", "send-test", str(list_id), "--json"])
        assert sent.exit_code == 0, sent.output
        assert json.loads(sent.output) == {"list_id": list_id, "email": "sent",
                                           "webhook": "sent"}
        assert "Test message" in str(inbox.messages[-1]["Subject"])
        assert json.loads(receiver.requests[-1][1])["type"] == "tradewind.test"
        missing = runner.invoke(cli_app.app, ["watch", "send-test", "999999"])
        assert missing.exit_code == 1 and "no watch list 999999" in missing.output
        listed = runner.invoke(cli_app.app, ["watch", "list"])
        assert "webhook:active" in listed.output
        once = runner.invoke(cli_app.app, ["watch", "worker", "--once", "--json"])
        assert once.exit_code == 0 and json.loads(once.output)["messages"] == 0
        assert runner.invoke(cli_app.app, ["watch", "remind"]).exit_code == 0
        ssrf = runner.invoke(cli_app.app, ["watch", "add", "u@example.org", "--hs", "0901",
                                           "--webhook", "file:///etc/passwd"])
        assert ssrf.exit_code == 1 and "https://" in ssrf.output
    finally:
        cli_app.database().dispose()
        cli_app.database.cache_clear()
        cli_app.settings.cache_clear()

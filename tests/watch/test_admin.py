"""The admin notices page: channel-disabled and finder code-change notices, filtered,
server-rendered; bad filters named; administrators only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from tests.knowledge.platform_fixtures import log_in, make_user
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.watch import admin, lists, notices
from tradewind.watch.models import watch_query_notices
from tradewind.web.app import create_app

from .conftest import Inbox, mail_settings


def seed_notices(db: Database) -> None:
    """One webhook-disabled notice for a@example.org, one open code change for b@…"""
    now = datetime.now(UTC)
    with db.transaction() as conn:
        ids = []
        for email in ("a@example.org", "b@example.org"):
            sub = lists.subscribe(conn, email, [lists.WatchItem("0901", "KEN")],
                                  webhook_url="http://127.0.0.1:9/hook", allow_private=True)
            lists.confirm(conn, sub.confirm_token)
            ids.append(sub.list_id)
        notices.webhook_disabled(conn, ids[0], "HTTP 410 Gone", now)
        conn.execute(insert(watch_query_notices).values(
            watch_list_id=ids[1], query="roasted coffee", watched_codes="090121",
            proposed_codes="090122", finder_version="v2", status="open", created_at=now))


def test_filters_by_kind_status_and_address(watch_db: Database) -> None:
    seed_notices(watch_db)
    with watch_db.connect() as conn:
        both = admin.notices(conn, admin.NoticeFilter.parse())
        codes = admin.notices(conn, admin.NoticeFilter.parse(kind="codes"))
        pending = admin.notices(conn, admin.NoticeFilter.parse(status="pending"))
        by_b = admin.notices(conn, admin.NoticeFilter.parse(email="B@EXAMPLE"))
    assert [n["email"] for n in both["channel"]] == ["a@example.org"]
    assert [n["proposed_codes"] for n in both["codes"]] == ["090122"]
    assert codes["channel"] == [] and len(codes["codes"]) == 1
    assert len(pending["channel"]) == 1 and pending["codes"] == []  # no "pending" code change
    assert by_b["channel"] == [] and len(by_b["codes"]) == 1
    with pytest.raises(InvalidInput, match="unknown kind"):
        admin.NoticeFilter.parse(kind="sms")
    with pytest.raises(InvalidInput, match="unknown status 'open'"):
        admin.NoticeFilter.parse(kind="channel", status="open")


def test_page_is_for_admins_and_names_bad_filters(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    _inbox, port = smtp
    seed_notices(watch_db)
    make_user(watch_db, "editor@example.org", "editor")
    make_user(watch_db, "admin@example.org", "admin")
    with TestClient(create_app(mail_settings(watch_db, tmp_path, port), db=watch_db)) as client:
        anonymous = client.get("/admin/watch/notices", follow_redirects=False)
        assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
        log_in(client, "editor@example.org")
        assert client.get("/admin/watch/notices").status_code == 403
        client.cookies.clear()
        log_in(client, "admin@example.org")
        page = client.get("/admin/watch/notices")
        assert page.status_code == 200
        assert "HTTP 410 Gone" in page.text and "090122" in page.text
        assert 'href="/admin/watch/notices"' in client.get("/admin/watch/queue").text
        only = client.get("/admin/watch/notices", params={"kind": "codes"})
        assert "HTTP 410 Gone" not in only.text and "090122" in only.text
        bad = client.get("/fr/admin/watch/notices", params={"status": "lost"})
        assert bad.status_code == 422 and "statut inconnu" in bad.text
        assert 'name="status" aria-invalid="true"' in bad.text

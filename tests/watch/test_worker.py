"""The outbox worker against a real SMTP server and a real webhook receiver: exactly once,
faults (refusals, time-outs), a worker killed with SIGKILL, two workers on PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.ingest.tariff_csv import import_tariff_csv
from tradewind.watch import lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import outbox_rows, run_once

from .conftest import Inbox, Receiver, mail_settings

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("economy,national_code,hs6,description,unit,rate_type,origin,agreement,duty,"
          "valid_from,valid_to,quota_volume,quota_unit\n")


def _schedule(tmp_path: Path, name: str, coffee: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER
                    + f"KEN,09011100,090111,Coffee not roasted,kg,mfn,,,{coffee},2026-01-01,,,\n"
                    + "KEN,09011190,090111,Other coffee,kg,mfn,,,Free,2026-01-01,,,\n",
                    encoding="utf-8")
    return path


def _subscribers(db: Database, count: int, hook: str | None) -> list[tuple[int, str | None]]:
    out = []
    with db.transaction() as conn:
        for i in range(count):
            sub = lists.subscribe(conn, f"user{i}@example.org", [WatchItem("0901", "KEN")],
                                  webhook_url=hook, allow_private=True)
            lists.confirm(conn, sub.confirm_token)
            secret = next(w.webhook_secret for w in lists.list_watches(conn, sub.email))
            out.append((sub.list_id, secret))
    return out


def _change(db: Database, count: int = 1) -> None:
    with db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", f"MFN duty {i}", market="KEN",
                                  hs_code="09011100", effective_date=date(2026, 1, 1),
                                  old_value="10%", new_value=f"{i}%") for i in range(count)])


def test_imported_change_reaches_inbox_and_receiver_exactly_once(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    import_tariff_csv(watch_db, _schedule(tmp_path, "v1.csv", "25%"))
    ((list_id, secret),) = _subscribers(watch_db, 1, receiver.url)
    import_tariff_csv(watch_db, _schedule(tmp_path, "v2.csv", "10%"))  # coffee changed only
    now = datetime.now(UTC) + timedelta(seconds=1)
    assert run_once(watch_db, settings, now).delivered == 2
    assert run_once(watch_db, settings, now + timedelta(hours=1)).messages == 0
    assert len(inbox.messages) == 1 and len(receiver.requests) == 1
    body = inbox.messages[0].get_body(("plain",))
    assert body is not None and "25% → 10%" in body.get_content()
    headers, raw = receiver.requests[0]
    event = Webhook(secret or "").verify(raw, headers)["data"]["event"]
    assert (event["hs_code"], event["old_value"], event["new_value"]) == ("09011100", "25%",
                                                                          "10%")
    assert event["market"] == "KEN"
    with watch_db.connect() as conn:
        rows = outbox_rows(conn)
    assert sorted(r["channel"] for r in rows) == ["email", "webhook"]
    assert {r["status"] for r in rows} == {"sent"} and all(r["watch_list_id"] == list_id
                                                           for r in rows)


@pytest.mark.parametrize("reply", ["451 4.3.0 mailbox busy, try later",
                                   "421 4.3.2 service shutting down",
                                   "554 5.6.0 message rejected for now"])
def test_smtp_refuses_then_comes_back_every_message_once(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path, reply: str) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port)
    _subscribers(watch_db, 3, None)
    _change(watch_db)
    inbox.data_replies = [reply, reply]
    now = datetime.now(UTC)
    first = run_once(watch_db, settings, now)
    assert first.failed >= 2 and first.messages == 3 - first.failed
    with watch_db.connect() as conn:
        errors = [r["last_error"] for r in outbox_rows(conn) if r["status"] == "pending"]
    assert errors and all(reply.split()[0] in e for e in errors)
    later = run_once(watch_db, settings, now + timedelta(hours=1))
    assert later.failed == 0
    assert sorted(m["To"] for m in inbox.messages) == [f"user{i}@example.org" for i in range(3)]
    assert run_once(watch_db, settings, now + timedelta(hours=2)).messages == 0
    with watch_db.connect() as conn:
        assert {r["status"] for r in outbox_rows(conn)} == {"sent"}


def test_smtp_times_out_then_comes_back_every_message_once(
        watch_db: Database, smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    settings = mail_settings(watch_db, tmp_path, port, smtp_timeout=1)
    _subscribers(watch_db, 2, None)
    _change(watch_db)
    inbox.hanging = True
    now = datetime.now(UTC)
    stalled = run_once(watch_db, settings, now, limit=1)
    assert stalled.failed == 1 and stalled.messages == 0
    with watch_db.connect() as conn:
        pending = [r for r in outbox_rows(conn) if r["attempts"]]
    assert pending and "timed out" in pending[0]["last_error"].lower()
    inbox.hanging = False
    inbox.release.set()
    run_once(watch_db, settings, now + timedelta(hours=1))
    assert sorted(m["To"] for m in inbox.messages) == ["user0@example.org",
                                                        "user1@example.org"]
    with watch_db.connect() as conn:
        assert {r["status"] for r in outbox_rows(conn)} == {"sent"}


def _worker_env(db: Database, tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRADEWIND_")}
    env.update({"TRADEWIND_DATABASE_URL": db.url, "TRADEWIND_SMTP_HOST": "127.0.0.1",
                "TRADEWIND_SMTP_PORT": str(port), "TRADEWIND_SECRET_KEY": "k",
                "TRADEWIND_VAR_DIR": str(tmp_path / "var"),
                "TRADEWIND_WATCH_WEBHOOK_ALLOW_PRIVATE": "true",
                "TRADEWIND_PUBLIC_URL": "https://tradewind.example",
                "PYTHONPATH": str(ROOT / "src")})
    return env


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tradewind", "watch", "worker", *args],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("batch", [5, 100])
def test_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path, batch: int) -> None:
    inbox, port = smtp
    _subscribers(watch_db, 12, receiver.url)
    _change(watch_db, 2)  # 12 lists x 2 events: 24 webhook rows, 24 e-mail rows (12 mails)
    receiver.hold_from = 7  # the 7th webhook is received but never answered …
    env = {**_worker_env(watch_db, tmp_path, port), "TRADEWIND_WATCH_WORKER_BATCH": str(batch)}
    first = _worker(env, "--interval", "0.5")
    try:
        assert receiver.wait_for(7), "the worker never reached the 7th webhook"
    finally:
        first.send_signal(signal.SIGKILL)  # … killed mid-batch, before recording it
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    receiver.gate.set()
    receiver.hold_from = None
    with watch_db.connect() as conn:
        claimed = {r["id"] for r in outbox_rows(conn)
                   if r["claimed_by"] and r["status"] == "pending"}
    assert claimed, "the killed batch left no claim"
    # A worker restarted at once leaves the killed batch alone while its lease runs …
    settings = mail_settings(watch_db, tmp_path, port, watch_worker_batch=batch)
    run_once(watch_db, settings, datetime.now(UTC))
    with watch_db.connect() as conn:
        assert {r["id"] for r in outbox_rows(conn) if r["status"] != "sent"} == claimed
    # … and sends it once the lease has expired.
    later = datetime.now(UTC) + timedelta(seconds=settings.watch_worker_lease + 1)
    assert run_once(watch_db, settings, later).delivered == len(claimed)
    with watch_db.connect() as conn:
        rows = outbox_rows(conn)
    assert len(rows) == 48 and {r["status"] for r in rows} == {"sent"}
    assert not any(r["claimed_by"] or r["claimed_until"] for r in rows)
    webhook_keys = {r["idempotency_key"] for r in rows if r["channel"] == "webhook"}
    received = receiver.by_id()
    # At-least-once: what the killed batch sent may arrive twice, with the same webhook-id.
    assert set(received) == {f"msg_{k.replace(':', '_')}" for k in webhook_keys}
    repeated_hooks = len(receiver.requests) - len(received)
    repeated_mails = len(inbox.messages) - len(inbox.by_message_id())
    assert 1 <= repeated_hooks + repeated_mails <= len(claimed)
    email_keys = sorted(r["idempotency_key"] for r in rows if r["channel"] == "email")
    assert sorted(inbox.delivery_keys()) == email_keys  # each key once after Message-ID dedup


def test_two_workers_on_postgresql_never_send_twice(
        watch_db: Database, smtp: tuple[Inbox, int], receiver: Receiver,
        tmp_path: Path) -> None:
    if not watch_db.is_postgresql:
        pytest.skip("several workers need PostgreSQL (SKIP LOCKED); SQLite runs one worker")
    inbox, port = smtp
    _subscribers(watch_db, 20, receiver.url)
    _change(watch_db, 3)  # 60 webhook rows, 60 e-mail rows
    # The first two webhooks wait for each other: the second worker must skip the row the
    # first one holds locked and send another one meanwhile.
    receiver.rendezvous = threading.Barrier(2)
    # Small batches: each worker claims many times, the claims interleave.
    env = {**_worker_env(watch_db, tmp_path, port), "TRADEWIND_WATCH_WORKER_BATCH": "7"}
    workers = [_worker(env, "--once", "--json"), _worker(env, "--once", "--json")]
    sent = []
    for proc in workers:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err.decode()
        sent.append(json.loads(out)["messages"])
    assert not receiver.broken and all(n > 0 for n in sent)
    with watch_db.connect() as conn:
        rows = outbox_rows(conn)
    assert {r["status"] for r in rows} == {"sent"} and len(rows) == 120
    assert len(receiver.requests) == 60 and len(receiver.by_id()) == 60
    # A subscriber's rows may be split over two mails (each worker took some), never repeated.
    assert len(inbox.messages) == len(inbox.by_message_id())
    assert sorted(inbox.delivery_keys()) == sorted(r["idempotency_key"] for r in rows
                                                   if r["channel"] == "email")
    assert all(r["attempts"] == 1 for r in rows)

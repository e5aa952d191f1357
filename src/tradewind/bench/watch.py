"""``tradewind bench watch``: change matching and alert delivery.

1. Matching: 100,000 confirmed watch lists (one item each: an HS chapter, heading or
   subheading in one of 41 markets, or the EU group) and one import of 10,000 changed tariff
   lines of one economy (``tariff.mfn`` events for 8-digit lines).  Timed: ``record()`` with
   the watch listener, which writes the outbox in the same transaction (target ≤ 10 s).
2. Delivery: 2,000 subscribers with an immediate list, one matching change each, sent by
   :func:`tradewind.watch.worker.run_once` to a local aiosmtpd sink on 127.0.0.1, in a process
   of its own (one message
   per subscriber, batches of ``watch_worker_batch`` rows claimed per transaction; target
   ≥ 200 messages/s).

Data are generated (fixed seed).  On PostgreSQL the figures are taken in a schema of their
own, dropped afterwards (``--database-url``).
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from tradewind.agreements.models import economy_groups, group_members
from tradewind.bench.requirements import bench_database
from tradewind.changes.events import ChangeEvent, record
from tradewind.db import Database
from tradewind.settings import Settings
from tradewind.watch.models import watch_items, watch_lists, watch_outbox, watch_subscribers
from tradewind.watch.worker import run_once

TARGET_MATCH_S = 10.0
TARGET_MESSAGES_PER_S = 200.0
MARKETS = ("KEN", "UGA", "TZA", "RWA", "ETH", "NGA", "GHA", "SEN", "CIV", "ZAF", "EGY", "MAR",
           "USA", "CAN", "MEX", "BRA", "ARG", "CHL", "PER", "COL", "GBR", "CHE", "NOR", "TUR",
           "IND", "CHN", "JPN", "KOR", "IDN", "VNM", "THA", "MYS", "PHL", "AUS", "NZL", "SAU",
           "ARE", "DEU", "FRA", "ITA", "EUN")
EU_MEMBERS = ("DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "POL")


def _hs6(rng: random.Random) -> str:
    return f"{rng.randint(1, 97):02d}{rng.randint(1, 20):02d}{rng.randint(1, 9):02d}"


def _bulk(conn: Any, table: Any, rows: list[dict[str, Any]], size: int = 10_000) -> None:
    for start in range(0, len(rows), size):
        conn.execute(insert(table), rows[start:start + size])


def _lists(db: Database, count: int, rng: random.Random, now: datetime,
           item: Callable[[int], dict[str, Any]]) -> None:
    with db.transaction() as conn:
        _bulk(conn, watch_subscribers, [
            {"id": i, "email": f"u{i}@bench.example", "language": "en", "confirmed_at": now,
             "unsubscribe_token": f"t{i}", "created_at": now} for i in range(1, count + 1)])
        _bulk(conn, watch_lists, [
            {"id": i, "subscriber_id": i, "name": "bench", "frequency": "immediate",
             "feed_token": f"f{i}"} for i in range(1, count + 1)])
        _bulk(conn, watch_items, [{"watch_list_id": i, **item(i)}
                                  for i in range(1, count + 1)])


def bench_matching(db: Database, lists: int, lines: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with db.transaction() as conn:
        conn.execute(insert(economy_groups).values(code="EUN", name="European Union",
                                                   kind="customs union", customs_union=True))
        conn.execute(insert(group_members), [{"group_code": "EUN", "member": m}
                                             for m in EU_MEMBERS])

    def item(_i: int) -> dict[str, Any]:
        return {"hs_prefix": _hs6(rng)[:rng.choice((2, 4, 4, 6, 6, 6, 6, 6, 6, 6))],
                "market": rng.choice(MARKETS)}

    _lists(db, lists, rng, now, item)
    events = [ChangeEvent("tariff.mfn", f"MFN duty on line {i}", market="KEN",
                          hs_code=f"{_hs6(rng)}{i % 100:02d}", effective_date=date(2027, 1, 1),
                          old_value="10%", new_value="5%") for i in range(lines)]
    start = time.perf_counter()
    with db.transaction() as conn:
        record(conn, events, now=now)
    seconds = time.perf_counter() - start
    with db.connect() as conn:
        rows = int(conn.execute(select(func.count()).select_from(watch_outbox)).scalar_one())
    return {"match_lists": lists, "match_lines": lines, "match_seconds": round(seconds, 3),
            "match_outbox_rows": rows, "match_target_seconds": TARGET_MATCH_S,
            "match_met": seconds <= TARGET_MATCH_S}


def _start_sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's Sink handler in a process of its own (not competing for our GIL)."""
    proc = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "aiosmtpd.handlers.Sink"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the sink accepts connections
        if proc.poll() is not None:
            raise RuntimeError("bench watch needs aiosmtpd (pip install -e '.[dev]'): "
                               + (proc.stderr.read().decode() if proc.stderr else ""))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the aiosmtpd sink did not start")


def bench_delivery(db: Database, tmp: Path, messages: int) -> dict[str, Any]:
    rng = random.Random(11)
    now = datetime.now(UTC)
    _lists(db, messages, rng, now, lambda _i: {"hs_prefix": "0901", "market": "KEN"})
    with db.transaction() as conn:
        record(conn, [ChangeEvent("tariff.mfn", "MFN duty on coffee", market="KEN",
                                  hs_code="09011100", old_value="10%", new_value="5%")],
               now=now)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    sink = _start_sink(port)
    try:
        settings = Settings.load(env={}, dotenv=tmp / "absent.env", database_url=db.url,
                                 var_dir=str(tmp / "var"), secret_key="bench",
                                 smtp_host="127.0.0.1", smtp_port=port,
                                 watch_reminder_days=0)
        # Database round trips of the run (statements, commits, pool check-outs with their
        # ping): a figure the machine's load does not change.
        trips = {"statements": 0, "commits": 0, "checkouts": 0}

        def statement(*_a: Any) -> None:
            trips["statements"] += 1

        def commit(*_a: Any) -> None:
            trips["commits"] += 1

        def checkout(*_a: Any) -> None:
            trips["checkouts"] += 1

        event.listen(db.engine, "before_cursor_execute", statement)
        event.listen(db.engine, "commit", commit)
        event.listen(db.engine.pool, "checkout", checkout)
        try:
            start = time.perf_counter()
            run = run_once(db, settings, now)
            seconds = time.perf_counter() - start
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
            event.remove(db.engine, "commit", commit)
            event.remove(db.engine.pool, "checkout", checkout)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
    with db.connect() as conn:
        sent = int(conn.execute(select(func.count()).select_from(watch_outbox)
                                .where(watch_outbox.c.status == "sent")).scalar_one())
    rate = run.messages / seconds if seconds else 0.0
    return {"send_messages": run.messages, "send_rows_marked_sent": sent,
            "send_seconds": round(seconds, 3), "send_messages_per_second": round(rate, 1),
            "send_target_messages_per_second": TARGET_MESSAGES_PER_S,
            "send_met": rate >= TARGET_MESSAGES_PER_S,
            "send_statements_per_message": round(trips["statements"] / max(run.messages, 1), 2),
            "send_commits_per_message": round(trips["commits"] / max(run.messages, 1), 2),
            "send_pool_checkouts": trips["checkouts"]}


def run_benchmark(database_url: str | None, *, lists: int = 100_000, lines: int = 10_000,
                  messages: int = 2_000,
                  report: Callable[[str], None] = lambda _m: None) -> dict[str, Any]:
    figures: dict[str, Any] = {"engine": "postgresql" if database_url else "sqlite"}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        report(f"matching {lines} changed lines against {lists} watch lists…")
        schema = f"tw_watch_bench_{os.getpid()}"
        with bench_database(database_url, tmp / "match", schema) as db:
            figures.update(bench_matching(db, lists, lines))
        report(f"sending {messages} messages to a local SMTP sink…")
        with bench_database(database_url, tmp / "send", schema) as db:
            figures.update(bench_delivery(db, tmp, messages))
    return figures

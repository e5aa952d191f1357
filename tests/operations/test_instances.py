"""Two real server processes on one PostgreSQL database, as in docs/operations.md: a session,
a CSRF token, login throttling, rate limits and cache invalidation made on one instance hold on
the other.  The test plays the reverse proxy: one cookie jar, requests spread over both
instances, the client address in ``X-Forwarded-For`` (trusted from 127.0.0.1, the default of
``TRADEWIND_FORWARDED_ALLOW_IPS``), so each test has its own client address.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from sqlalchemy import select

from tests.conftest import PG_URL, drop_database, make_database
from tests.knowledge.platform_fixtures import csrf_from, make_user
from tests.markets.flowdata import load_small_flows
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.flows.economies import economy_id
from tradewind.flows.load import FlowChunk, FlowLoader
from tradewind.ratelimit.models import rate_limits

pytestmark = pytest.mark.skipif(not PG_URL, reason="several instances share one PostgreSQL "
                                "database: set TRADEWIND_TEST_DATABASE_URL")
API_LIMIT = 6
MAX_FAILURES = 3
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Polls /readyz until it answers 200 (a state), at most 600 attempts."""
    for _attempt in range(600):
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)  # between polls of the state above, not a synchronisation
    raise AssertionError(f"server at {base} never became ready: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from tradewind.countries.init import init_countries
    from tradewind.nomenclature.init import init_hs2022
    from tradewind.settings import Settings

    db = make_database("postgresql", "instances", tmp_path_factory.mktemp("instances"))
    settings = Settings.load(env={}, database_url=db.url, load_samples=False)
    init_countries(db, settings, lambda _m: None)
    init_hs2022(db, settings, lambda _m: None)
    yield db
    drop_database(db)


@pytest.fixture(scope="module")
def instances(shared_db: Database, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[str, str]]:
    """Two ``tradewind serve`` processes (one worker each) with the same settings."""
    work = tmp_path_factory.mktemp("servers")
    env = dict(os.environ)
    env.update({
        "TRADEWIND_DATABASE_URL": shared_db.url,
        "TRADEWIND_SECRET_KEY": "one key for every instance",
        "TRADEWIND_VAR_DIR": str(work / "var"),
        "TRADEWIND_RATE_LIMIT_API_PER_MINUTE": str(API_LIMIT),
        "TRADEWIND_RATE_LIMIT_FORMS_PER_MINUTE": "1000",
        "TRADEWIND_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "TRADEWIND_FORWARDED_ALLOW_IPS": "127.0.0.1",
        "TRADEWIND_LOG_LEVEL": "WARNING",
        "TRADEWIND_POLICY_SIGNALS": "false",
    })
    procs: list[subprocess.Popen[bytes]] = []
    bases: list[str] = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = work / f"{name}.log"
            proc = subprocess.Popen(
                [sys.executable, "-m", "tradewind", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", "1"],
                env=env, cwd=str(work), stdout=log.open("wb"), stderr=subprocess.STDOUT)
            procs.append(proc)
            bases.append(f"http://127.0.0.1:{port}")
        for proc, base, name in zip(procs, bases, ("a", "b"), strict=True):
            _wait_ready(proc, base, work / f"{name}.log")
        yield bases[0], bases[1]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _client(address: str) -> httpx.Client:
    return httpx.Client(headers={"X-Forwarded-For": address}, timeout=30,
                        follow_redirects=False)


def _login(client: httpx.Client, form_from: str, post_to: str, email: str,
           password: str = PASSWORD) -> httpx.Response:
    token = csrf_from(client.get(f"{form_from}/login").text)
    return client.post(f"{post_to}/login", data={"email": email, "password": password,
                                                  "csrf_token": token, "next": "/admin"})


def test_a_session_and_a_csrf_token_from_one_instance_work_on_the_other(
        shared_db: Database, instances: tuple[str, str]) -> None:
    a, b = instances
    make_user(shared_db, "session@example.org", password=PASSWORD)
    with _client("198.51.100.1") as client:
        assert client.get(f"{b}/admin").status_code in (303, 307)  # not logged in yet
        # The login form (CSRF cookie and token) comes from A, the POST goes to B.
        response = _login(client, a, b, "session@example.org")
        assert response.status_code == 303, response.text[:500]
        # The session cookie set by B opens the admin pages on A and on B.
        for base in (a, b):
            page = client.get(f"{base}/admin")
            assert page.status_code == 200
            assert "session@example.org" in page.text or "logout" in page.text.lower()
        # A token from a form rendered by B is accepted by A (logout is a POST with CSRF).
        token = csrf_from(client.get(f"{b}/logout").text)
        assert client.post(f"{a}/logout", data={"csrf_token": token}).status_code == 303
        assert client.get(f"{b}/admin").status_code in (303, 307)


def test_a_forged_csrf_token_is_refused_by_both(instances: tuple[str, str]) -> None:
    a, b = instances
    with _client("198.51.100.2") as client:
        client.get(f"{a}/login")
        for base in (a, b):
            response = client.post(f"{base}/login", data={
                "email": "x@example.org", "password": "whatever", "csrf_token": "forged"})
            assert response.status_code == 403


def test_login_throttling_counts_failures_on_both_instances(
        shared_db: Database, instances: tuple[str, str]) -> None:
    a, b = instances
    make_user(shared_db, "throttle@example.org", password=PASSWORD)
    with _client("198.51.100.3") as client:
        statuses = [_login(client, base, base, "throttle@example.org", "wrong password"
                           ).status_code for base in (a, b, a)][:MAX_FAILURES]
        assert statuses == [401] * MAX_FAILURES
        # Three failures spread over A and B: the right password is now refused on B.
        assert _login(client, b, b, "throttle@example.org").status_code == 429


def _window_start(db: Database, key: str) -> object:
    with db.connect() as conn:
        return conn.execute(select(rate_limits.c.window_start)
                            .where(rate_limits.c.key == key)).scalar()


def test_rate_limits_are_counted_across_instances(shared_db: Database,
                                                  instances: tuple[str, str]) -> None:
    a, b = instances
    # A fixed window may end during the burst; then the burst is repeated in the next one
    # (decided by the stored window, not by a clock in the test).
    for attempt in range(3):
        address = f"198.51.100.{10 + attempt}"
        key = f"api:{address}"
        with _client(address) as client:
            statuses = [client.get(f"{a}/api/v1/datasets").status_code]
            window = _window_start(shared_db, key)
            statuses += [client.get(f"{(a, b)[i % 2]}/api/v1/datasets").status_code
                         for i in range(1, API_LIMIT + 1)]
            refused = client.get(f"{b}/api/v1/datasets")
        if _window_start(shared_db, key) != window:
            continue  # the window ended during the burst: repeat it in the new one
        assert statuses == [200] * API_LIMIT + [429]
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        return
    raise AssertionError("three bursts in a row crossed a window boundary")


def _import_jpn_coffee(db: Database, value: int) -> None:
    with db.transaction() as conn:
        dataset = record_dataset(conn, kind="flows", name="new flows", source="tests",
                                 licence="test", edition="HS2022")
        loader = FlowLoader(conn, dataset_id=dataset, is_sample=False, source_edition="HS2022")
        loader.add(FlowChunk(
            year=np.array([2023], dtype=np.int16), hs6=np.array([90111], dtype=np.int32),
            importer=np.array([economy_id("JPN")], dtype=np.int16),
            exporter=np.array([economy_id("ETH")], dtype=np.int16),
            value_usd=np.array([value], dtype=np.int64),
            quantity=np.array([value // 4], dtype=np.int64)))
        loader.finish()


def _latest_imports(client: httpx.Client, base: str) -> str:
    page = client.get(f"{base}/stats/product-market.csv",
                      params={"product": "090111", "market": "JPN", "origin": "ETH"})
    assert page.status_code == 200, page.text[:300]
    return page.text


def test_an_import_invalidates_the_cached_statistics_of_every_instance(
        shared_db: Database, instances: tuple[str, str]) -> None:
    a, b = instances
    load_small_flows(shared_db)
    with _client("198.51.100.20") as client:
        before = [_latest_imports(client, base) for base in (a, b)]
        assert before[0] == before[1]
        assert re.search(r"\b800\b", before[0])
        _import_jpn_coffee(shared_db, 7000)
        after = [_latest_imports(client, base) for base in (a, b)]
    assert after[0] == after[1]
    assert re.search(r"\b7000\b", after[0]) and not re.search(r"\b800\b", after[0])

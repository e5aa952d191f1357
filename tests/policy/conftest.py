"""Policy tests: cheap argon2 for logins, apps over a fresh database or the initialised one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import delete

from tests.knowledge.platform_fixtures import loaded_app, log_in, make_user
from tradewind.db import Database
from tradewind.policy.models import (
    policy_cube,
    policy_daily,
    policy_events,
    policy_queries,
)
from tradewind.settings import Settings
from tradewind.web.app import create_app

SIGNAL_TABLES = (policy_events, policy_daily, policy_cube, policy_queries)


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    import tradewind.accounts as accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("timing-only"))


def wipe_signals(db: Database) -> None:
    with db.transaction() as conn:
        for table in SIGNAL_TABLES:
            conn.execute(delete(table))


def hooked_app(hs_db: Database, tmp: Path, **overrides: Any) -> TestClient:
    """The real site over the initialised database (finder index, samples), signals wiped."""
    wipe_signals(hs_db)
    settings = Settings.load(env={}, dotenv=tmp / "absent.env", database_url=hs_db.url,
                             var_dir=str(tmp / "var"), secret_key="policy-test-key",
                             **{"policy_flush_events": 1000, **overrides})
    return TestClient(create_app(settings, db=hs_db))


def flush(client: TestClient) -> None:
    recorder = getattr(client.app.state, "policy_recorder", None)  # type: ignore[attr-defined]
    if recorder is not None:
        recorder.flush()


@pytest.fixture
def signals_app(hs_db: Database, tmp_path: Path) -> Iterator[TestClient]:
    with hooked_app(hs_db, tmp_path, policy_raw_text=True) as client:
        yield client
    wipe_signals(hs_db)


@pytest.fixture
def analyst(db: Database, tmp_path: Path) -> Iterator[TestClient]:
    """A logged-in analyst over an empty database with the tiny platform content."""
    with loaded_app(db, tmp_path, policy_public_summary=True) as client:
        make_user(db, "analyst@example.org", "analyst")
        assert log_in(client, "analyst@example.org").status_code == 303
        yield client


@pytest.fixture
def editor(db: Database, tmp_path: Path) -> Iterator[TestClient]:
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        assert log_in(client).status_code == 303
        yield client

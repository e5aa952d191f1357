"""Shared fixtures: databases on SQLite (always) and PostgreSQL (when configured).

* ``db``     – an empty, migrated database; wiped after each test.
* ``hs_db``  – a database initialised like ``tradewind init`` (read-only by convention).
* ``client`` – a TestClient for the web app over ``hs_db``.
* ``shared_data`` – ``../shared/data``; tests skip with a reason when it is absent.

Set ``TRADEWIND_TEST_DATABASE_URL`` (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run every database test on PostgreSQL too; each xdist worker uses its own schemas.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, delete, text

from tradewind.bootstrap import initialise
from tradewind.db import Database, migrate
from tradewind.db.tables import metadata
from tradewind.settings import Settings

# Property tests are about answers, never speed: no per-example deadline and no "too slow"
# health check (a loaded 2-core CI machine trips both at random), and a fixed seed so a CI
# failure can be replayed.
hypothesis_settings.register_profile(
    "tradewind", deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("tradewind")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_URL = os.environ.get("TRADEWIND_TEST_DATABASE_URL", "").strip()


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def _run_id() -> str:
    """Unique per test process, so concurrent runs never share a PostgreSQL schema."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def make_database(backend: str, name: str, tmp_dir: Path) -> Database:
    """A brand-new, migrated database named ``name`` on ``backend``."""
    if backend == "sqlite":
        path = tmp_dir / f"{name}.db"
        path.unlink(missing_ok=True)
        db = Database(f"sqlite:///{path}")
    else:
        schema = f"tw_{_run_id()}_{name}".lower()
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        separator = "&" if "?" in PG_URL else "?"
        db = Database(f"{PG_URL}{separator}options={quote(f'-csearch_path={schema}')}")
    migrate.upgrade(db)
    return db


def drop_database(db: Database) -> None:
    """Drop a PostgreSQL test schema (SQLite files go with pytest's tmp dirs)."""
    db.dispose()
    if db.is_postgresql:
        schema = db.url.rsplit("search_path%3D", 1)[-1]
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def test_settings(db: Database, tmp_dir: Path) -> Settings:
    return Settings.load(env={}, dotenv=tmp_dir / "absent.env", database_url=db.url,
                         var_dir=str(tmp_dir / "var"), secret_key="test-secret-key",
                         rate_limit_api_per_minute=0, rate_limit_forms_per_minute=0)


@pytest.fixture(scope="session", params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def _empty_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = make_database(backend, "empty", tmp_path_factory.mktemp(f"db-{backend}"))
    yield db
    drop_database(db)


def wipe(db: Database) -> None:
    """Empty every table and drop this process's caches of ``db``: the finder index and the
    aggregates are keyed by URL and re-checked only every few seconds, so a test that reuses
    the URL right after another must not see the previous test's index."""
    from tradewind import aggcache
    from tradewind.finder.index import forget_index

    with db.transaction() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
    forget_index(db)
    aggcache.clear_memory()


@pytest.fixture
def db(_empty_db: Database) -> Iterator[Database]:
    """An empty migrated database; everything written is wiped afterwards."""
    wipe(_empty_db)
    yield _empty_db
    wipe(_empty_db)


@pytest.fixture(scope="session")
def hs_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database set up exactly like ``tradewind init`` (do not write to it)."""
    tmp = tmp_path_factory.mktemp(f"hsdb-{backend}")
    db = make_database(backend, "init", tmp)
    initialise(db, test_settings(db, tmp), report=lambda _msg: None)
    yield db
    drop_database(db)


@pytest.fixture(scope="session")
def app_settings(hs_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return test_settings(hs_db, tmp_path_factory.mktemp("settings"))


@pytest.fixture(scope="session")
def client(hs_db: Database, app_settings: Settings) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from tradewind.web.app import create_app

    with TestClient(create_app(app_settings, db=hs_db)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent: real-file tests need ../shared/data")
    return SHARED_DATA


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or ""):
        if candidate and Path(candidate).exists():
            return candidate
    return None

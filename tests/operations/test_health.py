"""Liveness, readiness, security headers and the body limit, on every response."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tradewind.db import Database, migrate
from tradewind.operations.health import readiness
from tradewind.settings import Settings
from tradewind.web.app import create_app

PAGES = ["/", "/hs/search", "/tariffs", "/api/v1/datasets", "/healthz", "/no-such-page"]


def test_healthz_and_readyz(client) -> None:  # type: ignore[no-untyped-def]
    live = client.get("/healthz")
    assert live.status_code == 200, live.text[:300]
    assert live.json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_readyz_says_when_migrations_are_pending(db: Database) -> None:
    migrate.downgrade(db, "0007_markets")
    try:
        state = readiness(db)
        assert not state.ready
        assert "migrations pending" in state.database
    finally:
        migrate.upgrade(db)
    assert readiness(db).ready


def test_security_headers_on_every_response(client) -> None:  # type: ignore[no-untyped-def]
    for path in PAGES:
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response.headers["permissions-policy"]
        assert "server" not in response.headers
        assert "strict-transport-security" not in response.headers


def test_hsts_when_tls_terminates_in_front(hs_db: Database, tmp_path: Path) -> None:
    settings = Settings.load(env={}, dotenv=tmp_path / "none.env", database_url=hs_db.url,
                             var_dir=str(tmp_path), secret_key="k", tls_terminated=True)
    with TestClient(create_app(settings, db=hs_db)) as client:
        assert "max-age=" in client.get("/healthz").headers["strict-transport-security"]


def test_oversized_bodies_get_413(hs_db: Database, tmp_path: Path) -> None:
    settings = Settings.load(env={}, dotenv=tmp_path / "none.env", database_url=hs_db.url,
                             var_dir=str(tmp_path), secret_key="k", max_body_bytes=1000)
    with TestClient(create_app(settings, db=hs_db)) as client:
        response = client.post("/login", content=b"x" * 5000,
                               headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status_code == 413
        assert "larger than 1000 bytes" in response.json()["detail"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_guessable_api_doc_addresses_lead_to_the_docs(client) -> None:  # type: ignore[no-untyped-def]
    for path, target in (("/docs", "/api/docs"), ("/api", "/api/docs"),
                         ("/openapi.json", "/api/v1/openapi.json")):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 308
        assert response.headers["location"] == target
    assert client.get("/openapi.json").json()["info"]["title"] == "Tradewind API"

"""Accounts: argon2 hashes, login with CSRF, cookie flags, logout, throttling stored in the DB."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.knowledge.platform_fixtures import csrf_from, loaded_app, log_in, make_user
from tradewind.accounts import LoginThrottled, add_user, authenticate
from tradewind.accounts.models import users
from tradewind.db import Database
from tradewind.errors import InvalidInput


@pytest.fixture
def app(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path, login_max_failures=3, login_lockout_seconds=300) as client:
        make_user(db)
        yield client


def test_passwords_are_hashed_with_argon2(db: Database) -> None:
    with db.transaction() as conn:
        add_user(conn, "Admin@Example.org", "admin", "a long enough password")
        row = conn.execute(select(users)).one()
    assert row.email == "admin@example.org"
    assert row.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in row.password_hash


@pytest.mark.parametrize(("email", "role", "password", "problem"), [
    ("not-an-email", "editor", "long enough pw", "e-mail"),
    ("a@example.org", "root", "long enough pw", "role"),
    ("a@example.org", "editor", "short", "at least"),
])
def test_add_user_validates(db: Database, email: str, role: str, password: str,
                            problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem), db.transaction() as conn:
        add_user(conn, email, role, password)


def test_duplicate_user_refused(db: Database) -> None:
    make_user(db)
    with pytest.raises(InvalidInput, match="already exists"):
        make_user(db)


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(app) -> None:  # type: ignore[no-untyped-def]
    response = log_in(app)
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    session = next(c for c in cookies if c.startswith("tw_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Secure" not in session
    assert "Administration" in app.get("/admin").text
    token = csrf_from(app.get("/admin").text)
    out = app.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert app.get("/admin", follow_redirects=False).status_code == 303


def test_secure_cookies_setting(db: Database, tmp_path: Path) -> None:
    with loaded_app(db, tmp_path, base_url="https://testserver", secure_cookies=True) as client:
        make_user(db)
        response = log_in(client)
        assert response.status_code == 303
        cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
        assert cookies and all("Secure" in c for c in cookies)


def test_wrong_password_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    response = log_in(app, password="wrong password!")
    assert response.status_code == 401 and "Wrong e-mail or password" in response.text
    assert app.get("/admin", follow_redirects=False).status_code == 303


def test_login_without_csrf_token_is_403(app) -> None:  # type: ignore[no-untyped-def]
    app.get("/login")
    response = app.post("/login", data={"email": "editor@example.org",
                                        "password": "correct horse battery"})
    assert response.status_code == 403


def test_logout_without_csrf_token_is_403(app) -> None:  # type: ignore[no-untyped-def]
    log_in(app)
    assert app.post("/logout", data={}).status_code == 403
    assert "Administration" in app.get("/admin").text


def test_repeated_wrong_passwords_are_throttled(app) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        assert log_in(app, password="wrong password!").status_code == 401
    # Even the right password is refused while the account is locked.
    response = log_in(app)
    assert response.status_code == 429
    assert "Too many failed logins" in response.text


def test_throttle_per_address_and_shared_through_the_database(db: Database) -> None:
    make_user(db)
    with db.transaction() as conn:
        for i in range(3):
            assert authenticate(conn, f"nobody{i}@example.org", "x", "10.0.0.1",
                                max_failures=3, lockout_seconds=300) is None
    # Another "instance" (a new connection) sees the same failures for that address.
    with pytest.raises(LoginThrottled), db.transaction() as conn:
        authenticate(conn, "editor@example.org", "correct horse battery", "10.0.0.1",
                     max_failures=3, lockout_seconds=300)
    with db.transaction() as conn:
        user = authenticate(conn, "editor@example.org", "correct horse battery", "10.0.0.2",
                            max_failures=3, lockout_seconds=300)
    assert user is not None and user.role == "editor"


def test_lockout_expires(db: Database) -> None:
    make_user(db)
    with db.transaction() as conn:
        for _ in range(2):
            authenticate(conn, "editor@example.org", "bad", "10.0.0.3", max_failures=2,
                         lockout_seconds=300)
    with db.transaction() as conn:  # a zero-second window: old failures no longer count
        assert authenticate(conn, "editor@example.org", "correct horse battery", "10.0.0.3",
                            max_failures=2, lockout_seconds=0) is not None


def test_open_redirect_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    token = csrf_from(app.get("/login").text)
    response = app.post("/login", data={"email": "editor@example.org",
                                        "password": "correct horse battery",
                                        "csrf_token": token, "next": "//evil.example"},
                        follow_redirects=False)
    assert response.headers["location"] == "/admin"

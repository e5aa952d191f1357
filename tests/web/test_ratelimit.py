"""Per-client limits on the API and on form posts: 429 with Retry-After, shared via the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tradewind.settings import Settings
from tradewind.web.app import create_app
from tradewind.web.ratelimit import limit_kind


@pytest.fixture
def limited(hs_db, app_settings) -> Iterator[tuple[TestClient, TestClient]]:  # type: ignore[no-untyped-def]
    """Two app instances on one database, both with small limits."""
    from tradewind.ratelimit import rate_limits

    with hs_db.transaction() as conn:
        conn.execute(rate_limits.delete())
    settings = Settings({**app_settings.values, "rate_limit_api_per_minute": 3,
                         "rate_limit_forms_per_minute": 2})
    with TestClient(create_app(settings, db=hs_db)) as one, \
            TestClient(create_app(settings, db=hs_db)) as two:
        yield one, two
    with hs_db.transaction() as conn:
        conn.execute(rate_limits.delete())


def test_api_limit_answers_429_with_retry_after(limited) -> None:  # type: ignore[no-untyped-def]
    one, _ = limited
    codes = [one.get("/api/v1/hs/codes/0901").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    refused = one.get("/api/v1/hs/codes/0901")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["status"] == 429
    assert "x-request-id" in refused.headers


def test_instances_share_the_count(limited) -> None:  # type: ignore[no-untyped-def]
    one, two = limited
    assert [one.get("/api/v1/hs/codes/0901").status_code for _ in range(3)] == [200] * 3
    assert two.get("/api/v1/hs/codes/0901").status_code == 429


def test_pages_and_probes_are_not_counted(limited) -> None:  # type: ignore[no-untyped-def]
    one, _ = limited
    assert all(one.get("/hs/0901").status_code == 200 for _ in range(5))
    assert all(one.get("/healthz").status_code == 200 for _ in range(5))


def test_form_posts_have_their_own_limit_and_a_translated_page(limited) -> None:  # type: ignore[no-untyped-def]
    one, _ = limited
    for _ in range(2):
        assert one.post("/fr/login", data={}).status_code != 429
    refused = one.post("/fr/login", data={})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert "Trop de requêtes" in refused.text


def test_zero_disables(client) -> None:  # type: ignore[no-untyped-def]
    assert all(client.get("/api/v1/hs/codes/0901").status_code == 200 for _ in range(10))


@pytest.mark.parametrize(("method", "path", "kind"), [
    ("GET", "/api/v1/hs/codes/0901", "api"), ("POST", "/api/v1/watch", "api"),
    ("POST", "/login", "form"), ("GET", "/login", None), ("GET", "/static/style.css", None),
    ("GET", "/metrics", None), ("POST", "/mcp", None),
])
def test_limit_kind(method: str, path: str, kind: str | None) -> None:
    assert limit_kind(method, path) == kind


def _stored_count(db, key: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tradewind.ratelimit import rate_limits

    with db.connect() as conn:
        return int(conn.execute(select(rate_limits.c.count)
                                .where(rate_limits.c.key == key)).scalar_one())


def test_claims_batch_far_from_the_limit_and_count_one_by_one_near_it(db) -> None:  # type: ignore[no-untyped-def]
    from tradewind.ratelimit import claim

    granted = []
    with db.transaction() as conn:
        while (answer := claim(conn, "api:192.0.2.1", limit=100, window=60, batch=5))[0] is None:
            granted.append(answer[1])
    assert sum(granted) == 100  # never more than the limit, every attempt usable
    assert granted[0] == 5 and granted[-4:] == [1, 1, 1, 1]


@pytest.fixture
def batched(hs_db, app_settings) -> Iterator[tuple[TestClient, TestClient]]:  # type: ignore[no-untyped-def]
    """Two instances with a limit large enough to claim attempts in batches of 5."""
    from tradewind.ratelimit import rate_limits

    with hs_db.transaction() as conn:
        conn.execute(rate_limits.delete())
    settings = Settings({**app_settings.values, "rate_limit_api_per_minute": 100})
    with TestClient(create_app(settings, db=hs_db)) as one, \
            TestClient(create_app(settings, db=hs_db)) as two:
        yield one, two
    with hs_db.transaction() as conn:
        conn.execute(rate_limits.delete())


def test_a_process_counts_from_its_lease_without_writing(batched, hs_db) -> None:  # type: ignore[no-untyped-def]
    one, _ = batched
    assert one.get("/api/v1/hs/codes/0901").status_code == 200
    assert _stored_count(hs_db, "api:testclient") == 5  # one claim of 5 for this and 4 more
    assert all(one.get("/api/v1/hs/codes/0901").status_code == 200 for _ in range(4))
    assert _stored_count(hs_db, "api:testclient") == 5
    assert one.get("/api/v1/hs/codes/0901").status_code == 200
    assert _stored_count(hs_db, "api:testclient") == 10


def test_leases_of_two_instances_never_exceed_the_limit(batched) -> None:  # type: ignore[no-untyped-def]
    one, two = batched
    statuses = [(one, two)[i % 3 == 0].get("/api/v1/hs/codes/0901").status_code
                for i in range(130)]
    assert statuses.count(200) <= 100 and statuses[-1] == 429
    assert statuses.count(200) >= 100 - 2 * 5  # at most one unused batch per instance

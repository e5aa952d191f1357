"""The OpenAPI document is the API's contract: schemathesis checks it from both sides.

Every operation under ``/api/v1`` is driven in-process (ASGI) over the ``tradewind init``
database with requests generated from the schema — its examples, boundary values
(coverage phase) and random ones (fuzzing), valid and invalid — and every response goes
through all of schemathesis's checks: no server error, status codes, content types,
headers and bodies as documented, schema-valid requests accepted (2xx, 404 for unknown
names…), schema-invalid ones refused (4xx), undeclared methods answered 405 with a
correct ``Allow``.

One narrow allowance: a 422 whose machine ``code`` is ``conflicting_input`` (values each
valid alone that cannot go together, e.g. origin = destination) is the documented answer
to a request no per-parameter schema can refuse, so ``positive_data_acceptance`` alone is
skipped for it; every other check still runs on that response.

Bounded so that ``make test`` stays within minutes on a loaded machine: ``MAX_EXAMPLES``
random cases per operation on top of its examples and coverage cases, no shrinking (a
failure is reported as generated; re-run locally with more examples to minimise it), no
stateful phase (``parametrize`` runs the examples, coverage and fuzzing phases only), and
derandomised so CI is deterministic.  The coverage phase (every boundary and invalid value
the schema defines, most of the cases) runs on SQLite; on PostgreSQL the same checks run on
the examples and the random cases, which is where an engine could differ (e.g. NUL bytes).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency")

from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from schemathesis.checks import CHECKS, load_all_checks  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from tradewind.db.tables import metadata  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("api_contract")]
MAX_EXAMPLES = 8
OPENAPI = "/api/v1/openapi.json"
#: Seconds one in-process call may take before the transport gives up: generous, so that a
#: loaded CI machine (a ranking on PostgreSQL under load) is never mistaken for a failure.
CALL_TIMEOUT = 600


class _App:
    """The ASGI app the generated requests go to: the document is loaded at collection time
    (it depends on the routes only), the app over ``hs_db`` is plugged in by a fixture."""

    target: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # each call opens a client: start the app once, in
            while True:                  # the fixture, not once per request
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.target is not None, "the contract_app fixture plugs the app in"
        await self.target(scope, receive, send)


def _document() -> dict[str, Any]:
    from tradewind.settings import Settings
    from tradewind.web.app import create_app

    settings = Settings.load(env={}, database_url="sqlite://", secret_key="schema-only")
    return create_app(settings).openapi()


APP = _App()
schema = schemathesis.openapi.from_dict(_document())
schema.app = APP
#: The same document without the coverage phase, for the second engine.
schema_without_coverage = schemathesis.openapi.from_dict(_document())
schema_without_coverage.config.phases.coverage.enabled = False
schema_without_coverage.app = APP


@pytest.fixture(scope="module")
def contract_app(hs_db: Any, app_settings: Any) -> Iterator[Any]:
    """The app over the init database; what POST /watch writes is wiped afterwards (the
    watch tables of ``hs_db`` start empty), so the shared database stays as ``init`` left it."""
    from fastapi.testclient import TestClient

    from tradewind.web.app import create_app

    app = create_app(app_settings, db=hs_db)
    with TestClient(app):  # runs the lifespan (warm-up, MCP session manager) once
        APP.target = app
        yield app
        APP.target = None
    watch_tables = [t for t in reversed(metadata.sorted_tables)
                    if t.name.startswith(("watch_", "outbox", "mail_"))]
    with hs_db.transaction() as conn:
        for table in watch_tables:
            conn.execute(delete(table))


def _all_checks() -> list[Any]:
    load_all_checks()
    return list(CHECKS.get_all())


def _is_conflict(response: Any) -> bool:
    if response.status_code != 422:
        return False
    try:
        return bool(response.json().get("code") == "conflicting_input")
    except ValueError:
        return False


def _check(case: Any) -> None:
    checks = _all_checks()
    response = case.call(timeout=CALL_TIMEOUT)
    if _is_conflict(response):
        from schemathesis.specs.openapi.checks import positive_data_acceptance

        checks = [c for c in checks if c is not positive_data_acceptance]
    case.validate_response(response, checks=checks)


def _engine(app: Any) -> str:
    return str(app.state.db.engine.dialect.name)


BOUNDED = settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                   phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))


@schema.parametrize()
@BOUNDED
def test_api_contract(case: Any, contract_app: Any) -> None:
    if _engine(contract_app) != "sqlite":
        pytest.skip("the coverage phase runs on SQLite; test_api_contract_fuzzed runs here")
    _check(case)


@schema_without_coverage.parametrize()
@BOUNDED
def test_api_contract_fuzzed(case: Any, contract_app: Any) -> None:
    if _engine(contract_app) == "sqlite":
        pytest.skip("on SQLite test_api_contract runs every phase")
    _check(case)


def test_schema_covers_every_api_route(client: Any) -> None:
    """Every JSON route is in the document, and every error answer has the problem body."""
    document = client.get(OPENAPI).json()
    paths = document["paths"]
    assert len(paths) >= 40
    for path, item in paths.items():
        assert path.startswith("/api/v1/")
        for method, operation in item.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert responses["429"]["headers"]["Retry-After"]["required"] is True
            for status, response in responses.items():
                if status.startswith("4"):
                    assert list(response["content"]) == ["application/problem+json"], (
                        method, path, status)
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_unsupported_method_lists_every_method_of_the_path(client: Any) -> None:
    response = client.request("PATCH", "/api/v1/watch")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"] == "application/problem+json"
    assert client.request("PUT", "/api/v1/watch/1/webhook?token=x").headers["allow"] == (
        "POST, DELETE")


def test_unknown_but_well_formed_values_are_not_found(client: Any) -> None:
    unknown_country = client.get("/api/v1/markets/rank?product=090111&origin=QQQ")
    assert unknown_country.status_code == 404
    assert unknown_country.json()["code"] == "not_found"
    missing_code = client.get("/api/v1/hs/codes/0901.29")
    assert missing_code.status_code == 404
    assert missing_code.json()["suggestions"]
    malformed = client.get("/api/v1/hs/codes/0901.2x")
    assert malformed.status_code == 422


def test_conflicting_values_name_their_machine_code(client: Any) -> None:
    response = client.get("/api/v1/tariffs/access?product=090111&origin=KEN&destination=KEN")
    assert response.status_code == 422
    assert response.json()["code"] == "conflicting_input"


def test_request_bodies_refuse_unknown_fields_and_loose_types(client: Any) -> None:
    extra = client.post("/api/v1/origin-check",
                        json={"product": "090111", "origin": "KEN", "colour": "red"})
    assert extra.status_code == 422
    as_text = client.post("/api/v1/origin-check",
                          json={"product": "090111", "origin": "KEN", "price": "12"})
    assert as_text.status_code == 422
    hook = client.post("/api/v1/watch", json={"email": "a@example.org", "hs": ["0901"],
                                              "webhook_url": "ftp://example.org/x"})
    assert hook.status_code == 422
    assert hook.json()["errors"][0]["field"] == "webhook_url"

"""A broken file sent through the web is refused in the page's language, naming file, line
and field; the API answers a problem JSON with code, message, file, line, field and params.

There is no upload page yet (imports are CLI commands), so the test mounts one route that
hands the uploaded bytes to a real importer (the exchange-rate CSV) on the real application,
with its language middleware and error handlers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Request

from tests.knowledge.platform_fixtures import loaded_app
from tradewind.db import Database
from tradewind.fx.importers import parse_fx_csv

BROKEN = b"date,base,currency,rate\n2024-01-02,EUR,USD,1.09\n2024-01-03,EUR,USD,abc\n"
EXPECTED = {
    "en": "rates.csv, line 3, field 'rate': 'abc' is not a number",
    "fr": "rates.csv, ligne 3, champ 'rate' : 'abc' n'est pas un nombre",
    "es": "rates.csv, línea 3, campo 'rate': 'abc' no es un número",
}


@pytest.fixture
def client(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path) as test_client:
        async def upload(request: Request) -> dict[str, int]:
            return {"rows": len(parse_fx_csv(await request.body(), "rates.csv"))}

        for path in ("/api/v1/test-import", "/test-import"):
            test_client.app.add_api_route(path, upload, methods=["POST"])  # type: ignore[attr-defined]
        yield test_client


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_page_names_file_line_and_field_in_its_language(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/{lang}/test-import", content=BROKEN)
    assert response.status_code == 422
    assert EXPECTED[lang].replace("'", "&#39;") in response.text


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_api_problem_carries_the_structured_place(client, lang: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post(f"/{lang}/api/v1/test-import", content=BROKEN)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_failed" and body["message"] == EXPECTED[lang]
    assert (body["file"], body["line"], body["field"]) == ("rates.csv", 3, "rate")
    assert body["params"] == {"text": "abc"}

"""Routes a reader follows: every section's index is in the menu, the API docs are where the
docs say, and the HS conversion accepts the parameter names both the docs and the form use.

The class of fault: a page or parameter name documented in one place and served under another.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tradewind.errors import InvalidInput, UnknownValue

MENU = re.compile(r'<nav aria-label="Main" class="main-nav">(.*?)</nav>', re.S)


def test_every_menu_entry_is_an_index_page(client: Any) -> None:
    home = client.get("/")
    menu = MENU.search(home.text)
    assert menu, "no main menu"
    links = re.findall(r'href="([^"]+)"', menu.group(1))
    assert "/stats" in links  # the statistics section too
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert "<h1" in response.text, link


@pytest.mark.parametrize("kind", ["market", "origin"])
def test_stats_forms_lead_to_profiles(client: Any, kind: str) -> None:
    index = client.get("/stats")
    assert f'action="/stats/{kind}"' in index.text
    response = client.get(f"/stats/{kind}?economy=Kenya", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/stats/{kind}/KEN"
    french = client.get(f"/fr/stats/{kind}?economy=KEN", follow_redirects=False)
    assert french.headers["location"] == f"/fr/stats/{kind}/KEN"
    bad = client.get(f"/stats/{kind}?economy=Atlantis")  # unknown: not found, form shown again
    assert bad.status_code == UnknownValue.status_code and 'role="alert"' in bad.text


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/api"])
def test_docs_paths_lead_to_the_api_docs(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert ("openapi" in response.text.lower()) or response.json().get("openapi")


def test_api_docs_list_the_documented_routes(client: Any) -> None:
    """Each route named in docs/api.md exists in the OpenAPI document."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    documented = set(re.findall(r"`(?:GET )?(/api/v1/[a-z0-9/_{}.-]+)", doc))
    spec = client.get("/api/v1/openapi.json").json()
    served = {"/api/v1" + p if not p.startswith("/api/v1") else p for p in spec["paths"]}
    pattern = [re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$") for p in served]
    documented.discard("/api/v1/openapi.json")  # the document itself (checked above)
    missing = [d for d in sorted(documented)
               if not any(rx.match(re.sub(r"\{[^}]+\}", "x", d)) for rx in pattern)]
    assert not missing, missing


@pytest.mark.parametrize("query", ["from=HS2022&to=HS2022", "from_edition=HS2022&to_edition=HS2022"])
def test_hs_convert_accepts_both_parameter_names(client: Any, query: str) -> None:
    # The page takes both names; the API takes `from`/`to` only (its schema says so).
    api = client.get("/api/v1/hs/convert?code=090121&from=HS2022&to=HS2022")
    page = client.get(f"/hs/convert?code=090121&{query}")
    assert api.status_code == 200, api.text
    assert page.status_code == 200
    assert api.json()["from_edition"] == "HS2022" if "from_edition" in api.json() else True


def test_hs_convert_without_target_edition_is_a_clear_error(client: Any) -> None:
    response = client.get("/api/v1/hs/convert?code=090121")
    assert response.status_code == InvalidInput.status_code
    assert response.json()["errors"][0]["field"] == "to"

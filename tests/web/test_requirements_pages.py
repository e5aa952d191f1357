"""Requirements page and API on the SAMPLE loaded by init."""

from __future__ import annotations

from typing import Any

Client = Any


def test_api_returns_grouped_sample_measures(client: Client) -> None:
    response = client.get("/api/v1/requirements?product=0901.11&destination=KEN"
                          "&origin=UGA&date=2025-06-01")
    assert response.status_code == 200
    data = response.json()
    assert data["sample"] is True and data["status"] == "found"
    assert data["provenance"][0]["is_sample"] is True
    chapters = {c["chapter"]: c for c in data["chapters"]}
    assert chapters["A"]["name"] == "Sanitary and phytosanitary measures"
    codes = {m["mast_code"] for c in data["chapters"] for m in c["measures"]}
    assert {"A83", "B31"} <= codes
    assert all("(SAMPLE)" in m["title"] for c in data["chapters"] for m in c["measures"])


def test_api_member_state_gets_eu_measures(client: Client) -> None:
    data = client.get("/api/v1/requirements?product=851660&destination=FRA"
                      "&date=2025-06-01").json()
    assert data["economies"] == ["FRA", "EUN"]
    assert [m["economy"] for c in data["chapters"] for m in c["measures"]] == ["EUN"]


def test_api_distinguishes_no_data_from_none_found(client: Client) -> None:
    no_data = client.get("/api/v1/requirements?product=0901&destination=ZAF").json()
    none = client.get("/api/v1/requirements?product=2716&destination=KEN").json()
    assert no_data["status"] == "no_data" and no_data["count"] == 0
    assert none["status"] == "none_found" and none["sample"] is True


def test_api_bad_input_is_a_problem(client: Client) -> None:
    bad = client.get("/api/v1/requirements?product=coffee&destination=KEN")
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    unknown = client.get("/api/v1/requirements?product=0901&destination=Atlantis")
    assert unknown.status_code == 404
    assert client.get("/api/v1/requirements?product=0901&destination=KEN&date=x"
                      ).status_code == 422


def test_api_declares_errors_in_openapi(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    responses = spec["paths"]["/api/v1/requirements"]["get"]["responses"]
    assert {"200", "404", "422"} <= set(responses)


def test_page_form_and_results(client: Client) -> None:
    empty = client.get("/requirements")
    assert empty.status_code == 200 and 'action="/requirements"' in empty.text
    assert "sample-banner" not in empty.text
    page = client.get("/requirements?product=0901.11&destination=KEN&origin=UGA"
                      "&date=2025-06-01")
    assert page.status_code == 200
    assert "sample-banner" in page.text and "Phytosanitary certificate" in page.text
    assert "Sanitary and phytosanitary measures" in page.text


def test_page_bad_input_reshows_form(client: Client) -> None:
    page = client.get("/requirements?product=12345678901&destination=KEN")
    assert page.status_code == 422
    assert 'role="alert"' in page.text and 'name="product"' in page.text


def test_page_in_french(client: Client) -> None:
    page = client.get("/fr/requirements?product=0901&destination=KEN")
    assert page.status_code == 200
    assert "Mesures sanitaires et phytosanitaires" in page.text


def test_market_access_page_links_to_requirements(client: Client) -> None:
    page = client.get("/tariffs/access?product=0901.11&origin=KEN&destination=DEU"
                      "&date=2025-06-01")
    assert page.status_code == 200
    assert ("/requirements?product=090111&amp;origin=KEN&amp;destination=DEU"
            "&amp;date=2025-06-01") in page.text

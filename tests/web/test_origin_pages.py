"""Origin self-check page and API on the SAMPLE agreements loaded by init."""

from __future__ import annotations

from typing import Any

Client = Any

CHECK = ("/origin-check?product=0901.21&origin=KEN&destination=UGA&price=1000&rule=CTH"
         "&mat_hs_0=090111&mat_value_0=600&mat_origin_0=UGA")


def test_api_meets_by_cumulation_with_the_other_party(client: Client) -> None:
    response = client.post("/api/v1/origin-check", json={
        "product": "0901.21", "origin": "KEN", "destination": "UGA", "rule": "CTH",
        "price": 1000, "materials": [{"hs": "090111", "value": 600, "origin": "UGA"}]})
    assert response.status_code == 200
    data = response.json()
    assert data["verdict"] == "meets" and data["agreement"] == "sample:eac"
    assert data["sample"] is True and data["provenance"]
    assert data["reasons"][0]["params"] == {"code": "090111", "economy": "UGA"}
    assert data["proofs_of_origin"]


def test_api_non_party_material_fails_and_unknown_origin_cannot_tell(client: Client) -> None:
    body: dict[str, Any] = {"product": "090121", "origin": "KEN", "destination": "UGA",
                            "rule": "CTH", "price": 1000,
                            "materials": [{"hs": "090111", "value": 600, "origin": "ETH"}]}
    assert client.post("/api/v1/origin-check", json=body).json()["verdict"] == "does_not_meet"
    body["materials"] = [{"hs": "090111", "value": 600}]
    data = client.post("/api/v1/origin-check", json=body,
                       headers={"Accept-Language": "fr"}).json()
    assert data["verdict"] == "cannot_tell" and data["missing"] == ["material_origin"]
    assert data["missing_text"][0] != "whether each material is originating"


def test_api_rejects_bad_input(client: Client) -> None:
    for body in ({"product": "coffee", "origin": "KEN"},
                 {"product": "0901", "origin": "KEN"},
                 {"product": "090121", "origin": "Kenya"},
                 {"product": "090121", "origin": "KEN", "price": -1},
                 {"product": "090121", "origin": "KEN", "materials": [{"value": -5}]},
                 ):
        assert client.post("/api/v1/origin-check", json=body).status_code == 422, body
    unknown = {"product": "090121", "origin": "KEN", "agreement": "nope:1"}
    assert client.post("/api/v1/origin-check", json=unknown).status_code == 404  # not found


def test_page_in_english_and_french(client: Client) -> None:
    empty = client.get("/origin-check")
    assert empty.status_code == 200 and 'name="mat_hs_0"' in empty.text
    page = client.get(CHECK)
    assert page.status_code == 200
    assert "The product meets the rule" in page.text and "SAMPLE" in page.text
    french = client.get("/fr" + CHECK)
    assert french.status_code == 200
    assert "Le produit respecte la règle" in french.text
    assert "(cumul)" in french.text


def test_add_a_material_keeps_values_and_adds_a_row(client: Client) -> None:
    page = client.get(CHECK + "&add=1")
    assert page.status_code == 200
    assert 'value="090111"' in page.text and 'name="mat_hs_1"' in page.text
    assert "The product meets the rule" not in page.text


def test_page_shows_errors_next_to_fields_with_values_kept(client: Client) -> None:
    page = client.get("/origin-check?product=09x&origin=KEN&price=abc"
                      "&mat_hs_0=0901&mat_value_0=lots")
    assert page.status_code == 422
    assert 'id="oc-product-error"' in page.text and 'id="oc-price-error"' in page.text
    assert 'id="mat-value-0-error"' in page.text and 'value="lots"' in page.text
    assert 'value="09x"' in page.text

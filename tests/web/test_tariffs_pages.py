"""Tariff pages and API on the SAMPLE loaded by init: answers work, bad input is 4xx."""

from __future__ import annotations

from typing import Any

import pytest

Client = Any


def test_form_page_lists_economies(client: Client) -> None:
    response = client.get("/tariffs")
    assert response.status_code == 200
    assert 'action="/tariffs/access"' in response.text
    assert '<option value="KEN"' in response.text and '<option value="EUN"' in response.text
    assert 'for="t-product"' in response.text


def test_access_page_explains_preference_and_says_sample(client: Client) -> None:
    response = client.get("/tariffs/access?product=0901.11&origin=KEN&destination=DEU"
                          "&date=2025-06-01")
    assert response.status_code == 200
    text = response.text
    assert "SAMPLE" in text and "sample-banner" in text
    assert "EU–Kenya Economic Partnership Agreement" in text
    assert "/glossary/mfn" in text and "/glossary/rules-of-origin" in text
    assert "EU Deforestation Regulation" in text  # EUDR flag from the nomenclature
    assert '<th scope="col">' in text
    assert "/tariffs/cost?" in text


def test_access_before_the_agreement_has_no_preference(client: Client) -> None:
    """The SAMPLE EU–Kenya EPA enters into force on 2024-07-01."""
    before = client.get("/api/v1/tariffs/access?product=090111&origin=KEN&destination=DEU"
                        "&date=2024-06-30").json()
    after = client.get("/api/v1/tariffs/access?product=090111&origin=KEN&destination=DEU"
                       "&date=2024-07-01").json()
    assert not any(line["preferences"] for line in before["lines"])
    assert any(p["agreement"].startswith("EU–Kenya") for line in after["lines"]
               for p in line["preferences"])
    assert after["sample"] is True and after["provenance"][0]["is_sample"] is True


def test_unparsed_duty_is_shown_verbatim_and_flagged(client: Client) -> None:
    body = client.get("/api/v1/tariffs/access?product=240120&origin=KEN&destination=USA"
                      "&date=2025-06-01").json()
    mfn = body["lines"][0]["mfn"]
    assert mfn["parse_ok"] is False and mfn["duty_text"].startswith("350%")
    assert any("not counted as zero" in w for w in body["warnings"])
    page = client.get("/tariffs/access?product=240120&origin=KEN&destination=USA"
                      "&date=2025-06-01")
    assert "not read automatically" in page.text


def test_additional_duties_depend_on_origin(client: Client) -> None:
    china = client.get("/api/v1/tariffs/access?product=850440&origin=CHN&destination=USA"
                       "&date=2025-06-01").json()
    mexico = client.get("/api/v1/tariffs/access?product=850440&origin=MEX&destination=USA"
                        "&date=2025-06-01").json()
    assert "9903.88.03" in {a["heading"] for a in china["additional_duties"]}
    assert mexico["additional_duties"] == []
    assert china["valuation_basis"]["basis"] == "FOB"


def test_no_schedule_is_stated_not_guessed(client: Client) -> None:
    body = client.get("/api/v1/tariffs/access?product=090111&origin=KEN&destination=NOR"
                      "&date=2025-06-01").json()
    assert body["schedule"] is None and body["lines"] == []
    assert any("No tariff schedule" in w for w in body["warnings"])


def test_words_go_to_the_finder(client: Client) -> None:
    response = client.get("/tariffs/access?product=roasted+coffee&origin=KEN&destination=DEU",
                          follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/hs/search?q=roasted")


@pytest.mark.parametrize("query", [
    "product=0901&origin=KEN&destination=DEU",
    "product=0901.1x&origin=KEN&destination=DEU",
    "product=090111&origin=Atlantis&destination=DEU",
    "product=090111&origin=KEN&destination=KEN",
    "product=090111&origin=KEN&destination=DEU&date=2025-13-01",
    "product=123456&origin=KEN&destination=DEU",
])
def test_bad_access_input_is_4xx(client: Client, query: str) -> None:
    page = client.get("/tariffs/access?" + query)
    api = client.get("/api/v1/tariffs/access?" + query)
    assert 400 <= page.status_code < 500 and "Please check" in page.text
    assert 400 <= api.status_code < 500
    assert api.headers["content-type"].startswith("application/problem+json")


def test_cost_page_shows_lines_formulas_and_fx(client: Client) -> None:
    response = client.get(
        "/tariffs/cost?product=090111&origin=KEN&destination=DEU&incoterm=FOB&value=10000"
        "&currency=USD&freight=800&quantity=1000&unit=kg&date=2025-06-01"
        "&other_label=Broker&other_amount=150")
    assert response.status_code == 200
    text = response.text
    assert "Customs value (CIF basis)" in text and "Total landed cost" in text
    assert "1 USD = " in text and "EUR" in text
    assert "Broker" in text and "SAMPLE" in text


def test_cost_form_alone_renders(client: Client) -> None:
    response = client.get("/tariffs/cost")
    assert response.status_code == 200 and 'name="incoterm"' in response.text
    assert response.text.count("<option value=\"EXW\"") == 1


def test_cost_api_matches_hand_arithmetic(client: Client) -> None:
    """CIF 1,000 USD of HS 850440 from China into the US (FOB basis), no freight given.

    The price includes freight and insurance but none were entered: the freight cannot be
    deducted (a warning says so), the insurance is estimated at 0.5 % of 110 % and deducted:
    1,000 × 0.0055 / 1.0055 = 5.47, customs value 994.53.  Section 301 and IEEPA apply to it:
    25 % = 248.63 and 10 % = 99.45 (from 2025-04-05). MFN in the SAMPLE is read from the answer; section
    301 adds 25 % = 250.00 and the IEEPA baseline 10 % = 100.00 (from 2025-04-05).
    """
    body = client.get("/api/v1/tariffs/cost?product=850440&origin=CHN&destination=USA"
                      "&incoterm=CIF&value=1000&currency=USD&date=2025-06-01").json()
    lines = {line["key"]: line for line in body["lines"]}
    assert body["currency"] == "USD" and body["valuation_basis"] == "FOB"
    assert lines["customs_value"]["amount"] == "994.53"
    assert lines["insurance"]["amount"] == "5.47" and lines["insurance"]["in_total"] is False
    additional = sorted(line["amount"] for key, line in lines.items()
                        if key.startswith("additional_"))
    assert additional == ["248.63", "99.45"]
    assert body["sample"] is True and body["provenance"]
    assert any("deducted" in w for w in body["warnings"])


@pytest.mark.parametrize("query", [
    "product=090111&origin=KEN&destination=DEU&value=abc",
    "product=090111&origin=KEN&destination=DEU&value=-5",
    "product=090111&origin=KEN&destination=DEU&value=100&incoterm=FOR",
    "product=090111&origin=KEN&destination=DEU&value=100&currency=XYZ",
    "product=090111&origin=KEN&destination=DEU&value=100&quantity=5",
    "product=090111&origin=KEN&destination=DEU&value=1e400",
    "origin=KEN&destination=DEU&value=100",
])
def test_bad_cost_input_is_4xx(client: Client, query: str) -> None:
    page = client.get("/tariffs/cost?" + query)
    api = client.get("/api/v1/tariffs/cost?" + query)
    assert 400 <= page.status_code < 500
    assert 400 <= api.status_code < 500


def test_lines_api(client: Client) -> None:
    body = client.get("/api/v1/tariffs/lines?destination=USA&hs6=170114"
                      "&as_of=2025-06-01").json()
    kinds = {line["rate_type"] for line in body["lines"]}
    assert kinds == {"mfn", "quota_in", "quota_out"}
    assert body["sample"] is True
    assert client.get("/api/v1/tariffs/lines?destination=USA&hs6=17").status_code == 422


def test_agreements_pages_and_api(client: Client) -> None:
    listing = client.get("/agreements?economy=KEN")
    assert listing.status_code == 200 and "EU–Kenya" in listing.text
    between = client.get("/agreements?a=FRA&b=KEN&date=2025-01-01")
    assert "EU–Kenya Economic Partnership Agreement" in between.text
    api = client.get("/api/v1/agreements/between?a=FRA&b=KEN&as_of=2025-01-01").json()
    assert [a["party_a"] for a in api["agreements"]] == ["EUN"]
    assert api["sample"] is True
    agreement_id = api["agreements"][0]["id"]
    detail = client.get(f"/agreements/{agreement_id}")
    assert detail.status_code == 200 and "EUR.1" in detail.text and "Kenya" in detail.text
    assert client.get(f"/api/v1/agreements/{agreement_id}").json()["origin_rules"]
    assert client.get("/agreements/999999").status_code == 404
    assert client.get("/api/v1/agreements/999999").status_code == 404
    assert client.get("/agreements/abc").status_code in (404, 422)
    assert client.get("/agreements?a=Atlantis&b=KEN").status_code == 404  # unknown economy
    assert client.get("/api/v1/agreements?economy=KEN").json()["agreements"]


def test_fx_api(client: Client) -> None:
    body = client.get("/api/v1/fx/convert?amount=100&from=USD&to=KES&date=2025-06-02").json()
    assert body["to"] == "KES" and body["sample"] is True and body["rate_date"] <= "2025-06-02"
    assert client.get("/api/v1/fx/convert?amount=100&from=USD&to=XXX").status_code == 404
    assert client.get("/api/v1/fx/convert?amount=x&from=USD&to=EUR").status_code == 422
    assert "KES" in client.get("/api/v1/fx/currencies").json()


def test_french_page_keeps_language_prefix(client: Client) -> None:
    response = client.get("/fr/tariffs")
    assert response.status_code == 200 and 'action="/fr/tariffs/access"' in response.text


def test_access_with_only_a_product_shows_the_form(client) -> None:  # type: ignore[no-untyped-def]
    """Finder results link here with only the product: ask for origin and destination."""
    r = client.get("/tariffs/access?product=090121")
    assert r.status_code == 200
    assert 'value="090121"' in r.text


def test_huge_agreement_ids_are_4xx_not_500(client) -> None:  # type: ignore[no-untyped-def]
    for url in ("/agreements/99999999999999999999", "/api/v1/agreements/99999999999999999999",
                "/api/v1/agreements?offset=99999999999999999999"):
        assert 400 <= client.get(url).status_code < 500, url

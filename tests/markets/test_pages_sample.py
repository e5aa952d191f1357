"""Pages and API on the ``client`` fixture (SAMPLE flows loaded at init): everything says SAMPLE."""

from __future__ import annotations

from typing import Any

import pytest


def _top_export(client: Any, origin: str) -> str:
    body = client.get(f"/api/v1/stats/origin/{origin}").json()
    assert body["sample"] is True and body["products"], body
    return str(body["products"][0]["product"])


def test_markets_form_works_out_of_the_box(client: Any) -> None:
    r = client.get("/markets")
    assert r.status_code == 200
    assert 'name="product"' in r.text and 'name="origin"' in r.text
    assert "SAMPLE data" in r.text
    assert 'for="mk-product"' in r.text  # labelled inputs


def test_form_with_a_code_redirects_to_the_ranking(client: Any) -> None:
    r = client.get("/markets", params={"product": "0901.11", "origin": "ETH"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].endswith("/markets/rank?product=090111&origin=ETH")


def test_form_with_words_lists_candidate_codes(client: Any) -> None:
    r = client.get("/markets", params={"product": "roasted coffee", "origin": "KEN"})
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert "/markets/rank?product=" in r.text


def test_rank_on_sample_says_sample(client: Any) -> None:
    product = _top_export(client, "KEN")
    page = client.get("/markets/rank", params={"product": product, "origin": "KEN"})
    assert page.status_code == 200, page.text[:500]
    assert "SAMPLE data" in page.text and "badge-sample" in page.text
    api = client.get("/api/v1/markets/rank", params={"product": product, "origin": "KEN"})
    body = api.json()
    assert body["sample"] is True
    assert any(p["is_sample"] for p in body["provenance"])
    assert body["results"] and body["results"][0]["rank"] == 1
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_french_page_keeps_language_prefix(client: Any) -> None:
    product = _top_export(client, "KEN")
    r = client.get("/fr/markets/rank", params={"product": product, "origin": "KEN"})
    assert r.status_code == 200
    assert 'href="/fr/markets/rank.csv?' in r.text


def test_stats_and_products_on_sample(client: Any) -> None:
    product = _top_export(client, "KEN")
    market = client.get("/api/v1/markets/rank",
                        params={"product": product, "origin": "KEN"}).json()["results"][0]["key"]
    pm = client.get("/api/v1/stats/product-market",
                    params={"product": product, "market": market, "origin": "KEN"}).json()
    assert pm["sample"] is True and pm["imports"]
    page = client.get("/stats/product-market",
                      params={"product": product, "market": market, "origin": "KEN"})
    assert page.status_code == 200 and "SAMPLE data" in page.text
    products = client.get("/api/v1/markets/products", params={"market": market,
                                                              "origin": "KEN"})
    assert products.status_code == 200 and products.json()["sample"] is True
    assert client.get("/stats/market/" + market).status_code == 200


@pytest.mark.parametrize("url", [
    "/markets?product=0901.1x&origin=ETH",
    "/markets?product=090111&origin=Narnia",
    "/markets/rank?product=999999&origin=ETH",
    "/api/v1/markets/rank?product=0901&origin=ETH",
    "/api/v1/markets/rank?origin=ETH",
    "/api/v1/stats/market/QQQ",
    "/stats/origin/QQQ",
])
def test_bad_input_on_sample_is_4xx(client: Any, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code)

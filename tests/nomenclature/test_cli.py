"""CLI: ``tradewind hs show|browse|convert`` and ``tradewind import nomenclature|concordance``."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ingest.hs_workbooks import make_workbook
from tradewind.cli import app
from tradewind.cli.app import database, settings
from tradewind.db import Database

runner = CliRunner()


def _point_cli_at(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db.url)
    settings.cache_clear()
    database.cache_clear()
    yield
    database().dispose()
    settings.cache_clear()
    database.cache_clear()


@pytest.fixture
def cli_hs(hs_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from _point_cli_at(hs_db, monkeypatch)


@pytest.fixture
def cli_db(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    for _ in _point_cli_at(db, monkeypatch):
        yield db


def test_show_human_and_json(cli_hs: None) -> None:
    result = runner.invoke(app, ["hs", "show", "0901.21"])
    assert result.exit_code == 0, result.output
    assert "0901.21 (HS2022 subheading): Coffee; roasted" in result.output
    assert "Section II" in result.output and "EU Deforestation Regulation" in result.output
    data = json.loads(runner.invoke(app, ["hs", "show", "0901 21", "--json"]).output)
    assert [p["code"] for p in data["path"]] == ["II", "09", "0901", "090121"]
    assert data["sources"][0]["edition"] == "HS2022"


def test_show_invalid_code_names_nearest(cli_hs: None) -> None:
    result = runner.invoke(app, ["hs", "show", "0901.2x"])
    assert result.exit_code == 1
    assert "Nearest valid codes: 0901.21" in result.output
    assert "Traceback" not in result.output


def test_browse_levels(cli_hs: None) -> None:
    top = runner.invoke(app, ["hs", "browse"])
    assert top.exit_code == 0 and "Section XXI" in top.output and "  09  Coffee" in top.output
    section = json.loads(runner.invoke(app, ["hs", "browse", "ii", "--json"]).output)
    assert section["parent"]["code"] == "II" and section["children"][0]["code"] == "06"
    heading = runner.invoke(app, ["hs", "browse", "0901"])
    assert "0901.22" in heading.output
    assert runner.invoke(app, ["hs", "browse", "XXX"]).exit_code == 1


def test_import_and_convert(cli_db: Database, tmp_path: Path) -> None:
    csv_path = tmp_path / "hs2017.csv"
    csv_path.write_text("section,hscode,description,parent,level\n"
                        "I,02,Meat,TOTAL,2\nI,0201,Meat of bovine animals,02,4\n"
                        "I,020111,Carcasses,0201,6\nI,020112,Half-carcasses,0201,6\n",
                        encoding="utf-8")
    loaded = runner.invoke(app, ["import", "nomenclature", str(csv_path), "--edition", "HS2017"])
    assert loaded.exit_code == 0, loaded.output
    assert "Loaded HS2017: 4 codes" in loaded.output
    book = make_workbook(tmp_path / "HS2022toHS2017ConversionAndCorrelationTables.xlsx")
    imported = runner.invoke(app, ["import", "concordance", str(book), "--json"])
    assert imported.exit_code == 0, imported.output
    payload = json.loads(imported.stdout)
    assert payload[0]["pairs"] == 8 and payload[0]["relations"]["n:n"] == 1
    converted = runner.invoke(app, ["hs", "convert", "0201.10", "--to", "HS2017"])
    assert converted.exit_code == 0, converted.output
    assert "1:n" in converted.output and "0201.11" in converted.output
    assert "Carcasses" in converted.output
    as_json = json.loads(runner.invoke(app, ["hs", "convert", "020111", "--from", "HS2017",
                                             "--to", "HS2022", "--json"]).stdout)
    assert as_json["targets"][0]["code"] == "020110" and as_json["relation"] == "n:1"


def test_import_errors_are_clear(cli_db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("section,code\nI,01\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "nomenclature", str(bad), "--edition", "HS2017"])
    assert result.exit_code == 1
    assert f"{bad}, line 1: wrong header" in result.output
    broken = tmp_path / "HS2022toHS2017.xlsx"
    broken.write_bytes(b"not a zip")
    result = runner.invoke(app, ["import", "concordance", str(broken)])
    assert result.exit_code == 1 and "not a readable .xlsx workbook" in result.output
    unknown = runner.invoke(app, ["hs", "convert", "010121", "--to", "HS2031"])
    assert unknown.exit_code == 1 and "Unknown HS edition" in unknown.output

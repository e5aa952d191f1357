"""CLI: ``tariff show``, ``cost``, ``agreements between``, ``import fx-ecb|fx-csv``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewind.cli import app
from tradewind.cli import tariffs as cli_tariffs
from tradewind.db import Database

runner = CliRunner()


@pytest.fixture
def on_hs_db(hs_db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setattr(cli_tariffs, "database", lambda: hs_db)
    return hs_db


def test_tariff_show_human_and_json(on_hs_db: Database) -> None:
    human = runner.invoke(app, ["tariff", "show", "0901.11", "--origin", "KEN",
                                "--destination", "DEU", "--date", "2025-06-01"])
    assert human.exit_code == 0, human.output
    assert "SAMPLE" in human.output and "EU–Kenya" in human.output
    data = json.loads(runner.invoke(app, ["tariff", "show", "090111", "-o", "KEN", "-d", "DEU",
                                          "--date", "2025-06-01", "--json"]).output)
    assert data["product"] == "090111" and data["sample"] is True


def test_cost_command(on_hs_db: Database) -> None:
    args = ["cost", "--product", "090111", "--origin", "KEN", "--destination", "DEU",
            "--incoterm", "FOB", "--value", "10000", "--currency", "USD", "--freight", "800",
            "--quantity", "500", "--unit", "kg", "--other", "Broker=150", "--date", "2025-06-01"]
    human = runner.invoke(app, args)
    assert human.exit_code == 0, human.output
    assert "Total landed cost" in human.output and "FX: 1 USD" in human.output
    data = json.loads(runner.invoke(app, [*args, "--json"]).output)
    keys = [line["key"] for line in data["lines"]]
    assert keys[0] == "goods" and "other_1" in keys and keys[-1] == "per_unit"


def test_bad_input_is_a_clear_error(on_hs_db: Database) -> None:
    result = runner.invoke(app, ["cost", "--product", "090111", "--origin", "KEN",
                                 "--destination", "DEU", "--value", "ten"])
    assert result.exit_code == 1 and "not a number" in result.output
    assert "Traceback" not in result.output


def test_agreements_between(on_hs_db: Database) -> None:
    result = runner.invoke(app, ["agreements", "between", "FRA", "KEN", "--date", "2025-01-01"])
    assert result.exit_code == 0 and "EU–Kenya" in result.output and "EUN / KEN" in result.output


def test_fx_imports(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_tariffs, "database", lambda: db)
    csv_file = tmp_path / "rates.csv"
    csv_file.write_text("date,currency,rate_per_usd\n2025-01-02,KES,129.1\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "fx-csv", str(csv_file)])
    assert result.exit_code == 0 and "Imported 1 rates" in result.output
    bad = tmp_path / "bad.xml"
    bad.write_text("<not-closed>", encoding="utf-8")
    result = runner.invoke(app, ["import", "fx-ecb", str(bad)])
    assert result.exit_code == 1 and "bad.xml" in result.output

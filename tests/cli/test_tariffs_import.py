"""``tradewind import …`` tariff and agreement commands: output, --json, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.tariffs.util import load_reference, table_counts
from tradewind.cli import tariffs_import
from tradewind.cli.app import app
from tradewind.db import Database

SCHEDULE = ("economy,national_code,hs6,description,unit,rate_type,origin,agreement,duty,"
            "valid_from,valid_to,quota_volume,quota_unit\n"
            "KEN,0901210000,090121,Roasted coffee,kg,mfn,,,25%,2022-07-01,,,\n"
            "KEN,0901220000,090122,Decaffeinated coffee,kg,mfn,,,see schedule,2022-07-01,,,\n")


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(tariffs_import, "database", lambda: db)
    load_reference(db)
    return CliRunner()


def test_tariff_csv_json_output(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ken.csv"
    path.write_text(SCHEDULE, "utf-8")
    result = runner.invoke(app, ["import", "tariff-csv", str(path), "--currency", "KES",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["lines"], data["rates"]) == (2, 2)
    assert data["unparsed"] == [{"line": 3, "duty": "see schedule"}]
    human = runner.invoke(app, ["import", "tariff-csv", str(path), "--currency", "KES"])
    assert "kept verbatim, not understood: 'see schedule'" in human.stdout


def test_errors_are_clear_and_change_nothing(runner: CliRunner, db: Database,
                                             tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(SCHEDULE.replace(",mfn,", ",normal,", 1), "utf-8")
    before = table_counts(db)
    result = runner.invoke(app, ["import", "tariff-csv", str(path)])
    assert result.exit_code == 1
    assert "bad.csv, line 2, field 'rate_type': unknown rate_type" in result.output
    assert "Traceback" not in result.output
    assert table_counts(db) == before
    missing = runner.invoke(app, ["import", "us-tariff", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "file not found" in missing.output


def test_fetch_rejects_bad_codes_without_network(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["fetch", "uk-tariff", "0901", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "not a 10-digit UK commodity code" in result.output

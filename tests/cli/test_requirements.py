"""``tradewind requirements show`` and ``tradewind import requirements-csv``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewind.agreements.init import load_groups
from tradewind.cli import requirements as cli_requirements
from tradewind.cli.app import app
from tradewind.db import Database
from tradewind.ingest.requirements_csv import COLUMNS

CSV = (",".join(COLUMNS) + "\n"
       "KEN,A83,0901,,Phytosanitary certificate,S,,,KEPHIS,2020-01-01,,Certificate\n")


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli_requirements, "database", lambda: db)
    with db.connect() as conn, conn.begin():
        load_groups(conn)
    return CliRunner()


def test_import_then_show(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ken.csv"
    path.write_text(CSV, "utf-8")
    result = runner.invoke(app, ["import", "requirements-csv", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["measures"] == 1
    shown = runner.invoke(app, ["requirements", "show", "0901.21", "--destination", "KEN",
                                "--date", "2024-01-01"])
    assert shown.exit_code == 0, shown.output
    assert "[A83] Phytosanitary certificate (KEN)" in shown.stdout
    assert "documents: Certificate" in shown.stdout
    as_json = runner.invoke(app, ["requirements", "show", "0901", "-d", "KEN", "--json"])
    assert json.loads(as_json.stdout)["status"] == "found"


def test_errors_are_clear(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(CSV.replace("A83", "Q7"), "utf-8")
    result = runner.invoke(app, ["import", "requirements-csv", str(path)])
    assert result.exit_code == 1
    assert "line 2" in result.output and "mast_code" in result.output
    none = runner.invoke(app, ["requirements", "show", "0901", "-d", "USA"])
    assert none.exit_code == 0 and "No requirements have been imported" in none.stdout

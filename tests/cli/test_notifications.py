"""``tradewind notifications search`` and ``tradewind import notifications``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.notifications.fixtures import counts, write_json, write_xlsx
from tradewind.cli import notifications as cli
from tradewind.cli.app import app
from tradewind.db import Database


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(cli, "database", lambda: db)
    return CliRunner()


def test_import_and_search(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "notifications", str(write_json(tmp_path / "n.json")),
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notifications"] == 4
    xlsx = runner.invoke(app, ["import", "notifications",
                               str(write_xlsx(tmp_path / "x.xlsx", rows=[
                                   ["G/TBT/N/BRA/1500", "Brazil", "TBT", "2026-04-02", None,
                                    "Flowers", "Cut flowers", "0603", "", "", "", "", "",
                                    "pt"]]))])
    assert xlsx.exit_code == 0, xlsx.output
    assert "Imported 1 notifications" in xlsx.stdout
    found = runner.invoke(app, ["notifications", "search", "--member", "EUN", "--hs", "0901",
                                "--json"])
    assert found.exit_code == 0, found.output
    data = json.loads(found.stdout)
    assert data["total"] == 2 and not data["sample"]
    human = runner.invoke(app, ["notifications", "search", "--area", "TBT"])
    assert "G/TBT/N/BRA/1500" in human.stdout and "3 notification(s)" in human.stdout


def test_errors_are_clear(runner: CliRunner, db: Database, tmp_path: Path) -> None:
    before = counts(db)
    bad = tmp_path / "n.csv"
    bad.write_text("x", "utf-8")
    result = runner.invoke(app, ["import", "notifications", str(bad)])
    assert result.exit_code == 1 and "use a .json or .xlsx file" in result.output
    empty = tmp_path / "e.json"
    empty.write_text("", "utf-8")
    result = runner.invoke(app, ["import", "notifications", str(empty)])
    assert result.exit_code == 1 and "empty" in result.output
    result = runner.invoke(app, ["notifications", "search", "--area", "ABC"])
    assert result.exit_code == 1 and "SPS or TBT" in result.output
    assert counts(db) == before

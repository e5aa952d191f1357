"""CLI: user add, import/export network, content load (human and --json output)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tradewind.cli.platform as platform_cli
from tests.knowledge.platform_fixtures import write_content
from tradewind.cli import app
from tradewind.db import Database
from tradewind.network.queries import all_organisations


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setattr(platform_cli, "database", lambda: db)
    return CliRunner()


def test_user_add_with_password_stdin(runner: CliRunner, db: Database) -> None:
    result = runner.invoke(app, ["user", "add", "ed@example.org", "--role", "admin",
                                 "--password-stdin"], input="a fine long password\n")
    assert result.exit_code == 0, result.output
    assert "Created admin account ed@example.org" in result.output
    again = runner.invoke(app, ["user", "add", "ed@example.org", "--password-stdin"],
                          input="a fine long password\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_import_and_export_network(runner: CliRunner, db: Database, tmp_path: Path) -> None:
    root = write_content(tmp_path / "c")
    result = runner.invoke(app, ["import", "network", str(root / "network.csv"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["organisations"] == 3
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["export", "network", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").count("\n") == 4


def test_import_broken_network_file_fails_cleanly(runner: CliRunner, db: Database,
                                                  tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,acronym\nX,Y\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "network", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv, line 1" in result.output and "wrong header" in result.output
    with db.connect() as conn:
        assert all_organisations(conn) == []


def test_content_load_and_replace(runner: CliRunner, db: Database, tmp_path: Path) -> None:
    root = write_content(tmp_path / "c")
    first = runner.invoke(app, ["content", "load", "--dir", str(root), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["inserted"]["glossary"] == 4
    second = runner.invoke(app, ["content", "load", "--dir", str(root)])
    assert "glossary: 0 written, 4 kept" in second.output
    third = runner.invoke(app, ["content", "load", "--dir", str(root), "--replace", "--json"])
    assert json.loads(third.output)["inserted"]["glossary"] == 4
    (root / "library.yaml").write_text("- slug: BAD\n", encoding="utf-8")
    broken = runner.invoke(app, ["content", "load", "--dir", str(root)])
    assert broken.exit_code == 1 and "library.yaml" in broken.output

"""CLI: ``tradewind hs search``, ``bench hs`` and ``import search-references``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewind.cli import app
from tradewind.cli.app import database, settings
from tradewind.db import Database

runner = CliRunner()


@pytest.fixture
def cli_db(hs_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", hs_db.url)
    settings.cache_clear()
    database.cache_clear()
    yield hs_db
    database().dispose()
    settings.cache_clear()
    database.cache_clear()


def test_hs_search_human_and_json(cli_db: Database) -> None:
    human = runner.invoke(app, ["hs", "search", "roasted coffee beans", "--limit", "3"])
    assert human.exit_code == 0, human.output
    assert "0901.21" in human.output and "Headings:" in human.output
    out = runner.invoke(app, ["hs", "search", "roasted coffee beans", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["candidates"][0]["code"] == "090121"


def test_hs_search_empty_query_is_a_clear_error(cli_db: Database) -> None:
    out = runner.invoke(app, ["hs", "search", "  "])
    assert out.exit_code == 1
    assert "product description" in out.output


def test_bench_hs_json(cli_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("description,hs_code\nroasted coffee,090121\nwool socks,6115940000\n",
                    encoding="utf-8")
    out = runner.invoke(app, ["bench", "hs", "--labels", str(path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["n"] == 2 and set(data) >= {"hs4_top1", "hs6_top5", "p95_ms", "skipped"}
    human = runner.invoke(app, ["bench", "hs", "--labels", str(path)])
    assert "HS6" in human.output and "p95" in human.output

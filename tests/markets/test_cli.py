"""CLI: ``tradewind markets rank|products`` and ``tradewind stats product-market|origin|market``."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from tests.markets.flowdata import load_small_flows
from tradewind.cli import app
from tradewind.cli.app import database, settings
from tradewind.db import Database

runner = CliRunner()


@pytest.fixture
def cli_flows(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    load_small_flows(db)
    monkeypatch.setenv("TRADEWIND_DATABASE_URL", db.url)
    settings.cache_clear()
    database.cache_clear()
    yield db
    database().dispose()
    settings.cache_clear()
    database.cache_clear()


def test_markets_rank_human_and_json(cli_flows: Database) -> None:
    human = runner.invoke(app, ["markets", "rank", "--product", "090111", "--origin", "ETH"])
    assert human.exit_code == 0, human.output
    assert "Markets for 090111 from ETH" in human.output and "Germany" in human.output
    assert "Market access is unknown" in human.output
    result = runner.invoke(app, ["markets", "rank", "--product", "0901.11", "--origin",
                                 "Ethiopia", "--w-supply", "0", "--w-demand", "0",
                                 "--w-ease", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["results"][0]["key"] == "KEN"
    assert data["weights"] == {"supply": 0.0, "demand": 0.0, "access": 1.0, "ease": 3.0}
    assert data["sample"] is False and data["provenance"]


def test_markets_products(cli_flows: Database) -> None:
    result = runner.invoke(app, ["markets", "products", "--market", "DEU", "--origin", "KEN",
                                 "--json"])
    assert result.exit_code == 0, result.output
    # Kenya exported coffee (to Germany) and T-shirts (to France); Germany imports both.
    assert sorted(r["key"] for r in json.loads(result.output)["results"]) == ["090111", "610910"]


def test_stats_commands(cli_flows: Database) -> None:
    pm = runner.invoke(app, ["stats", "product-market", "-p", "090111", "-m", "DEU",
                             "-o", "ETH", "--json"])
    assert pm.exit_code == 0, pm.output
    assert json.loads(pm.output)["imports"][-1]["value_usd"] == 1760
    human = runner.invoke(app, ["stats", "product-market", "-p", "090111", "-m", "DEU"])
    assert human.exit_code == 0 and "Top suppliers 2023 (3 in all)" in human.output
    origin = runner.invoke(app, ["stats", "origin", "ETH", "--by-rca"])
    assert origin.exit_code == 0, origin.output
    assert "Exports of ETH in 2023" in origin.output and "RCA" in origin.output
    market = runner.invoke(app, ["stats", "market", "DEU", "--json"])
    assert json.loads(market.output)["products"][0]["product"] == "870323"


@pytest.mark.parametrize("args", [
    ["markets", "rank", "--product", "0901", "--origin", "ETH"],
    ["markets", "rank", "--product", "090111", "--origin", "Atlantis"],
    ["markets", "rank", "--product", "090111", "--origin", "ETH", "--w-demand", "-2"],
    ["markets", "products", "--market", "ETH", "--origin", "ETH"],
    ["stats", "origin", "ETH", "--year", "abc"],
])
def test_bad_input_is_a_message_not_a_traceback(cli_flows: Database, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and "Traceback" not in result.output

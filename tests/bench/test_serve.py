"""``tradewind bench serve`` end to end on a short run: it starts the real server, drives every
endpoint of the mix and reports one JSON object (figures are not asserted: speed belongs in
BENCHMARKS.md)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tradewind.bench.serve import MIX
from tradewind.cli import app


def test_bench_serve_reports_every_endpoint_of_the_mix() -> None:
    result = CliRunner().invoke(app, ["bench", "serve", "--json", "--duration", "1",
                                      "--concurrency", "2", "--workers", "1"])
    assert result.exit_code == 0, result.output[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["engine"] == "sqlite" and figures["workers"] == 1
    assert figures["cold"]["first_request_status"] == 200
    assert figures["cold"]["dropped_not_200"] == {}
    (phase,) = figures["phases"]
    assert phase["clients"] == 2 and phase["errors"] == 0
    assert set(phase["endpoints"]) == set(MIX)
    assert phase["requests"] > 0
    assert phase["requests"] == sum(e["count"] for e in phase["endpoints"].values())


def test_bench_serve_refuses_bad_options() -> None:
    result = CliRunner().invoke(app, ["bench", "serve", "--concurrency", "x"])
    assert result.exit_code != 0
    assert "concurrency" in result.output

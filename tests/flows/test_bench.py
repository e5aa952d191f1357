"""Smoke test of the flows benchmark at a tiny scale: it runs end to end and reports figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tradewind.bench.flows import render, run_bench


@pytest.mark.slow
def test_bench_flows_small(tmp_path: Path) -> None:
    figures = run_bench(scale=0.001, years=1, work_dir=tmp_path / "bench", products=600,
                        postgres_url=os.environ.get("TRADEWIND_TEST_DATABASE_URL") or None,
                        runs=2, log=lambda _m: None)
    for key in ("scale", "rows_per_year", "sqlite_import", "postgresql_import", "pandas_to_sql",
                "duckdb_scan", "sqlite_queries", "speedup_vs_pandas", "targets"):
        assert key in figures
    for key in ("seconds", "cpu_seconds", "peak_rss_mib", "rows"):
        assert key in figures["sqlite_import"]
    assert figures["runs"] == 2 and len(figures["sqlite_import"]["runs_seconds"]) == 2
    assert figures["sqlite_import"]["rows"] == figures["duckdb_scan"]["rows"]
    assert figures["pandas_to_sql"]["rows"] == figures["duckdb_scan"]["rows"]
    assert figures["sqlite_queries"]["rank_p95_ms"] is not None
    assert set(figures["targets"]) >= {"sqlite_import_le_120s", "rank_p95_le_100ms",
                                       "product_market_p95_le_50ms", "peak_rss_le_1gib",
                                       "sqlite_speedup_vs_pandas_ge_2",
                                       "postgresql_speedup_vs_pandas_ge_2"}
    assert "Flows benchmark" in render(figures)


@pytest.mark.slow
def test_bench_flows_runs_without_the_optional_peers(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain install (no pandas, no DuckDB) still benchmarks Tradewind and says what it skipped."""
    import tradewind.bench.flows as bench

    monkeypatch.setattr(bench, "optional_peer_missing",
                        lambda module: f"{module} is not installed: the comparison is skipped")
    figures = run_bench(scale=0.001, years=1, work_dir=tmp_path / "bench", products=300,
                        postgres_url=None, log=lambda _m: None)
    assert "skipped" in figures["pandas_to_sql"] and "skipped" in figures["duckdb_scan"]
    assert figures["speedup_vs_pandas"] is None
    assert figures["sqlite_import"]["rows"] > 0
    assert "Flows benchmark" in render(figures)

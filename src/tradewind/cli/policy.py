"""``tradewind policy report|prune`` and ``tradewind bench policy``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import app, bench_app, database, emit, settings, user_errors

policy_app = typer.Typer(help="Demand signals for policymakers (anonymised aggregates).",
                         no_args_is_help=True)
app.add_typer(policy_app, name="policy")


def _render(data: dict[str, Any]) -> str:
    lines = [f"Demand signals {data['filters']['from']} to {data['filters']['to']} "
             f"(counts below {data['threshold']} suppressed)"]
    for title, part, cols in (("Questions by kind", "totals", ("kind", "n")),
                              ("Top products (HS4)", "products", ("hs4", "n")),
                              ("Top product × market", "pairs", ("hs4", "destination", "n")),
                              ("Barriers", "barriers", ("topic", "n"))):
        lines.append(f"\n{title}:")
        rows = data[part]["rows"][:10]
        lines += [("  " + "  ".join(str(r[c]) for c in cols)) for r in rows] or ["  (none)"]
    lines.append("\nData gaps:")
    lines += [f"  {g['dataset'] % {'place': g['economy'] or '?'}}: {g['questions']} questions "
              f"({g['docs']})" for g in data["gaps"]] or ["  (none)"]
    return "\n".join(lines)


@policy_app.command("report")
def report_cmd(start: str = typer.Option("", "--from", help="First day, YYYY-MM-DD"),
               end: str = typer.Option("", "--to", help="Last day, YYYY-MM-DD"),
               origin: str = typer.Option("", help="Origin economy (ISO3)"),
               sector: str = typer.Option("", help="HS section (I–XXI) or chapter"),
               as_json: bool = typer.Option(False, "--json"),
               xlsx: Path | None = typer.Option(None, "--xlsx", help="Write an XLSX file")
               ) -> None:
    """The dashboard's tables for a period (same suppression as the site)."""
    from tradewind.charts.downloads import xlsx_bytes
    from tradewind.policy import queries, report

    with user_errors(), database().connect() as conn:
        board = queries.dashboard(conn, queries.parse_filters(start, end, origin, sector),
                                  int(settings().policy_min_count))
    if xlsx is not None:
        sheets, notes = report.sheets(board)
        xlsx.write_bytes(xlsx_bytes(sheets, notes))
        typer.echo(f"Wrote {xlsx}")
        return
    emit(report.as_json(board), as_json, _render)


@policy_app.command("prune")
def prune_cmd(days: int = typer.Option(None, help="Keep this many days (default: setting "
                                                  "policy_retention_days)")) -> None:
    """Delete raw demand events past the retention period; daily/monthly totals stay."""
    from tradewind.policy.recorder import now_day
    from tradewind.policy.store import prune

    keep = int(settings().policy_retention_days) if days is None else days
    with database().transaction() as conn:
        removed = prune(conn, keep, now_day())
    typer.echo(f"Removed {removed} raw events older than {keep} days.")


@bench_app.command("policy")
def bench_policy(events: int = typer.Option(10_000_000, help="Events to generate"),
                 database_url: str = typer.Option("", help="Database (default: a temporary "
                                                           "SQLite file)"),
                 samples: int = typer.Option(30, help="Timed runs per dashboard query"),
                 seed: int = typer.Option(1),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Dashboard query p95 over N generated events, and the recording overhead p95."""
    from tradewind.policy.bench import run_benchmark

    report = (lambda _m: None) if as_json else typer.echo
    with user_errors():
        result = run_benchmark(database_url or None, events=events, samples=samples,
                               seed=seed, report=report)
    emit(result, as_json, lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))

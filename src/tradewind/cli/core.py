"""Core commands: init, serve, settings, datasets."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from tradewind.bootstrap import initialise
from tradewind.cli.app import app, bench_app, database, emit, settings, user_errors
from tradewind.datasets.queries import all_datasets
from tradewind.settings import settings_table_markdown


@app.command()
def init() -> None:
    """Create or upgrade the database and load reference data (idempotent)."""
    initialise(database(), settings(), report=typer.echo)


def default_workers() -> int:
    """One worker per core, at most eight (the database is the shared state)."""
    return max(1, min(8, os.cpu_count() or 1))


@app.command()
def serve(host: str = typer.Option(None, help="Address to listen on."),
          port: int = typer.Option(None, help="Port to listen on."),
          workers: int = typer.Option(None, help="Worker processes (default: setting "
                                      "TRADEWIND_WORKERS, else one per CPU core, at most 8)."),
          reload: bool = typer.Option(False, help="Reload on code changes (development).")) -> None:
    """Serve the web portal and the JSON API."""
    import uvicorn

    from tradewind.operations.requestlog import configure_logging

    s = settings()
    configure_logging(str(s.log_format), str(s.log_level))
    count = 1 if reload else (workers or int(s.workers) or default_workers())
    uvicorn.run("tradewind.web.app:create_app", factory=True, host=host or s.host,
                port=port or s.port, reload=reload, workers=count, proxy_headers=True,
                forwarded_allow_ips=s.forwarded_allow_ips, server_header=False)


@bench_app.command("serve")
def bench_serve(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object of figures."),
    database_url: str = typer.Option("", "--database-url", help="Run on this (empty) "
                                     "database; default: a temporary SQLite file."),
    workers: int = typer.Option(0, help="Server workers (default: one per CPU core, at most 8)."),
    duration: float = typer.Option(30.0, help="Seconds of load per concurrency level."),
    concurrency: str = typer.Option("20,50", help="Concurrent clients, comma-separated levels."),
) -> None:
    """Start the server and load it with a realistic mix; requests/s, errors, p50/p95."""
    import json

    from tradewind.bench.serve import run_bench

    try:
        levels = tuple(int(c) for c in concurrency.split(",") if c.strip())
    except ValueError:
        raise typer.BadParameter("--concurrency takes whole numbers, e.g. 20,50") from None
    if not levels or min(levels) < 1 or duration <= 0:
        raise typer.BadParameter("give at least one concurrency ≥ 1 and a positive duration")
    with user_errors():
        figures = run_bench(database_url or None, workers or None, duration, levels,
                            log=lambda m: typer.echo(m, err=True))
    if as_json:
        typer.echo(json.dumps(figures))
        return
    for phase in figures["phases"]:
        typer.echo(f"{phase['clients']} clients: {phase['requests_per_s']} req/s, "
                   f"{phase['errors']} errors")
        for name, e in phase["endpoints"].items():
            typer.echo(f"  {name}: p50 {e['p50_ms']} ms, p95 {e['p95_ms']} ms ({e['count']})")


@app.command()
def backup(target: Path = typer.Argument(..., help="File to write the backup to.")) -> None:
    """Back up the whole database (SQLite online backup, or pg_dump for PostgreSQL)."""
    from tradewind.operations.backup import backup as run_backup

    with user_errors():
        written = run_backup(database(), target)
    typer.echo(f"Backup written to {written}")


@app.command()
def restore(source: Path = typer.Argument(..., help="A file written by `tradewind backup`."),
            yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Replace the database's contents with a backup."""
    from tradewind.operations.backup import restore as run_restore

    if not yes:
        typer.confirm("This replaces everything in the database. Continue?", abort=True)
    with user_errors():
        run_restore(database(), source)
    typer.echo(f"Restored from {source}")


@app.command("settings")
def show_settings(markdown: bool = typer.Option(False, help="Print the README table.")) -> None:
    """List every setting, its environment variable and its current value."""
    if markdown:
        typer.echo(settings_table_markdown())
        return
    from tradewind.settings import SETTINGS

    for s in SETTINGS:
        value = settings().values[s.name]
        shown = "(set)" if s.name == "secret_key" and value else value
        typer.echo(f"{s.env_var}={shown}\n    {s.help}")


@app.command()
def datasets(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List imported datasets with their source, licence, edition and import time."""
    with database().connect() as conn:
        items = [d.as_dict() for d in all_datasets(conn)]

    def render(rows: list[dict]) -> str:
        lines = []
        for d in rows:
            sample = " [SAMPLE]" if d["is_sample"] else ""
            lines.append(f"#{d['id']} {d['kind']}: {d['name']}{sample} — edition {d['edition']}, "
                         f"{d['row_count']} rows, imported {d['imported_at']}\n"
                         f"    source: {d['source']}; licence: {d['licence']}")
        return "\n".join(lines) or "No datasets yet: run `tradewind init`."

    emit(items, as_json, render)

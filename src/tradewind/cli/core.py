"""Core commands: init, serve, settings, datasets."""

from __future__ import annotations

import typer

from tradewind.bootstrap import initialise
from tradewind.cli.app import app, database, emit, settings
from tradewind.datasets.queries import all_datasets
from tradewind.settings import settings_table_markdown


@app.command()
def init() -> None:
    """Create or upgrade the database and load reference data (idempotent)."""
    initialise(database(), settings(), report=typer.echo)


@app.command()
def serve(host: str = typer.Option(None, help="Address to listen on."),
          port: int = typer.Option(None, help="Port to listen on."),
          reload: bool = typer.Option(False, help="Reload on code changes (development).")) -> None:
    """Serve the web portal and the JSON API."""
    import uvicorn

    s = settings()
    uvicorn.run("tradewind.web.app:create_app", factory=True, host=host or s.host,
                port=port or s.port, reload=reload, proxy_headers=True)


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

"""The Typer application and its shared command groups.

Feature modules (``cli/hs.py``, ``cli/tariffs.py`` …) add their commands to these groups;
they parse input, call the library and print.  No logic lives here.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import typer

from tradewind.db import Database
from tradewind.errors import TradewindError
from tradewind.settings import Settings

app = typer.Typer(help="Tradewind: a self-hostable trade helpdesk for small businesses.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
import_app = typer.Typer(help="Import data files (atomic: a bad file changes nothing).",
                         no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (results go in BENCHMARKS.md).", no_args_is_help=True)
app.add_typer(import_app, name="import")


@app.callback()
def _language(lang: str = typer.Option(
        "en", "--lang", help="Language of messages and errors: en, fr or es.")) -> None:
    """Messages of the command (errors of imports included) in the chosen language."""
    from tradewind.i18n import LANGUAGES, current_language

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"use one of {', '.join(LANGUAGES)}", param_hint="--lang")
    current_language.set(lang)


@import_app.callback()
def _time_imports(ctx: typer.Context) -> None:
    """Every ``tradewind import …`` is timed for the metrics (see operations/metrics.py)."""
    from tradewind.operations.metrics import timed_import

    timer = timed_import(ctx.invoked_subcommand or "unknown")
    timer.__enter__()
    ctx.call_on_close(lambda: timer.__exit__(*sys.exc_info()))
app.add_typer(bench_app, name="bench")


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.load()


@lru_cache(maxsize=1)
def database() -> Database:
    return Database(settings().database_url)


def emit(data: Any, as_json: bool, render: Callable[[Any], str] | None = None) -> None:
    """Print ``data`` as JSON for scripts, or through ``render`` for people."""
    if as_json or render is None:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(render(data))


def fail(message: str, code: int = 1) -> None:
    from tradewind.i18n import gettext as _

    typer.secho(_("Error: %(problem)s", problem=message), fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn library errors into a clear message and exit status 1 (no traceback)."""
    try:
        yield
    except TradewindError as exc:
        fail(str(exc))


def progress_report(message: str) -> None:
    typer.echo(message, err=not sys.stdout.isatty())

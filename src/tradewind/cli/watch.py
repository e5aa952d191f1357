"""``tradewind watch add|list|remove|worker``: watch lists and the alert worker."""

from __future__ import annotations

import time
from typing import Any

import typer

from tradewind.cli.app import app, database, emit, settings, user_errors
from tradewind.watch import lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.worker import run_once

watch_app = typer.Typer(help="Watch lists: e-mail alerts on tariff and other changes.",
                        no_args_is_help=True)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def add(email: str, hs: list[str] = typer.Option([], "--hs", help="HS prefix (2/4/6 digits)"),
        market: list[str] = typer.Option([], "--market", help="ISO3 or group code (EUN)"),
        frequency: str = typer.Option("immediate", help="immediate, daily or weekly"),
        language: str = typer.Option("en", help="en, fr or es"),
        confirmed: bool = typer.Option(True, help="Skip the e-mailed confirmation (admin use)"),
        as_json: bool = typer.Option(False, "--json")) -> None:
    """Watch HS prefixes in markets (every combination of --hs and --market)."""
    items = [WatchItem(h, m) for h in (hs or [None]) for m in (market or [None])]  # type: ignore[list-item]
    with user_errors(), database().transaction() as conn:
        sub = lists.subscribe(conn, email, items, language=language, frequency=frequency)
        if confirmed:
            lists.confirm(conn, sub.confirm_token)
    emit({"list_id": sub.list_id, "email": sub.email, "confirmed": confirmed}, as_json,
         lambda d: f"Watch list {d['list_id']} for {d['email']}"
                   + ("" if confirmed else " (waiting for confirmation)"))


@watch_app.command("list")
def list_(email: str = typer.Option("", help="Only this address"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Every watch list."""
    with user_errors(), database().connect() as conn:
        rows: list[dict[str, Any]] = [
            {"id": w.id, "email": w.email, "name": w.name, "frequency": w.frequency,
             "confirmed": w.confirmed,
             "items": [{"hs": i.hs_prefix, "market": i.market, "kind": i.kind_prefix}
                       for i in w.items]} for w in lists.list_watches(conn, email or None)]
    emit(rows, as_json, lambda d: "\n".join(
        f"{r['id']:>5}  {r['email']}  {r['frequency']}  {r['name']}"
        + ("" if r["confirmed"] else "  (unconfirmed)") for r in d) or "No watch lists.")


@watch_app.command("remove")
def remove(list_id: int) -> None:
    """Delete a watch list."""
    with user_errors(), database().transaction() as conn:
        lists.remove_watch(conn, list_id)
    typer.echo(f"Removed watch list {list_id}.")


@watch_app.command("worker")
def worker(once: bool = typer.Option(False, "--once", help="One pass, then exit"),
           interval: float = typer.Option(30.0, help="Seconds between passes")) -> None:
    """Deliver pending alerts over SMTP."""
    while True:
        run = run_once(database(), settings())
        typer.echo(f"{run.messages} message(s), {run.delivered} alert(s) sent, "
                   f"{run.failed} failed, {run.disabled} subscriber(s) disabled")
        if once:
            return
        time.sleep(interval)

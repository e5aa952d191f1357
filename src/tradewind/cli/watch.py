"""``tradewind watch add|list|remove|worker|remind|send-test``: watch lists and the worker."""

from __future__ import annotations

import time
from typing import Any

import typer

from tradewind.cli.app import app, bench_app, database, emit, settings, user_errors
from tradewind.watch import drift, finder_query, lists
from tradewind.watch.lists import WatchItem
from tradewind.watch.service import send_test
from tradewind.watch.worker import remind, run_once

watch_app = typer.Typer(help="Watch lists: e-mail alerts on tariff and other changes.",
                        no_args_is_help=True)
app.add_typer(watch_app, name="watch")


@watch_app.command("add")
def add(email: str, hs: list[str] = typer.Option([], "--hs", help="HS prefix (2/4/6 digits)"),
        market: list[str] = typer.Option([], "--market", help="ISO3 or group code (EUN)"),
        query: str = typer.Option("", "--query", help="Product words: the finder's top code "
                                  "is shown for confirmation, then watched"),
        yes: bool = typer.Option(False, "--yes", help="Accept the finder's top code without "
                                 "asking"),
        notifications_of: list[str] = typer.Option(
            [], "--notifications-of", help="Watch every SPS/TBT notification of this member"),
        area: str = typer.Option("", help="With --notifications-of: SPS or TBT only"),
        section: list[str] = typer.Option([], "--section",
                                          help="Content section: guides, library, glossary"),
        events: bool = typer.Option(False, "--events", help="Watch Working Group events"),
        frequency: str = typer.Option("immediate", help="immediate, daily or weekly"),
        language: str = typer.Option("en", help="en, fr or es"),
        kind: str = typer.Option("", help="Only this kind of change (tariff, notification…)"),
        webhook: str = typer.Option("", help="Also deliver to this signed-webhook URL"),
        confirmed: bool = typer.Option(True, help="Skip the e-mailed confirmation (admin use)"),
        as_json: bool = typer.Option(False, "--json")) -> None:
    """Watch HS prefixes in markets (every combination of --hs and --market), product words
    resolved by the finder (--query), and topics (--notifications-of, --section, --events)."""
    with user_errors():
        topics = [lists.topic_item("notifications", member=m, area=area or None)
                  for m in notifications_of]
        topics += [lists.topic_item("section", section=name) for name in section]
        if events:
            topics.append(lists.topic_item("events"))
        items: list[WatchItem] = []
        if query:  # given, even blank: the finder's refusal says what to type
            choice = finder_query.resolve(database(), query, limit=1)[0]
            typer.echo(f"{query.strip()!r} → {choice.code} {choice.description}", err=True)
            if not yes and not typer.confirm("Watch this code?", err=True):
                raise typer.Exit(1)
            items = finder_query.query_items(query, [choice.code], market)
        elif hs or market or kind or not topics:
            items = [WatchItem(h or None, m or None, kind or None)
                     for h in (hs or [""]) for m in (market or [""])]
    with user_errors(), database().transaction() as conn:
        sub = lists.subscribe(conn, email, [*items, *topics], language=language,
                              frequency=frequency, webhook_url=webhook or None,
                              allow_private=bool(settings().watch_webhook_allow_private))
        if confirmed:
            lists.confirm(conn, sub.confirm_token)
        secret = next((w.webhook_secret for w in lists.list_watches(conn, sub.email)
                       if w.id == sub.list_id), None)
    emit({"list_id": sub.list_id, "email": sub.email, "confirmed": confirmed,
          "webhook_secret": secret}, as_json,
         lambda d: f"Watch list {d['list_id']} for {d['email']}"
                   + ("" if confirmed else " (waiting for confirmation)"))


@watch_app.command("resolve")
def resolve(words: list[str], as_json: bool = typer.Option(False, "--json")) -> None:
    """The HS codes the finder proposes for product words (what --query would watch)."""
    with user_errors():
        choices = finder_query.resolve(database(), " ".join(words))
    emit([c.as_dict() for c in choices], as_json, lambda d: "\n".join(
        f"{c['code']}  {c['description']}" for c in d))


@watch_app.command("enable")
def enable(list_id: int,
           email: bool = typer.Option(False, "--email", help="Re-enable the list owner's "
                                      "e-mail (admin: no new confirmation)"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Re-enable a list's disabled webhook (same URL and secret), or with --email its
    owner's bounced address."""
    with user_errors(), database().transaction() as conn:
        if email:
            lists.enable_email(conn, list_id)
        else:
            lists.enable_webhook(conn, list_id,
                                 allow_private=bool(settings().watch_webhook_allow_private))
    emit({"list_id": list_id, "enabled": "email" if email else "webhook"}, as_json,
         lambda d: f"Watch list {d['list_id']}: {d['enabled']} enabled again")


@watch_app.command("list")
def list_(email: str = typer.Option("", help="Only this address"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Every watch list."""
    with user_errors(), database().connect() as conn:
        rows: list[dict[str, Any]] = [w.as_dict() for w in lists.list_watches(conn, email or None)]
    emit(rows, as_json, lambda d: "\n".join(
        f"{r['id']:>5}  {r['email']}  {r['frequency']}  {r['name']}"
        + "".join(f"  [query: {i['query']}]" for i in r["items"] if i.get("query"))
        + f"  email:{r['channels']['email']['status']}"
        + f"  webhook:{r['channels']['webhook']['status']}" for r in d) or "No watch lists.")


@watch_app.command("remove")
def remove(list_id: int) -> None:
    """Delete a watch list."""
    with user_errors(), database().transaction() as conn:
        lists.remove_watch(conn, list_id)
    typer.echo(f"Removed watch list {list_id}.")


@watch_app.command("worker")
def worker(once: bool = typer.Option(False, "--once", help="One pass, then exit"),
           interval: float = typer.Option(30.0, help="Seconds between passes"),
           as_json: bool = typer.Option(False, "--json", help="JSON counts after each pass")) -> None:
    """Deliver pending alerts (e-mail and webhooks); also queues due reminders. Several
    workers may run at once on PostgreSQL; run one on SQLite."""
    while True:
        run = run_once(database(), settings())
        emit(run.as_dict(), as_json,
             lambda d: f"{d['messages']} message(s), {d['delivered']} alert(s) sent, "
                       f"{d['failed']} failed, {d['disabled']} channel(s) disabled, "
                       f"{d['reminders']} reminder(s) queued")
        if once:
            return
        time.sleep(interval)


@watch_app.command("remind")
def remind_(as_json: bool = typer.Option(False, "--json")) -> None:
    """Queue reminders of dates within TRADEWIND_WATCH_REMINDER_DAYS: tariff changes,
    measures and notified regulations taking effect, Working Group events, comment deadlines
    of watched notifications (idempotent; the worker does this too)."""
    queued = remind(database(), settings())
    emit({"reminders": queued}, as_json, lambda d: f"{d['reminders']} reminder(s) queued")


@watch_app.command("check-codes")
def check_codes(as_json: bool = typer.Option(False, "--json")) -> None:
    """Resolve finder-query watches again if the finder's data changed; open a notice where
    the words would now give other codes (the worker does this too)."""
    opened = drift.check(database())
    emit({"notices": opened}, as_json, lambda d: f"{d['notices']} code-change notice(s)")


@watch_app.command("answer-codes")
def answer_codes(notice_id: int, action: str = typer.Argument(..., help="accept or keep"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Accept the codes a finder-query notice proposes, or keep the watched ones."""
    with user_errors(), database().transaction() as conn:
        notice = drift.resolve_notice(conn, notice_id, action)
    emit(notice.as_dict(), as_json,
         lambda d: f"{d['query']!r}: " + (", ".join(d["proposed"]) if action == "accept"
                                          else ", ".join(d["watched"])) + " watched")


@watch_app.command("send-test")
def send_test_(list_id: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """Send a test message to each channel of a watch list now."""
    with user_errors():
        result = send_test(database(), settings(), list_id)
    emit(result, as_json, lambda d: f"e-mail: {d['email']}; webhook: {d['webhook'] or 'none'}")
    if any(str(v).startswith("failed") for v in (result["email"], result["webhook"])):
        raise typer.Exit(1)


@bench_app.command("watch")
def bench_watch(
    as_json: bool = typer.Option(False, "--json", help="one JSON object of figures"),
    database_url: str = typer.Option("", "--database-url",
                                     help="run on this database (default: a temporary SQLite)"),
    lists_: int = typer.Option(100_000, "--lists", help="watch lists"),
    lines: int = typer.Option(10_000, "--lines", help="changed tariff lines in one import"),
    messages: int = typer.Option(2_000, "--messages", help="messages sent to the SMTP sink"),
) -> None:
    """Time change matching (lines x lists) and the worker sending to a local SMTP sink."""
    import json

    from tradewind.bench.watch import run_benchmark

    figures = run_benchmark(database_url or None, lists=lists_, lines=lines, messages=messages,
                            report=lambda m: typer.echo(m, err=True))
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            typer.echo(f"{key}: {value}")

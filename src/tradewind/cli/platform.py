"""Platform commands: ``user add``, ``import network``, ``export network``, ``content load``."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from tradewind.cli.app import app, database, emit, import_app, user_errors

user_app = typer.Typer(help="Editor and admin accounts.", no_args_is_help=True)
export_app = typer.Typer(help="Export data as files.", no_args_is_help=True)
content_app = typer.Typer(help="Platform content files (guides, glossary, library…).",
                          no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(export_app, name="export")
app.add_typer(content_app, name="content")


@user_app.command("add")
def user_add(email: str = typer.Argument(..., help="E-mail address used to log in."),
             role: str = typer.Option("editor", help="editor, admin or analyst (reads /policy only)."),
             password_stdin: bool = typer.Option(
                 False, "--password-stdin", help="Read the password from standard input.")
             ) -> None:
    """Create an editor, admin or analyst account (password prompted, or read from stdin)."""
    from tradewind.accounts import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with user_errors(), database().transaction() as conn:
        user = add_user(conn, email, role, password)
    typer.echo(f"Created {user.role} account {user.email}.")


@import_app.command("network")
def import_network_cmd(file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                                   help="CSV in the network format."),
                       as_json: bool = typer.Option(False, "--json", help="Print JSON.")
                       ) -> None:
    """Import organisations (insert new, update same name); a bad file changes nothing."""
    from tradewind.ingest.network_csv import import_network

    with user_errors():
        count = import_network(database(), file, actor=f"import {file.name}")
    emit({"file": str(file), "organisations": count}, as_json,
         lambda d: f"Imported {d['organisations']} organisations from {d['file']}.")


@export_app.command("network")
def export_network_cmd(output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output).")) -> None:
    """Write the organisations directory as CSV (the import format)."""
    from tradewind.ingest.network_csv import export_network_csv

    with database().connect() as conn:
        text = export_network_csv(conn)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {output}.", err=True)


@content_app.command("load")
def content_load(replace: bool = typer.Option(
                     False, "--replace", help="Overwrite records with the files' version."),
                 directory: Path | None = typer.Option(
                     None, "--dir", help="Content folder (default: the shipped content)."),
                 as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Load guides, glossary, library, network, champions and Working Group files."""
    from tradewind.ingest.content import CONTENT_DIR, load_content

    with user_errors():
        report = load_content(database(), directory or CONTENT_DIR, replace=replace,
                              actor="tradewind content load")
    data = {"inserted": report.inserted, "skipped": report.skipped,
            "warnings": report.warnings}

    def render(d: dict) -> str:
        lines = [f"{k}: {v} written, {d['skipped'][k]} kept" for k, v in d["inserted"].items()]
        lines += [f"warning: {w}" for w in d["warnings"]]
        return "\n".join(lines)

    emit(data, as_json, render)

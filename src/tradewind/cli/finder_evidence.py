"""``tradewind import rulings-eu|rulings-us|confirmations``, ``tradewind finder …``,
``tradewind hs guided``: binding rulings, advisors' confirmations and guided questions."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import app, database, emit, import_app, settings, user_errors
from tradewind.cli.hs import hs_app

finder_app = typer.Typer(help="Product finder: advisors' confirmations.", no_args_is_help=True)
app.add_typer(finder_app, name="finder")

FILE = typer.Argument(..., exists=True, dir_okay=False, readable=True)


def _rulings_text(r: dict[str, Any]) -> str:
    lines = [f"{r['stored']} ruling codes stored from {r['rulings']} rulings"
             + (" — replaced the earlier import" if r["replaced"] else ""),
             f"  converted from an older HS edition: {r['converted']}; older codes kept as "
             f"they are (no correlation table loaded): {r['unconverted']}",
             f"  codes with no HS 2022 subheading (skipped): {r['not_in_hs2022']}"]
    lines += [f"    {x}" for x in r["unknown_examples"][:5]]
    if r.get("without_tariff"):
        lines.append(f"  rulings naming no tariff number (skipped): {r['without_tariff']}")
    return "\n".join(lines)


@import_app.command("rulings-eu")
def import_rulings_eu(file: Path = FILE,
                      name: str | None = typer.Option(None, help="Dataset name (provenance)"),
                      source: str | None = typer.Option(None, help="Where the file came from"),
                      as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Import EU binding tariff information (an EBTI CSV export) as finder evidence."""
    from tradewind.ingest.rulings_eu import import_rulings_eu as run

    with user_errors():
        emit(asdict(run(database(), file, name=name, source=source)), as_json, _rulings_text)


@import_app.command("rulings-us")
def import_rulings_us(file: Path = FILE,
                      name: str | None = typer.Option(None, help="Dataset name (provenance)"),
                      source: str | None = typer.Option(None, help="Where the file came from"),
                      as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Import US CBP rulings (a CROSS JSON or CSV export) as finder evidence."""
    from tradewind.ingest.rulings_us import import_rulings_us as run

    with user_errors():
        report, without = run(database(), file, name=name, source=source)
        emit({**asdict(report), "without_tariff": without}, as_json, _rulings_text)


@import_app.command("confirmations")
def import_confirmations(file: Path = FILE,
                         name: str | None = typer.Option(None, help="Dataset name"),
                         as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Import advisors' confirmations exported by another portal (CSV)."""
    from tradewind.finder.confirmations import import_csv

    with user_errors():
        emit(asdict(import_csv(database(), file, name=name)), as_json, lambda r: (
            f"{r['stored']} confirmations imported"
            + (" — replaced the earlier import" if r["replaced"] else "")))


@finder_app.command("export-confirmations")
def export_confirmations(file: Path = typer.Argument(..., dir_okay=False,
                                                     help="CSV file to write")) -> None:
    """Write every advisor confirmation (own and imported) to a CSV file."""
    from tradewind.finder.confirmations import export_csv

    with user_errors(), database().connect() as conn:
        text = export_csv(conn)
    file.write_text(text, encoding="utf-8")
    typer.echo(f"{max(0, text.count(chr(10)) - 1)} confirmations written to {file} "
               f"(portal {settings().public_url})")


@hs_app.command("guided")
def guided(query: str = typer.Argument(..., help="Plain words, e.g. \"cotton shirts\""),
           answer: list[str] = typer.Option([], "--answer", "-a",
                                            help="An answer offered earlier, question:option"),
           limit: int = typer.Option(5, "--limit", "-n", min=1, max=50),
           as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Find HS codes, showing the next question when the finder is unsure."""
    from tradewind.finder.guided import guided_products, parse_answers

    def render(data: dict[str, Any]) -> str:
        lines = [f"{i}. {c['code'][:4]}.{c['code'][4:]}  {c['description']}"
                 for i, c in enumerate(data["candidates"], 1)]
        q = data["question"]
        if q:
            lines.append(f"Question: {q['text']}")
            lines += [f"  --answer {o['answer']}   {o['label']}" for o in q["options"]]
        return "\n".join(lines)

    with user_errors():
        found = guided_products(database(), query, parse_answers(answer), limit=limit)
        emit({**found.as_dict(), "candidates": [
            {"code": c.code, "description": c.description, "reason": c.reason,
             "evidence": [e.as_dict() for e in c.evidence]} for c in found.result.candidates]},
            as_json, render)

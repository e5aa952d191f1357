"""``tradewind brief``: the market brief as text, JSON (``--json``) or PDF (``--pdf FILE``)."""

from __future__ import annotations

from pathlib import Path

import typer

from tradewind.brief.compose import Brief
from tradewind.brief.requests import BriefForm
from tradewind.cli.app import app, bench_app, database, emit, user_errors


def _render(brief: Brief) -> str:
    out = []
    if brief.sample:
        out.append("SAMPLE data: generated examples, not real figures.\n")
    p = brief.product
    out.append(f"HS {p.code} — {p.description}"
               + (f" (finder confidence {p.confidence:.0%})" if p.confidence is not None
                  else ""))
    out += ["", *brief.duty.sentences]
    if brief.cost.available:
        out += ["", f"Landed cost ({brief.cost.incoterm} {brief.cost.value}): "
                    f"{brief.cost.total}"]
    if brief.market.score is not None:
        out.append(f"Market-finder score {brief.market.score} "
                   f"(rank {brief.market.rank} of {brief.market.ranked_markets})")
    out += ["", "Next steps:", *(f"  [ ] {s}" for s in brief.next_steps), "", "Sources:"]
    out += [f"  {'SAMPLE ' if s['sample'] else ''}{s['name']} ({s['edition']})"
            for s in brief.sources]
    return "\n".join(out)


@app.command("brief")
def brief(
    product: str = typer.Option(..., help="HS code (090111) or plain words"),
    origin: str = typer.Option(..., help="where the goods are made (ISO3 or name)"),
    destination: str = typer.Option(..., help="where they are sold (ISO3, name or EUN)"),
    on: str = typer.Option("", "--date", help="YYYY-MM-DD (default today)"),
    incoterm: str = typer.Option("", help="Incoterms 2020 rule, e.g. FOB"),
    value: str = typer.Option("", help="shipment value, for the landed cost"),
    currency: str = typer.Option("USD", help="currency of the value"),
    lang: str = typer.Option("en", help="en, fr or es"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    pdf: Path | None = typer.Option(None, "--pdf", help="write the PDF to this file"),
) -> None:
    """One answer to take away: duties, landed cost, requirements, market, help."""
    from tradewind.i18n import current_language

    current_language.set(lang if lang in ("en", "fr", "es") else "en")
    db = database()
    with user_errors(), db.connect() as conn:
        result = BriefForm(product, origin, destination, on, incoterm, value,
                           currency).compose(db, conn)
    if pdf is not None:
        from tradewind.brief.pdf import render_pdf

        pdf.write_bytes(render_pdf(result))
        typer.echo(f"PDF written to {pdf}", err=True)
    emit(result.as_dict() if as_json else result, as_json, _render)


@bench_app.command("brief")
def bench_brief(
    as_json: bool = typer.Option(False, "--json", help="end with one JSON object of figures"),
    database_url: str = typer.Option("", "--database-url",
                                     help="run on this database (default: a temporary SQLite)"),
    queries: int = typer.Option(200, "--queries", help="random briefs per measurement"),
) -> None:
    """Time the composed brief, its PDF and an MCP tool call over HTTP (p50/p95)."""
    import json

    from tradewind.bench.brief import run_benchmark

    with user_errors():
        figures = run_benchmark(database_url or None, queries=queries,
                                report=lambda m: typer.echo(m, err=True))
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            typer.echo(f"{key}: {value}")

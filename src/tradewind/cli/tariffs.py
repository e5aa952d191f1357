"""``tradewind tariff show``, ``cost``, ``agreements between``, ``import fx-ecb|fx-csv``,
``bench tariffs``: parse options, call the library, print (``--json`` for scripts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from tradewind.access import market_access
from tradewind.access.answer import MarketAccessAnswer, economy_label, resolve_economy
from tradewind.access.requests import CostForm, parse_date
from tradewind.agreements.queries import agreements_between
from tradewind.cli.app import app, bench_app, database, emit, import_app, user_errors
from tradewind.costs.calculator import LandedCost
from tradewind.costs.service import landed_cost
from tradewind.fx.importers import FxImportResult, import_ecb_xml, import_fx_csv
from tradewind.settings import Settings

tariff_app = typer.Typer(help="Duties, preferences and taxes for a product and a market.",
                         no_args_is_help=True)
agreements_app = typer.Typer(help="Trade agreements between economies.", no_args_is_help=True)
app.add_typer(tariff_app, name="tariff")
app.add_typer(agreements_app, name="agreements")


def _render_answer(answer: MarketAccessAnswer) -> str:
    out: list[str] = []
    if answer.is_sample:
        out.append("SAMPLE data: generated examples, not real tariffs.\n")
    out.extend(answer.sentences)
    if answer.lines:
        out.append("")
        out.append("Line        Type          Duty (as read)                  As written")
        for line in answer.lines:
            views = ([line.mfn] if line.mfn else []) + line.preferences + line.quotas
            for v in views:
                best = " *best*" if line.best is v else ""
                shown = v.formatted if v.parse_ok else "NOT READ"
                out.append(f"{line.national_code:<11} {v.label[:13]:<13} {shown[:31]:<31} "
                           f"{v.duty_text}{best}")
    if answer.warnings:
        out.append("")
        out.extend(f"! {w}" for w in answer.warnings)
    if answer.requirements:
        out.append("")
        out.extend(f"- {r}" for r in answer.requirements)
    if answer.market_requirements is not None:
        from tradewind.cli.requirements import render_requirements_body

        out.append("")
        out.append(answer.requirements_summary)
        out.extend(render_requirements_body(answer.market_requirements))
    out.append("")
    for p in answer.provenance:
        label = "SAMPLE " if p.is_sample else ""
        out.append(f"Source: {label}{p.name} — {p.source} (edition {p.edition})")
    return "\n".join(out)


@tariff_app.command("show")
def tariff_show(
    hs6: str = typer.Argument(..., help="HS code, 6 digits (0901.11 or 090111)"),
    origin: str = typer.Option(..., "--origin", "-o", help="where the goods are made (ISO3)"),
    destination: str = typer.Option(..., "--destination", "-d", help="where they are sold"),
    on: str = typer.Option("", "--date", help="YYYY-MM-DD (default: today)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """The duty a product faces in a market: MFN, preferences, extra duties, quotas, taxes."""
    with user_errors(), database().connect() as conn:
        answer = market_access(conn, hs6, origin, destination, parse_date(on))
        emit(answer.as_dict() if as_json else answer, as_json,
             None if as_json else _render_answer)


def _render_cost(result: LandedCost) -> str:
    out: list[str] = []
    if result.is_sample:
        out.append("SAMPLE data: generated examples, not real tariffs or rates.\n")
    out.append(f"Landed cost of HS {result.inputs.product} from {result.inputs.origin} in "
               f"{result.inputs.destination} ({result.incoterm.code}, customs value "
               f"{result.valuation_basis}), in {result.currency}, on "
               f"{result.inputs.as_of.isoformat()}")
    out.append("")
    for line in result.lines:
        amount = "unknown" if line.amount is None else f"{line.amount:,.2f}"
        flag = "" if line.in_total or line.kind in ("subtotal", "total") else " (not added)"
        out.append(f"{line.label[:46]:<46} {amount:>14}{flag}")
        if line.formula:
            out.append(f"    = {line.formula}")
        if line.note:
            out.append(f"    note: {line.note}")
    for c in result.conversions:
        out.append(f"FX: 1 {c.from_currency} = {c.rate:.6f} {c.to_currency} "
                   f"(rate of {c.rate_date.isoformat() if c.rate_date else '?'}"
                   f"{', SAMPLE' if c.is_sample else ''})")
    if result.warnings:
        out.append("")
        out.extend(f"! {w}" for w in result.warnings)
    if result.notes:
        out.extend(f"- {n}" for n in result.notes)
    return "\n".join(out)


@app.command("cost")
def cost(
    product: str = typer.Option(..., "--product", "-p", help="HS code, 6 digits"),
    origin: str = typer.Option(..., "--origin", "-o"),
    destination: str = typer.Option(..., "--destination", "-d"),
    incoterm: str = typer.Option("FOB", "--incoterm", help="one of the eleven Incoterms 2020"),
    value: str = typer.Option(..., "--value", help="goods value in --currency"),
    currency: str = typer.Option("USD", "--currency"),
    freight: str = typer.Option("", "--freight"),
    insurance: str = typer.Option("", "--insurance", help="empty: estimated (0.5% of 110%)"),
    export_costs: str = typer.Option("", "--export-costs", help="EXW: clearance and loading"),
    quantity: str = typer.Option("", "--quantity"),
    unit: str = typer.Option("", "--unit", help="kg, t, l, pcs, doz, pair, m2…"),
    other: list[str] = typer.Option([], "--other", help="other charge as LABEL=AMOUNT"),
    result_currency: str = typer.Option("", "--in", help="result currency (default: the "
                                                          "destination's)"),
    line: str = typer.Option("", "--line", help="national tariff line (default: the first)"),
    no_preference: bool = typer.Option(False, "--no-preference", help="use MFN only"),
    on: str = typer.Option("", "--date", help="YYYY-MM-DD (default: today)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Landed cost, line by line with formulas."""
    labels, amounts = [], []
    for item in other:
        label, sep, amount = item.rpartition("=")
        labels.append(label if sep else "Other charge")
        amounts.append(amount)
    form = CostForm(product=product, origin=origin, destination=destination, incoterm=incoterm,
                    value=value, currency=currency, freight=freight, insurance=insurance,
                    export_costs=export_costs, quantity=quantity, unit=unit,
                    result_currency=result_currency, date=on, other_label=tuple(labels),
                    other_amount=tuple(amounts), preference=not no_preference)
    with user_errors(), database().connect() as conn:
        result, answer = landed_cost(conn, form.inputs(Settings.load().insurance_rate_percent),
                                     national_code=line or None)
        if as_json:
            body: dict[str, Any] = result.as_dict()
            body["provenance"] = [p.as_dict() for p in answer.provenance]
            emit(body, True)
        else:
            emit(result, False, _render_cost)


@agreements_app.command("between")
def between(
    a: str = typer.Argument(..., help="economy A (ISO3, name or group such as EUN)"),
    b: str = typer.Argument(..., help="economy B"),
    on: str = typer.Option("", "--date", help="YYYY-MM-DD (default: today)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Which agreements link A and B on a date (directly or through a group such as the EU)."""
    with user_errors(), database().connect() as conn:
        day = parse_date(on)
        code_a, code_b = resolve_economy(conn, a), resolve_economy(conn, b)
        links = agreements_between(conn, code_a, code_b, day)
        data = {"a": code_a, "b": code_b, "as_of": day.isoformat(), "agreements": [
            {"id": link.agreement.id, "name": link.agreement.name, "type": link.agreement.type,
             "entry_into_force": link.agreement.entry_into_force.isoformat()
             if link.agreement.entry_into_force else None,
             "party_a": link.party_a, "party_b": link.party_b,
             "sample": link.agreement.source == "sample"} for link in links]}

        def render(d: dict[str, Any]) -> str:
            head = (f"Agreements linking {economy_label(code_a)} and {economy_label(code_b)} on "
                    f"{d['as_of']}:")
            if not d["agreements"]:
                return head + "\n  none recorded"
            return head + "\n" + "\n".join(
                f"  [{x['id']}] {x['name']} ({x['type']}, in force "
                f"{x['entry_into_force'] or '?'}; as {x['party_a']} / {x['party_b']})"
                for x in d["agreements"])

        emit(data, as_json, render)


def _fx_report(result: FxImportResult) -> str:
    return (f"Imported {result.rows} rates for {result.currencies} currencies, "
            f"{result.first_date.isoformat()} to {result.last_date.isoformat()} "
            f"(dataset {result.dataset_id}).")


@import_app.command("fx-ecb")
def import_fx_ecb(path: Path = typer.Argument(..., help="eurofxref-daily.xml or -hist.xml"),
                  as_json: bool = typer.Option(False, "--json")) -> None:
    """Import ECB euro reference rates (atomic: a bad file changes nothing)."""
    with user_errors():
        result = import_ecb_xml(database(), path)
    emit(result.__dict__, as_json, lambda _d: _fx_report(result))


@import_app.command("fx-csv")
def import_fx_csv_cmd(path: Path = typer.Argument(..., help="CSV: date,currency,rate_per_usd "
                                                            "(or rate_per_eur, or "
                                                            "date,base,currency,rate)"),
                      source: str = typer.Option("", "--source", help="where the rates come from"),
                      licence: str = typer.Option("", "--licence"),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """Import exchange rates from a plain CSV (atomic)."""
    with user_errors():
        result = import_fx_csv(database(), path, source=source, licence=licence)
    emit(result.__dict__, as_json, lambda _d: _fx_report(result))


@bench_app.command("tariffs")
def bench_tariffs(
    as_json: bool = typer.Option(False, "--json", help="end with one JSON object of figures"),
    database_url: str = typer.Option("", "--database-url",
                                     help="run on this database (default: a temporary SQLite)"),
    queries: int = typer.Option(500, "--queries", help="random queries per measurement"),
    shared_data: Path = typer.Option(Path("../shared/data"), "--shared-data",
                                     help="folder holding us-tariff/"),
) -> None:
    """Import the US schedule + five synthetic 10 000-line schedules, then time the
    market-access answer and the landed cost (p50/p95)."""
    from tradewind.bench.tariffs import run_benchmark

    with user_errors():
        figures = run_benchmark(database_url or None, shared_data=shared_data, queries=queries,
                                report=lambda m: typer.echo(m, err=as_json))
    if as_json:
        typer.echo(json.dumps(figures))
    else:
        for key, value in figures.items():
            typer.echo(f"{key}: {value}")

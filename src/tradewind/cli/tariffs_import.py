"""``tradewind import us-tariff|wits|uk-tariff|tariff-csv|taxes-csv|desta|wto-rta`` and
``tradewind fetch uk-tariff``: parse arguments, call the importers, print what happened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tradewind.cli.app import app, database, emit, import_app, user_errors

fetch_app = typer.Typer(help="Download public data files explicitly (never done at run time).",
                        no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn(
        "{task.completed}/{task.total}"), TimeElapsedColumn(), transient=True)


@import_app.command("us-tariff")
def import_us_tariff_cmd(
    folder: Path = typer.Argument(..., help="Folder with products_raw.csv, chapter99_raw.csv "
                                  "and s301_product_lists.csv"),
    valid_from: str = typer.Option("", help="Date the schedule applies from (YYYY-MM-DD)"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Import the US tariff schedule (HTS general rates, Chapter 99, section 301 lists)."""
    from datetime import date

    from tradewind.ingest.us_tariff import import_us_tariff

    with user_errors(), _progress() as bar:
        tasks: dict[str, Any] = {}

        def step(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        start = date.fromisoformat(valid_from) if valid_from else None
        result = import_us_tariff(database(), folder, valid_from=start, progress=step)
    data = {"dataset_id": result.dataset_id, "lines": result.lines,
            "mfn_rates": result.mfn_rates, "rates_parsed": result.rates_parsed,
            "rates_without_text": result.rates_missing,
            "parse_rate": round(result.parse_rate, 4),
            "additional_duties": result.additional_duties,
            "additional_duty_products": result.additional_products,
            "seconds": round(result.seconds, 2), "unparsed": result.unparsed}
    emit(data, as_json, lambda d: (
        f"Imported {d['lines']} US tariff lines, {d['additional_duties']} Chapter 99 headings "
        f"({d['additional_duty_products']} product links) in {d['seconds']} s.\n"
        f"Duty text understood for {d['parse_rate']:.1%} of the lines that have one; "
        f"{d['rates_without_text']} lines have no rate in the files (shown as missing).\n"
        + (f"Kept verbatim (not understood): {len(d['unparsed'])} distinct texts."
           if d["unparsed"] else "")))


@import_app.command("wits")
def import_wits_cmd(
    file: Path = typer.Argument(..., help="WITS/TRAINS tariff export (.csv)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import a WITS/TRAINS tariff export (HS 6-digit MFN and preferential averages)."""
    from tradewind.ingest.wits_trains import import_wits

    with user_errors(), _progress() as bar:
        task = bar.add_task("importing", total=1)
        result = import_wits(database(), file)
        bar.update(task, completed=1)
    data = result.__dict__
    emit(data, as_json, lambda d: (
        f"Imported {d['schedules']} schedule(s): {d['lines']} lines, {d['rates']} rates. "
        f"Skipped {d['skipped_ahs_bnd']} AHS/BND rows and {d['skipped_empty']} empty averages."))


@import_app.command("uk-tariff")
def import_uk_tariff_cmd(
    paths: list[Path] = typer.Argument(..., help="Saved commodity JSON files or folders"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import UK Trade Tariff API commodity responses saved by ``tradewind fetch uk-tariff``."""
    from tradewind.ingest.uk_tariff import import_uk_tariff

    with user_errors(), _progress() as bar:
        task = bar.add_task("importing", total=1)
        result = import_uk_tariff(database(), paths)
        bar.update(task, completed=1)
    data = {"dataset_id": result.dataset_id, "commodities": result.commodities,
            "rates": result.rates, "taxes": result.taxes, "skipped": dict(result.skipped)}
    emit(data, as_json, lambda d: (
        f"Imported {d['commodities']} UK commodities: {d['rates']} rates, {d['taxes']} taxes."
        + ("\nSkipped measures: " + ", ".join(f"{k} ×{v}" for k, v in d["skipped"].items())
           if d["skipped"] else "")))


@import_app.command("tariff-csv")
def import_tariff_csv_cmd(
    file: Path = typer.Argument(..., help="Schedule in the Tradewind template "
                                "(docs/tariff-template.md)"),
    currency: str = typer.Option("USD", help="Currency of specific duties (ISO 4217)"),
    source: str = typer.Option("", help="Who publishes this schedule"),
    licence: str = typer.Option("", help="Licence of the data"),
    edition: str = typer.Option("", help="Edition or version label"),
    valuation_basis: str = typer.Option("", help="CIF or FOB (default: documented list)"),
    taxes: Path | None = typer.Option(None, help="Taxes file in the taxes template"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import a schedule (and optionally taxes) filled in the Tradewind CSV template."""
    from tradewind.ingest.tariff_csv import import_tariff_csv, import_taxes_csv

    with user_errors(), _progress() as bar:
        task = bar.add_task("importing", total=2 if taxes else 1)
        result = import_tariff_csv(database(), file, currency=currency.upper(), source=source,
                                   licence=licence, edition=edition,
                                   valuation_basis=valuation_basis.upper() or None)
        bar.update(task, advance=1)
        tax_result = import_taxes_csv(database(), taxes, currency=currency.upper(),
                                      source=source, licence=licence) if taxes else None
        bar.update(task, advance=1)
    data: dict[str, Any] = {"dataset_id": result.dataset_id, "schedules": result.schedules,
                            "lines": result.lines, "rates": result.rates,
                            "unparsed": [{"line": ln, "duty": t} for ln, t in result.unparsed]}
    if tax_result:
        data["taxes"] = tax_result.taxes
    emit(data, as_json, lambda d: (
        f"Imported {d['schedules']} schedule(s): {d['lines']} lines, {d['rates']} rates"
        + (f", {d['taxes']} taxes" if "taxes" in d else "") + "."
        + "".join(f"\n  line {u['line']}: duty text kept verbatim, not understood: "
                  f"{u['duty']!r}" for u in d["unparsed"])))


@import_app.command("taxes-csv")
def import_taxes_csv_cmd(
    file: Path = typer.Argument(..., help="Taxes in the Tradewind taxes template"),
    currency: str = typer.Option("USD", help="Currency of specific excise rates"),
    source: str = typer.Option(""), licence: str = typer.Option(""),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import VAT/GST, excise and other internal taxes (Tradewind taxes template)."""
    from tradewind.ingest.tariff_csv import import_taxes_csv

    with user_errors():
        result = import_taxes_csv(database(), file, currency=currency.upper(), source=source,
                                  licence=licence)
    emit({"dataset_id": result.dataset_id, "taxes": result.taxes,
          "unparsed": [{"line": ln, "rate": t} for ln, t in result.unparsed]}, as_json,
         lambda d: f"Imported {d['taxes']} taxes.")


@import_app.command("desta")
def import_desta_cmd(
    file: Path = typer.Argument(..., help="desta_list_of_treaties_*.csv"),
    dyads: Path | None = typer.Option(None, help="The matching dyads file, cross-checked"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import trade agreements from the DESTA list (members as M49 codes)."""
    from tradewind.ingest.desta import import_desta

    with user_errors(), _progress() as bar:
        task = bar.add_task("agreements", total=1)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_desta(database(), file, dyads, progress=step)
    emit(result.__dict__, as_json, lambda d: (
        f"Imported {d['agreements']} agreements with {d['parties']} party records "
        f"({d['accessions']} accessions, {d['withdrawals']} withdrawals); "
        f"skipped {d['skipped']} negotiation/consolidated rows"
        + (f"; {d['dyads_checked']} dyads checked." if d["dyads_checked"] else ".")))


@import_app.command("wto-rta")
def import_wto_rta_cmd(
    file: Path = typer.Argument(..., help="WTO RTA-IS export (AllRTAs .xlsx or .csv)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import regional trade agreements from the WTO RTA database export."""
    from tradewind.ingest.wto_rta import import_wto_rta

    with user_errors():
        result = import_wto_rta(database(), file)
    emit(result.__dict__, as_json, lambda d: (
        f"Imported {d['agreements']} agreements with {d['parties']} party records."))


@fetch_app.command("uk-tariff")
def fetch_uk_tariff_cmd(
    commodities: list[str] = typer.Argument(..., help="10-digit UK commodity codes"),
    out: Path = typer.Option(Path("var/uk-tariff"), help="Folder to save the responses in"),
    base_url: str = typer.Option("https://www.trade-tariff.service.gov.uk/api/v2",
                                 help="API base URL"),
) -> None:
    """Download UK Trade Tariff commodity responses (then: tradewind import uk-tariff FOLDER)."""
    from tradewind.fetch.uk_tariff import fetch_commodity

    with user_errors(), typer.progressbar(commodities, label="Fetching") as items:
        saved = [fetch_commodity(code, out, base_url=base_url) for code in items]
    for path in saved:
        typer.echo(f"saved {path}")


@import_app.command("origin-rules")
def import_origin_rules_cmd(
    file: Path = typer.Argument(..., help="CSV: agreement, general_rule, cumulation, "
                                "proof_of_origin, legal_text_url, notes"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import rules-of-origin notes per agreement."""
    from tradewind.agreements.rules_csv import import_origin_rules

    with user_errors():
        result = import_origin_rules(database(), file)
    emit(result.__dict__, as_json,
         lambda d: f"Imported rules-of-origin notes for {d['agreements']} agreements.")


@import_app.command("product-rules")
def import_product_rules_cmd(
    file: Path = typer.Argument(..., help="CSV: agreement, hs_code, rule_text"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import product-specific rules of origin."""
    from tradewind.agreements.rules_csv import import_product_rules

    with user_errors():
        result = import_product_rules(database(), file)
    emit(result.__dict__, as_json, lambda d: (
        f"Imported {d['rules']} product-specific rules for {d['agreements']} agreements."))

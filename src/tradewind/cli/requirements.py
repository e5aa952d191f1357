"""``tradewind requirements show`` and ``tradewind import requirements-csv``."""

from __future__ import annotations

from pathlib import Path

import typer

from tradewind.cli.app import app, bench_app, database, emit, import_app, user_errors
from tradewind.requirements.queries import Requirements, lookup

requirements_app = typer.Typer(help="Non-tariff requirements (certificates, labels, tests).",
                               no_args_is_help=True)
app.add_typer(requirements_app, name="requirements")


def _render(result: Requirements) -> str:
    out: list[str] = []
    if result.sample:
        out.append("SAMPLE data: generated examples, not real requirements.\n")
    where = f"HS {result.product} in {result.destination}"
    if result.origin:
        where += f" from {result.origin}"
    out.append(f"Requirements for {where} on {result.as_of.isoformat()}")
    if result.status == "no_data":
        out.append("No requirements have been imported for this market yet "
                   "(this does not mean there are none).")
    elif result.status == "none_found":
        out.append("No requirement found for this product in the measures imported for "
                   "this market.")
    out.extend(render_requirements_body(result))
    if result.provenance:
        out.append("")
    for p in result.provenance:
        label = "SAMPLE " if p.is_sample else ""
        out.append(f"Source: {label}{p.name} — {p.source} (edition {p.edition})")
    return "\n".join(out)


def render_requirements_body(result: Requirements) -> list[str]:
    """Measures by chapter, procedure steps, checklist and notifications (also used by
    ``tradewind tariff show``)."""
    out: list[str] = []
    for chapter in result.chapters:
        out.append("")
        out.append(f"{chapter.chapter}. {chapter.name} — {chapter.plain}")
        for m in chapter.measures:
            out.append(f"  [{m.mast_code}] {m.title} ({m.economy})")
            if m.documents:
                out.append(f"      documents: {'; '.join(m.documents)}")
            if m.agency:
                out.append(f"      agency: {m.agency}")
    procedure = result.procedure
    if procedure is not None and procedure.steps:
        out.append("")
        out.append(f"Import procedure ({procedure.economy}"
                   f"{', SAMPLE' if procedure.sample else ''}):")
        for step in procedure.steps:
            extra = "; ".join(x for x in (step.agency, step.typical_time, step.fee) if x)
            out.append(f"  {step.position}. {step.title}" + (f" ({extra})" if extra else ""))
    if result.checklist:
        out.append("")
        out.append("Documents checklist:")
        for doc in result.checklist:
            line = f"  [ ] {doc.name}"
            if doc.issued_by:
                line += f" — issued by {doc.issued_by}"
            out.append(line)
            for proof in doc.origin_proofs:
                out.append(f"      to claim {proof.agreement}: {proof.proof_of_origin}")
            if doc.required_by:
                out.append("      required by: " + "; ".join(t for _i, _c, t in doc.required_by))
    if result.notifications:
        out.append("")
        out.append("WTO notifications on this product in the last 12 months:")
        for n in result.notifications:
            flag = f" OPEN for comments, {n.days_left} days left" if n.comment_open else ""
            out.append(f"  {n.notification.symbol} {n.notification.title}{flag}")
    if result.origin_check_url:
        out.append("")
        out.append(f"Origin check: {result.origin_check_url}")
    return out


@requirements_app.command("show")
def requirements_show(
    product: str = typer.Argument(..., help="HS code, 2 to 10 digits (0901.11 or 090111)"),
    destination: str = typer.Option(..., "--destination", "-d", help="where it is sold"),
    origin: str = typer.Option("", "--origin", "-o", help="where it is made (optional)"),
    on: str = typer.Option("", "--date", help="YYYY-MM-DD (default: today)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """The measures a product must meet in a market, grouped by MAST chapter."""
    with user_errors(), database().connect() as conn:
        result = lookup(conn, product, destination, origin or None, on or None)
        emit(result.as_dict() if as_json else result, as_json, None if as_json else _render)


@import_app.command("requirements-csv")
def import_requirements_cmd(
    file: Path = typer.Argument(..., help="CSV in the Tradewind requirements template"),
    source: str = typer.Option("", help="Publisher of the measures"),
    licence: str = typer.Option("", help="Licence of the data"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import non-tariff measures filled in the Tradewind requirements template."""
    from tradewind.ingest.requirements_csv import import_requirements_csv

    with user_errors():
        result = import_requirements_csv(database(), file, source=source, licence=licence)
    data = {"dataset_id": result.dataset_id, "measures": result.measures,
            "economies": result.economies}
    emit(data, as_json, lambda d: f"Imported {d['measures']} measures for "
         f"{', '.join(d['economies'])} (dataset {d['dataset_id']}).")


@import_app.command("ntm")
def import_ntm_cmd(
    file: Path = typer.Argument(..., help="TRAINS NTM export (.csv, comma, semicolon or tab)"),
    edition: str = typer.Option("", help="Edition label (default: the data years)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import UNCTAD TRAINS non-tariff measures (older HS editions mapped to HS 2022)."""
    from tradewind.ingest.trains_ntm import import_trains_ntm

    with user_errors():
        result = import_trains_ntm(database(), file, edition=edition)
    data = {"dataset_id": result.dataset_id, "rows": result.rows, "measures": result.measures,
            "reporters": result.reporters, "hs_editions": result.editions,
            "mapped_codes": result.mapped_codes}
    emit(data, as_json, lambda d: f"Imported {d['measures']} measures from {d['rows']} rows for "
         f"{', '.join(d['reporters'])} (HS {', '.join(d['hs_editions'])}; "
         f"{d['mapped_codes']} codes mapped to HS 2022; dataset {d['dataset_id']}).")


@import_app.command("procedures-csv")
def import_procedures_cmd(
    file: Path = typer.Argument(..., help="CSV in the Tradewind procedures template"),
    source: str = typer.Option("", help="Who compiled the procedures"),
    licence: str = typer.Option("", help="Licence of the data"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Import import-procedure steps and shipment documents (advisor template; atomic)."""
    from tradewind.ingest.procedures_csv import import_procedures_csv

    with user_errors():
        result = import_procedures_csv(database(), file, source=source, licence=licence)
    data = {"dataset_id": result.dataset_id, "steps": result.steps,
            "documents": result.documents, "economies": result.economies}
    emit(data, as_json, lambda d: f"Imported {d['steps']} steps and {d['documents']} documents "
         f"for {', '.join(d['economies'])} (dataset {d['dataset_id']}).")


@bench_app.command("requirements")
def bench_requirements_cmd(
    as_json: bool = typer.Option(False, "--json", help="print one JSON object of figures"),
    database_url: str = typer.Option("", "--database-url",
                                     help="PostgreSQL URL (a schema of its own is used and "
                                          "dropped); default: a temporary SQLite"),
    measures: int = typer.Option(100_000, help="generated measures"),
    notifications: int = typer.Option(50_000, help="generated notifications to import"),
    samples: int = typer.Option(300, help="answers timed"),
    seed: int = typer.Option(1, help="random seed"),
) -> None:
    """Time the full requirements answer (p95) and a 50,000-notification import."""
    from tradewind.bench.requirements import render, run_bench

    with user_errors():
        figures = run_bench(database_url=database_url or None, measures=measures,
                            notifications=notifications, samples=samples, seed=seed,
                            report=lambda m: typer.echo(m, err=True))
    emit(figures, as_json, render)

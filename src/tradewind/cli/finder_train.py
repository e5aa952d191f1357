"""``tradewind finder train`` and ``tradewind finder model``: the learned reranker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import database, emit, user_errors
from tradewind.cli.finder_evidence import finder_app


def _report_text(r: dict[str, Any]) -> str:
    lines = [f"reranker {r['model_id']} trained on {r['used']} of {r['queries']} queries, "
             f"{r['trees']} trees, in {r['seconds']} s"]
    for src in r["sources"]:
        detail = ", ".join(f"{k} {v}" for k, v in src.items() if k != "source")
        lines.append(f"  source {src['source']}: {detail}")
    held = r["heldout"]
    if held:
        lines.append(f"  held-out queries: {int(held.get('heldout_queries', 0))}; HS6 first: "
                     f"reranked {held.get('heldout_hs6_top1_reranked')}%, lexical "
                     f"{held.get('heldout_hs6_top1_lexical')}%")
    return "\n".join(lines)


@finder_app.command("train")
def train_cmd(
    nomenclature: int = typer.Option(2500, "--nomenclature", min=0,
                                     help="Queries made from subheading texts (sampled)"),
    lines: int = typer.Option(5000, "--lines", min=0,
                              help="Queries made from imported national tariff lines (sampled)"),
    queries: Path | None = typer.Option(None, "--queries", exists=True, dir_okay=False,
                                        help="The portal's own labelled CSV "
                                             "(description,hs_code); evaluation files are "
                                             "refused"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Train the finder's reranker on the nomenclature, imported tariff lines, rulings and
    confirmations (never on an evaluation file), and store it in the database."""
    from tradewind.finder.training import train

    with user_errors():
        report = train(database(), nomenclature=nomenclature, lines=lines,
                       queries_file=queries)
        emit(report.as_dict(), as_json, _report_text)


@finder_app.command("model")
def model_cmd(as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Show the reranker in use: when and on what it was trained (or that there is none)."""
    from tradewind.finder.rerank import latest_model_row
    from tradewind.nomenclature.models import DEFAULT_EDITION

    with user_errors(), database().connect() as conn:
        row = latest_model_row(conn, DEFAULT_EDITION)
    if row is None:
        emit({"model": None}, as_json,
             lambda _r: "No reranker trained: the finder uses its lexical ranking.")
        return
    data = {"model_id": row.id, "trained_at": row.trained_at.isoformat(),
            "data_signature": row.data_signature, **json.loads(row.provenance)}
    emit(data, as_json, lambda r: f"reranker {r['model_id']} trained {r['trained_at']}\n"
         + json.dumps({k: r[k] for k in ("sources", "used", "heldout", "trees")}, indent=2))

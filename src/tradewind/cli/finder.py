"""``tradewind hs search``, ``tradewind import search-references``, ``tradewind bench hs``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import bench_app, database, emit, import_app, user_errors
from tradewind.cli.hs import hs_app


def result_as_dict(result: Any) -> dict[str, Any]:
    """A FinderResult as plain JSON-ready data (shared by the CLI and tests)."""
    from dataclasses import asdict

    return asdict(result)  # type: ignore[no-any-return]


def _render(data: dict[str, Any]) -> str:
    lines = []
    for note in data["notes"]:
        lines.append(f"Note: {note}")
    if not data["candidates"]:
        lines.append("No matching HS 2022 subheading.")
    for i, cand in enumerate(data["candidates"], 1):
        code = cand["code"]
        lines.append(f"{i:>2}. {code[:4]}.{code[4:]}  {cand['description']}")
        path = " › ".join(f"{s['code']}" for s in cand["path"][:-1])
        lines.append(f"     {path}  —  {cand['reason']}")
    if data["headings"]:
        lines.append("Headings: " + ", ".join(
            f"{h['code']} ({h['confidence']:.0%})" for h in data["headings"][:5]))
    if data["chapters"]:
        lines.append("Chapters: " + ", ".join(
            f"{c['code']} ({c['confidence']:.0%})" for c in data["chapters"][:3]))
    if data["ignored"]:
        lines.append("Ignored words: " + ", ".join(data["ignored"]))
    return "\n".join(lines)


@hs_app.command("search")
def search(query: str = typer.Argument(..., help="Plain words, e.g. \"roasted coffee beans\", "
                                                   "or a code"),
           limit: int = typer.Option(10, "--limit", "-n", min=1, max=50,
                                     help="How many subheadings to show"),
           as_json: bool = typer.Option(False, "--json", help="Print JSON")) -> None:
    """Find HS 2022 subheadings for a product description."""
    from tradewind.finder import search_products

    with user_errors():
        result = search_products(database(), query, limit=limit)
        emit(result_as_dict(result), as_json, _render)


@import_app.command("search-references")
def import_search_references(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="JSON object of \"term\": \"commodity code\""),
    name: str | None = typer.Option(None, help="Dataset name shown as provenance"),
    source: str | None = typer.Option(None, help="Where the file came from"),
    licence: str = typer.Option("as published", help="Licence of the file"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Import tariff search references (term → code) as extra finder synonyms."""
    from dataclasses import asdict

    from tradewind.ingest.search_references import import_search_references as run

    with user_errors():
        with typer.progressbar(length=100, label="Importing references") as bar:
            state = {"done": 0}

            def progress(done: int, total: int) -> None:
                pct = int(100 * done / max(total, 1))
                bar.update(pct - state["done"])
                state["done"] = pct

            result = run(database(), file, name=name, source=source, licence=licence,
                         progress=progress)
        emit(asdict(result), as_json, lambda r: (
            f"{r['stored']} of {r['terms']} search references imported "
            f"({r['not_in_hs2022']} codes not in HS 2022 skipped)"
            + (" — replaced the earlier import" if r["replaced"] else "")
            + "".join(f"\n  not in HS 2022: {x}" for x in r["unknown_examples"][:5])))


@bench_app.command("hs")
def bench_hs(
    labels: Path = typer.Option(..., "--labels", exists=True, dir_okay=False,
                                help="CSV with description,hs_code columns (or Goods "
                                     "Description,Commodity Code)"),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N rows"),
    description_column: str | None = typer.Option(None, help="Name of the description column"),
    code_column: str | None = typer.Option(None, help="Name of the code column"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
    guided: bool = typer.Option(False, "--guided", help="Simulate a user answering the guided "
                                "questions truthfully from each row's code"),
    ablation: bool = typer.Option(False, "--ablation",
                                  help="Also score dense-only and fused rankings (issue 15)"),
) -> None:
    """Accuracy (HS2/HS4/HS6 top-1 and top-5) and latency of the finder on labelled rows."""
    from tradewind.finder.benchmark import bench_ablation, bench_file, translation_ms_per_query

    if guided:
        from tradewind.finder.guided_benchmark import bench_guided_file

        with user_errors():
            emit(bench_guided_file(database(), labels, limit=limit,
                                   description_column=description_column,
                                   code_column=code_column).as_dict(), as_json)
        return
    with user_errors():
        if ablation:
            emit(bench_ablation(database(), labels, limit=limit), True, str)
            return
        result = bench_file(database(), labels, limit=limit,
                            description_column=description_column, code_column=code_column)
        figures = {**result.as_dict(), "translation_ms_per_query": translation_ms_per_query()}
        emit(figures, as_json, lambda r: "\n".join([
            f"rows scored: {r['n']} (skipped, code not in HS 2022: {r['skipped']})",
            f"HS2  top-1 {r['hs2_top1']:5.1f}%   top-5 {r['hs2_top5']:5.1f}%",
            f"HS4  top-1 {r['hs4_top1']:5.1f}%   top-5 {r['hs4_top5']:5.1f}%",
            f"HS6  top-1 {r['hs6_top1']:5.1f}%   top-5 {r['hs6_top5']:5.1f}%  "
            f"(on {r['n_hs6']} rows with 6+ digits)",
            f"latency p50 {r['p50_ms']:.1f} ms   p95 {r['p95_ms']:.1f} ms",
            f"FR/ES → EN query translation: {r['translation_ms_per_query']:.3f} ms per query "
            "(target < 1 ms)",
        ]))

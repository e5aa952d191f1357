"""``tradewind hs show|browse|convert`` and ``tradewind import nomenclature|concordance``.

Parses input, calls :mod:`tradewind.nomenclature` and the importers, prints.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import bench_app, database, emit, import_app, user_errors
from tradewind.cli.hs import hs_app
from tradewind.nomenclature import concordance, queries, report
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.models import DEFAULT_EDITION

EDITION_HELP = "HS edition (HS2022, HS2017, …)."
SHOWN_TARGETS = 12


def code_report(code: str, edition: str) -> dict[str, Any]:
    """Everything the code page shows, as plain data (also the ``--json`` output)."""
    with database().connect() as conn:
        return report.code_report(conn, code, edition).as_dict()


def _render_code(data: dict[str, Any]) -> str:
    code = data["code"]
    lines = [f"{code['display']} ({code['edition']} {code['kind']}): {code['description']}", ""]
    for depth, step in enumerate(data["path"]):
        lines.append("  " * depth + f"{step['display']}  {step['description']}")
    if data["children"]:
        lines += ["", "Codes under it:"]
        lines += [f"  {c['display']}  {c['description']}" for c in data["children"]]
    if data["notes"]:
        lines += ["", "Notes:"]
        lines += [f"  {n['title']}: {n['text']}" for n in data["notes"]]
    for conv in data["conversions"]:
        via = " (via " + " → ".join(conv["path"][1:-1]) + ")" if conv["composed"] else ""
        lines += ["", f"In {conv['to_edition']}{via}: {conv['relation']}"]
        for t in conv["targets"][:SHOWN_TARGETS]:
            desc = f"  {t['description']}" if t["description"] else ""
            lines.append(f"  {t['display']} [{t['relation']}]{desc}")
        if len(conv["targets"]) > SHOWN_TARGETS:
            lines.append(f"  … and {len(conv['targets']) - SHOWN_TARGETS} more "
                         "(`tradewind hs convert` lists them all)")
        if not conv["targets"]:
            lines.append("  no corresponding code in the loaded tables")
    if data["sources"]:
        lines += ["", "Source: " + "; ".join(f"{s['name']} — {s['source']}"
                                             for s in data["sources"])]
    return "\n".join(lines)


@hs_app.command("show")
def show(code: str = typer.Argument(..., help="HS code, e.g. 0901.21 or 090121."),
         edition: str = typer.Option(DEFAULT_EDITION, "--edition", "-e", help=EDITION_HELP),
         as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show a chapter, heading or subheading: path, codes under it, notes, conversions."""
    with user_errors():
        emit(code_report(code, edition), as_json, _render_code)


@hs_app.command("browse")
def browse(code: str = typer.Argument(None, help="A section (roman numeral), chapter or "
                                                 "heading; nothing for all sections."),
           edition: str = typer.Option(DEFAULT_EDITION, "--edition", "-e", help=EDITION_HELP),
           as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Walk the nomenclature: sections → chapters → headings → subheadings."""
    with user_errors(), database().connect() as conn:
        edition = normalize_edition(edition)
        if code is None:
            data: Any = [{"section": s.as_dict(), "chapters": [c.as_dict() for c in chs]}
                         for s, chs in queries.sections_with_chapters(conn, edition)]

            def render(rows: list[dict[str, Any]]) -> str:
                out = []
                for row in rows:
                    s = row["section"]
                    out.append(f"Section {s['code']}: {s['description']}")
                    out += [f"  {c['display']}  {c['description']}" for c in row["chapters"]]
                return "\n".join(out) or f"No {edition} codes loaded."

            emit(data, as_json, render)
            return
        text = code.strip().upper()
        if text.isalpha():
            section = queries.get_section(conn, text, edition)
            if section is None:
                from tradewind.errors import InvalidInput

                raise InvalidInput(f"No section {text!r} in {edition}; sections are I to XXI.")
            parent = section
        else:
            parent = queries.require_code(conn, code, edition)
        kids = queries.children(conn, parent.code, edition)
        data = {"parent": parent.as_dict(), "children": [c.as_dict() for c in kids]}

        def render_children(d: dict[str, Any]) -> str:
            head = f"{d['parent']['display']}  {d['parent']['description']}"
            rows = [f"  {c['display']}  {c['description']}" for c in d["children"]]
            return "\n".join([head, *(rows or ["  (no codes under it)"])])

        emit(data, as_json, render_children)


@hs_app.command("convert")
def convert(code: str = typer.Argument(..., help="6-digit HS code."),
            from_edition: str = typer.Option(DEFAULT_EDITION, "--from", help="Edition of CODE."),
            to_edition: str = typer.Option(..., "--to", help="Edition to convert to."),
            show_all: bool = typer.Option(False, "--all", help="List every target code."),
            as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Convert a code between HS editions (2022 ↔ 2017 ↔ 2012 ↔ 1992), saying how."""
    limit = 10**9 if show_all else 20
    with user_errors(), database().connect() as conn:
        result = concordance.convert(conn, code, from_edition, to_edition)
        data = result.as_dict()

    def render(d: dict[str, Any]) -> str:
        desc = f" — {d['description']}" if d["description"] else ""
        lines = [f"{d['display']} ({d['from_edition']}){desc}",
                 f"→ {d['to_edition']}: {d['relation']}, path {' → '.join(d['path'])}"]
        for t in d["targets"][:limit]:
            mark = " (UNSD conversion pair)" if t["conversion"] else ""
            tdesc = f"  {t['description']}" if t["description"] else ""
            lines.append(f"  {t['display']} [{t['relation']}]{mark}{tdesc}")
        if len(d["targets"]) > limit:
            lines.append(f"  … and {len(d['targets']) - limit} more (--all or --json)")
        if not d["targets"]:
            lines.append("  no corresponding code in the loaded tables")
        return "\n".join(lines)

    emit(data, as_json, render)


class _Bar:
    """A progress bar created on the first report, when the total is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = typer.progressbar(length=max(total, done, 1), label=self.label,
                                         file=sys.stderr)
            self.bar.__enter__()
        step = max(0, min(done, self.bar.length) - self.done)
        self.bar.update(step)
        self.done += step

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    bar = _Bar(label)
    try:
        yield bar
    finally:
        bar.close()


@import_app.command("nomenclature")
def import_nomenclature_cmd(
    file: Path = typer.Argument(..., help="CSV: section,hscode,description,parent,level."),
    edition: str = typer.Option(..., "--edition", "-e", help="Edition in the file (HS2017…)."),
    sections: Path = typer.Option(None, "--sections", help="Optional sections.csv "
                                                           "(section,name)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Load an HS edition side by side with HS 2022 (re-importing replaces it)."""
    from tradewind.ingest.nomenclature_csv import import_nomenclature

    with user_errors(), _progress(f"Reading {file.name}") as progress:
        result = import_nomenclature(database(), file, edition=edition, sections_path=sections,
                                     progress=progress)
    emit(asdict(result), as_json, lambda r: (
        f"{'Replaced' if r['replaced'] else 'Loaded'} {r['edition']}: {r['codes']} codes "
        f"({r['chapters']} chapters, {r['headings']} headings, {r['subheadings']} "
        f"subheadings), {r['sections']} sections ({r['sections_source']}); {r['skipped']} "
        f"rows skipped. Dataset #{r['dataset_id']}."))


@import_app.command("hs-descriptions")
def import_hs_descriptions_cmd(
    file: Path = typer.Argument(..., help="CSV: section,hscode,description,parent,level, "
                                          "in French or Spanish."),
    lang: str = typer.Option(..., "--lang", "-l", help="Language of the descriptions: fr or es."),
    edition: str = typer.Option("HS2022", "--edition", "-e",
                                help="Edition the codes belong to (already loaded)."),
    sections: Path = typer.Option(None, "--sections", help="Optional sections.csv "
                                                           "(section,name) in that language."),
    source: str = typer.Option(None, "--source", help="Where the file comes from (provenance)."),
    licence: str = typer.Option(None, "--licence", help="Its licence or terms of use."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Load French or Spanish HS descriptions (re-importing a language replaces it)."""
    from tradewind.ingest.hs_descriptions_csv import import_descriptions

    with user_errors():
        result = import_descriptions(database(), file, lang=lang, edition=edition,
                                     sections_path=sections, source=source, licence=licence)
    emit(asdict(result), as_json, lambda r: (
        f"{'Replaced' if r['replaced'] else 'Loaded'} {r['lang']} descriptions of "
        f"{r['edition']}: {r['codes']} codes, {r['sections']} section names; "
        f"{r['not_covered']} codes stay in English; {r['skipped']} rows skipped. "
        f"Dataset #{r['dataset_id']}."))


@import_app.command("concordance")
def import_concordance_cmd(
    files: list[Path] = typer.Argument(..., help="UNSD conversion and correlation workbooks "
                                                 "(.xlsx), e.g. HS2022toHS2017….xlsx."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Load UNSD correlation tables between HS editions (each file atomic)."""
    from tradewind.ingest.hs_concordance import import_concordance

    results = []
    with user_errors():
        for file in files:
            with _progress(f"Reading {file.name}") as progress:
                results.append(asdict(import_concordance(database(), file, progress=progress)))

    def render(rows: list[dict[str, Any]]) -> str:
        out = []
        for r in rows:
            rel = ", ".join(f"{k} {v}" for k, v in r["relations"].items())
            out.append(f"{'Replaced' if r['replaced'] else 'Loaded'} {r['from_edition']} ↔ "
                       f"{r['to_edition']}: {r['pairs']} pairs ({rel}); "
                       f"{r['disagreements']} differ from the file's Relationship column; "
                       f"dataset #{r['dataset_id']}.")
        return "\n".join(out)

    emit(results, as_json, render)



@bench_app.command("convert")
def bench_convert(
    as_json: bool = typer.Option(False, "--json", help="print one JSON object of figures"),
    database_url: str = typer.Option("", "--database-url",
                                     help="run on this database (default: a temporary SQLite)"),
    samples: int = typer.Option(300, "--samples", help="random subheadings per edition pair"),
    seed: int = typer.Option(1, "--seed", help="random seed"),
    shared_data: Path = typer.Option(Path("../shared/data"), "--shared-data",
                                     help="folder holding hs-concordance/"),
) -> None:
    """Time HS conversions between editions, direct and composed (p50/p95)."""
    from tradewind.bench.convert import run_benchmark

    with user_errors():
        figures = run_benchmark(database_url or None, shared_data=shared_data, samples=samples,
                                seed=seed, report=lambda m: typer.echo(m, err=True))
    emit(figures, as_json, lambda f: "\n".join(f"{k}: {v}" for k, v in f.items()))

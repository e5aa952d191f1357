"""``tradewind import baci|comtrade|worldbank|geodist``, ``flows generate``, ``bench flows``.

Parses options, shows a progress bar on stderr and prints what the importer reports
(including every code that did not match); the work happens in the library.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from tradewind.cli.app import app, bench_app, database, emit, import_app, user_errors

flows_app = typer.Typer(help="Trade-flow data tools (synthetic BACI files for benchmarks).",
                        no_args_is_help=True)
app.add_typer(flows_app, name="flows")


@contextmanager
def _bytes_progress(path: Path, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar over the bytes of ``path`` (stderr, so --json output stays clean)."""
    total = path.stat().st_size if path.is_file() else 0
    with typer.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        yield bar.update


def _unmatched_lines(items: list[dict[str, Any]], title: str) -> list[str]:
    if not items:
        return []
    lines = [title]
    lines += [f"  {u['code']:>5} {u['name']}: {u['rows']} rows, {u['value_usd']:,} USD"
              for u in items]
    return lines


def _render_flows(data: dict[str, Any]) -> str:
    lines = [f"Imported {data['rows_loaded']:,} flows ({data['rows_read']:,} rows read) for "
             f"{', '.join(map(str, data['years']))} from {data['source_edition']}; total "
             f"{data['value_usd']:,} USD (dataset {data['dataset_id']})."]
    if data.get("split_rows"):
        lines.append(f"{data['split_rows']:,} rows split equally across HS 2022 codes.")
    lines += _unmatched_lines(data.get("reconciled_countries", []),
                              "Country codes missing from the code file, matched as ISO numeric:")
    lines += _unmatched_lines(data.get("unmatched_countries", []),
                              "Country codes NOT matched to ISO 3166 (rows dropped):")
    unmapped = data.get("unmapped_codes", {})
    if unmapped:
        lines.append(f"{len(unmapped)} product codes without an HS 2022 target (rows dropped): "
                     + ", ".join(list(unmapped)[:20]) + ("…" if len(unmapped) > 20 else ""))
    if not data.get("unmatched_countries") and not unmapped:
        lines.append("Every country and product code was matched.")
    return "\n".join(lines)


@import_app.command("baci")
def import_baci_cmd(
    flows_file: Path = typer.Argument(..., help="BACI file, e.g. BACI_HS92_Y2021_V202401.csv"),
    country_codes: Path = typer.Argument(..., help="BACI country-code file of the same release"),
    edition: str = typer.Option("", help="HS edition of the file (default: from its name, "
                                         "e.g. HS92 → HS1992)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Import CEPII BACI flows (mapped to HS 2022; replaces the years it contains)."""
    from tradewind.ingest.baci import import_baci

    with user_errors(), _bytes_progress(flows_file, f"Importing {flows_file.name}") as bar:
        result = import_baci(database(), flows_file, country_codes, edition=edition or None,
                             progress=bar)
    emit(result.as_dict(), as_json, _render_flows)


@import_app.command("comtrade")
def import_comtrade_cmd(
    file: Path = typer.Argument(..., help="UN Comtrade CSV (bulk download or API export)"),
    flow: str = typer.Option("M", help="Which flows to keep: M (imports, as reported by the "
                                       "importer; default) or X (exports)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Import UN Comtrade flows (mapped to HS 2022; replaces the years it contains)."""
    from tradewind.ingest.comtrade import import_comtrade

    with user_errors(), _bytes_progress(file, f"Importing {file.name}") as bar:
        result = import_comtrade(database(), file, flow=flow, progress=bar)
    emit(result.as_dict(), as_json, _render_flows)


@import_app.command("worldbank")
def import_worldbank_cmd(
    file: Path = typer.Argument(..., help="CSV with Country Name,Country Code,Year,Value"),
    indicator: str = typer.Option("", help="Indicator code, e.g. NY.GDP.MKTP.CD or "
                                           "SP.POP.TOTL (default: guessed from the file name)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Import a World Bank indicator (aggregates such as World kept apart)."""
    from tradewind.ingest.worldbank import import_worldbank

    with user_errors(), _bytes_progress(file, f"Importing {file.name}") as bar:
        result = import_worldbank(database(), file, indicator=indicator or None, progress=bar)

    def render(d: dict[str, Any]) -> str:
        text = (f"{d['indicator']}: {d['values']:,} values for {d['economies']} economies and "
                f"{d['aggregates']} aggregates (World, regions, income groups), years "
                f"{d['years']}; {d['blank_values']} blank values skipped.")
        if d["unmatched"]:
            text += "\nCodes NOT matched (dropped): " + ", ".join(
                f"{c} ({n})" for c, n in d["unmatched"].items())
        return text

    emit(result.as_dict(), as_json, render)


@import_app.command("geodist")
def import_geodist_cmd(
    file: Path = typer.Argument(..., help="CEPII GeoDist dist_cepii.csv"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Import CEPII GeoDist distances, contiguity, common language and colonial ties."""
    from tradewind.ingest.geodist import import_geodist

    with user_errors(), _bytes_progress(file, f"Importing {file.name}") as bar:
        result = import_geodist(database(), file, progress=bar)

    def render(d: dict[str, Any]) -> str:
        text = (f"{d['pairs']:,} country pairs of {d['economies']} economies "
                f"({d['distw_missing']} without population-weighted distance use dist).")
        if d["unmatched"]:
            text += "\nCodes NOT matched (dropped): " + ", ".join(
                f"{c} ({n} rows)" for c, n in d["unmatched"].items())
        if d["clashes"]:
            text += f"\n{len(d['clashes'])} pairs given twice after reconciliation (first kept)."
        return text

    emit(result.as_dict(), as_json, render)


@flows_app.command("generate")
def generate_cmd(
    out_dir: Path = typer.Argument(..., help="Directory for the BACI-format files"),
    years: str = typer.Option("2019-2023", help="Years, e.g. 2019-2023 or 2021,2022"),
    scale: float = typer.Option(1.0, help="1.0 ≈ 11 M rows a year; 0.01 for a small file"),
    seed: int = typer.Option(1, help="Random seed (same seed, same files)"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Write synthetic BACI files (gravity-shaped, deterministic) plus the country codes."""
    from tradewind.flows.generator import generate_baci, hs2022_products, parse_years

    with user_errors():
        try:
            year_list = parse_years(years)
        except ValueError as exc:
            from tradewind.errors import InvalidInput

            raise InvalidInput(str(exc)) from exc
        if scale <= 0:
            from tradewind.errors import InvalidInput

            raise InvalidInput("--scale must be positive")
        total = len(hs2022_products())
        with typer.progressbar(length=total, label="Generating", file=sys.stderr) as bar:
            state = {"done": 0}

            def progress(done: int, _total: int) -> None:
                bar.update(done - state["done"])
                state["done"] = done

            files = generate_baci(out_dir, year_list, scale=scale, seed=seed, progress=progress)
    data = {"country_codes": str(files.country_codes),
            "files": {str(y): str(p) for y, p in files.flows.items()},
            "rows": {str(y): n for y, n in files.rows.items()}}
    emit(data, as_json, lambda d: "\n".join(
        [f"{d['files'][y]}: {d['rows'][y]:,} rows" for y in d["files"]]
        + [f"country codes: {d['country_codes']}"]))


@bench_app.command("flows")
def bench_flows_cmd(
    scale: float = typer.Option(1.0, help="Size of the generated files (1.0 ≈ 11 M rows/year)"),
    years: int = typer.Option(5, help="Years loaded before timing the queries"),
    database_url: str = typer.Option("", "--database-url",
                                     help="PostgreSQL URL for the PostgreSQL import timing "
                                          "(default: TRADEWIND_BENCH_POSTGRES_URL, else skipped)"),
    work_dir: Path = typer.Option(Path("var/bench-flows"), help="Where files and databases go"),
    keep: bool = typer.Option(False, help="Keep generated files and databases"),
    postgres_queries: bool = typer.Option(False, help="Also load every year into PostgreSQL "
                                                      "and time the queries there (slow)"),
    runs: int = typer.Option(1, min=1, max=9, help="Repeat the imports (and pandas, DuckDB) "
                                                   "this many times; figures are the median"),
    as_json: bool = typer.Option(False, "--json", help="End with one JSON object of figures."),
) -> None:
    """Import speed and memory (SQLite, PostgreSQL) against pandas and DuckDB, query p95."""
    from tradewind.bench.flows import render, run_bench

    with user_errors():
        figures = run_bench(scale=scale, years=years, postgres_url=database_url or None,
                            work_dir=work_dir, keep=keep, postgres_queries=postgres_queries,
                            runs=runs, log=lambda m: typer.echo(m, err=True))
    emit(figures, as_json, render)

"""``tradewind bench flows``: import speed and memory, against pandas and DuckDB, and query p95.

In one run, on the same generated BACI file (one year, ~11 M rows at ``scale=1.0``):

* Tradewind's BACI import into a fresh SQLite database and (when a URL is given) into a
  fresh PostgreSQL schema — each in a CHILD process that reports its own wall time, CPU
  time and peak RSS (``resource.getrusage``), so the figures are the importer's alone;
* the analyst's way: ``pandas.read_csv`` then ``DataFrame.to_sql`` into SQLite (child too);
* DuckDB's own scan of the file (``SELECT count(*), sum(v) FROM read_csv(...)``), the floor.

Then the remaining years are imported into SQLite (and into PostgreSQL too with
``postgres_queries``) and the market ranking for one
product across all markets and the product-market statistics page are timed (p95 over
repeated calls rotating over ten products), with the market finder's ``rank_markets`` and
``product_market`` when importable, otherwise with equivalent aggregate queries (said so
in the figures).  CPU time is reported beside wall time because these machines are shared.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, text

from tradewind.db import Database, migrate
from tradewind.flows.blocks import flow_rows

TARGETS = {"import_s": 120.0, "peak_rss_mib": 1024.0, "speedup_vs_pandas": 2.0,
           "rank_p95_ms": 100.0, "product_market_p95_ms": 50.0}
FIRST_YEAR = 2019
BENCH_PRODUCTS = ["090111", "090121", "180100", "610910", "420221", "640399", "711319",
                  "330499", "940360", "851830"]
Log = Callable[[str], None]


def _prepare(db: Database) -> None:
    """Schema + countries + HS 2022 (needed to validate product codes); not timed."""
    from tradewind.countries.init import init_countries
    from tradewind.nomenclature.init import init_hs2022
    from tradewind.settings import Settings

    migrate.upgrade(db)
    settings = Settings.load(env={}, database_url=db.url, load_samples=False)
    init_countries(db, settings, lambda _m: None)
    init_hs2022(db, settings, lambda _m: None)


def _child(args: list[str]) -> dict[str, Any]:
    """Run ``python -m tradewind.bench.flows …`` and return the JSON it prints last."""
    done = subprocess.run([sys.executable, "-m", "tradewind.bench.flows", *args],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {args[0]} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _measure(run: Callable[[], Any]) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": round(time.perf_counter() - wall, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def child_import(url: str, flows: str, codes: str) -> dict[str, Any]:
    from tradewind.ingest.baci import import_baci

    db = Database(url)
    out: dict[str, Any] = {}

    def run() -> None:
        result = import_baci(db, Path(flows), Path(codes))
        out["rows"] = result.rows_loaded

    out.update(_measure(run))
    db.dispose()
    return out


def child_pandas(flows: str, sqlite_path: str) -> dict[str, Any]:
    import sqlite3

    import pandas as pd

    out: dict[str, Any] = {}

    def run() -> None:
        frame = pd.read_csv(flows)
        con = sqlite3.connect(sqlite_path)
        frame.to_sql("baci", con, index=False, if_exists="replace")
        con.commit()
        con.close()
        out["rows"] = len(frame)

    out.update(_measure(run))
    return out


def optional_peer_missing(module: str) -> str | None:
    """Why a comparison is skipped (its library is an optional extra), or None if it can run."""
    from importlib.util import find_spec

    if find_spec(module) is None:
        return (f"{module} is not installed: the comparison is skipped "
                "(pip install 'tradewind[bench]' to include it)")
    return None


def duckdb_scan(flows: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    found = con.execute("SELECT count(*), sum(v) FROM read_csv(?)", [str(flows)]).fetchone()
    assert found is not None
    rows, total = found
    seconds = time.perf_counter() - start
    con.close()
    return {"seconds": round(seconds, 2), "rows": int(rows), "sum_v": float(total)}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _pairs(db: Database) -> list[tuple[str, str, str]]:
    """(product, origin, market) to query: each product's top exporter and top importer."""
    from tradewind.flows.economies import economy_iso3

    pairs: list[tuple[str, str, str]] = []
    with db.connect() as conn:
        year = conn.execute(text("SELECT max(year) FROM flow_years")).scalar_one()
        loaded = [f"{c:06d}" for c in conn.execute(text(
            "SELECT hs6 FROM flow_world WHERE year = :y ORDER BY value_usd DESC LIMIT 10"),
            {"y": year}).scalars()]
        wanted = BENCH_PRODUCTS + [p for p in loaded if p not in BENCH_PRODUCTS]
        for product in wanted:
            if len(pairs) == len(BENCH_PRODUCTS):
                break
            code = int(product)
            exporter = conn.execute(text(
                "SELECT exporter FROM flow_exports WHERE hs6 = :k AND year = :y "
                "ORDER BY value_usd DESC LIMIT 1"), {"k": code, "y": year}).scalar()
            importer = conn.execute(text(
                "SELECT importer FROM flow_imports WHERE hs6 = :k AND year = :y "
                "ORDER BY value_usd DESC LIMIT 1"), {"k": code, "y": year}).scalar()
            if exporter is not None and importer is not None:
                pairs.append((product, economy_iso3(exporter), economy_iso3(importer)))
    return pairs


def _fallback_rank(conn: Any, product: str, origin: str) -> list[Any]:
    """Equivalent reads of a ranking: every market's imports over five years, the origin's
    exports there, its world exports and totals (RCA), world totals."""
    from tradewind.flows.economies import economy_id

    code, origin_id = int(product), economy_id(origin)
    years = [r[0] for r in conn.execute(text("SELECT year FROM flow_years ORDER BY year"))]
    ys = ",".join(str(y) for y in years)
    rows = conn.execute(text(
        f"SELECT importer, year, value_usd, quantity FROM flow_imports WHERE hs6 = :k "
        f"AND year IN ({ys})"), {"k": code}).all()
    rows += flow_rows(conn, years=years, hs6=[code], exporter=origin_id)
    rows += conn.execute(text(
        "SELECT exporter, year, value_usd, markets FROM flow_exports WHERE hs6 = :k "
        "AND exporter = :o"), {"k": code, "o": origin_id}).all()
    rows += conn.execute(text("SELECT hs6, year, value_usd, exporters FROM flow_world "
                              "WHERE hs6 = :k"), {"k": code}).all()
    rows += conn.execute(text("SELECT economy, year, exports_usd, imports_usd FROM "
                              "flow_economy_totals WHERE economy = :o"), {"o": origin_id}).all()
    return list(rows)


def _fallback_product_market(conn: Any, product: str, market: str, origin: str) -> list[Any]:
    from tradewind.flows.economies import economy_id

    code, market_id = int(product), economy_id(market)
    years = [r[0] for r in conn.execute(text("SELECT year FROM flow_years ORDER BY year"))]
    rows = conn.execute(text(
        "SELECT year, value_usd, quantity, suppliers FROM flow_imports WHERE hs6 = :k "
        "AND importer = :m"), {"k": code, "m": market_id}).all()
    rows += sorted(flow_rows(conn, years=years, hs6=[code], importer=market_id),
                   key=lambda r: -r.value_usd)[:10]
    rows += conn.execute(text("SELECT year, value_usd FROM flow_world WHERE hs6 = :k"),
                         {"k": code}).all()
    return list(rows)


def time_queries(db: Database, repeats: int = 30) -> dict[str, Any]:
    """p95 (ms) of the market ranking and the product-market page over rotating products."""
    rank: Callable[..., Any]
    page: Callable[..., Any]
    try:
        from tradewind.markets import rank_markets
        from tradewind.stats import product_market

        def rank(conn: Any, product: str, origin: str) -> Any:
            return rank_markets(conn, product, origin)

        def page(conn: Any, product: str, market: str, origin: str) -> Any:
            return product_market(conn, product, market, origin=origin)

        functions = "tradewind.markets.rank_markets, tradewind.stats.product_market"
    except ImportError:
        rank, page = _fallback_rank, _fallback_product_market
        functions = "fallback aggregate queries (market-finder functions not importable)"
    pairs = _pairs(db)
    if not pairs:
        return {"functions": functions, "rank_p95_ms": None, "product_market_p95_ms": None}
    rank_ms: list[float] = []
    page_ms: list[float] = []
    with db.connect() as conn:
        for product, origin, market in pairs:  # warm-up
            rank(conn, product, origin)
            page(conn, product, market, origin)
        for index in range(repeats):
            product, origin, market = pairs[index % len(pairs)]
            start = time.perf_counter()
            rank(conn, product, origin)
            rank_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            page(conn, product, market, origin)
            page_ms.append((time.perf_counter() - start) * 1000)
    return {"functions": functions, "calls": repeats,
            "rank_p95_ms": round(_p95(rank_ms), 1),
            "rank_median_ms": round(statistics.median(rank_ms), 1),
            "product_market_p95_ms": round(_p95(page_ms), 1),
            "product_market_median_ms": round(statistics.median(page_ms), 1)}


def _pg_schema_url(base: str, schema: str) -> str:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}"


def _drop_pg_schema(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _generate(work: Path, scale: float, years: list[int], log: Log,
              products: int | None = None) -> dict[int, Path]:
    from tradewind.flows.generator import generate_baci, hs2022_products

    marker = work / "generated.json"
    wanted: dict[str, Any] = {"scale": scale, "years": years, "seed": 1}
    chosen = list(hs2022_products())[:products] if products else None
    if chosen:
        wanted["products"] = len(chosen)
    if marker.is_file() and json.loads(marker.read_text()) == wanted:
        log(f"Reusing generated files in {work}")
        return {y: work / f"BACI_HS22_Y{y}_V202401.csv" for y in years}
    log(f"Generating {len(years)} BACI file(s) at scale {scale} in {work}…")
    start = time.perf_counter()
    files = generate_baci(work, years, scale=scale, seed=1, products=chosen)
    log(f"  generated {sum(files.rows.values()):,} rows in {time.perf_counter() - start:.0f} s")
    marker.write_text(json.dumps(wanted))
    return files.flows


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time, with every run's wall time beside it."""
    if not runs or "seconds" not in runs[0]:
        return runs[0] if runs else {}
    ordered = sorted(runs, key=lambda r: r["seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["runs_seconds"] = [r["seconds"] for r in runs]
    peaks = [r["peak_rss_mib"] for r in runs if "peak_rss_mib" in r]
    if peaks:
        chosen["max_peak_rss_mib"] = max(peaks)
    return chosen


def run_bench(*, scale: float = 1.0, years: int = 5, postgres_url: str | None = None,
              work_dir: Path = Path("var/bench-flows"), keep: bool = False,
              postgres_queries: bool = False, products: int | None = None,
              runs: int = 1, log: Log = print) -> dict[str, Any]:
    """Run the whole benchmark; returns the figures (also what ``--json`` prints).

    The imports (and pandas, and DuckDB) are run ``runs`` times, interleaved, each into a
    fresh database; the figures are the median run's (every run's wall time is listed).
    ``products`` limits the generated files to the first N HS 2022 codes (smoke tests)."""
    postgres_url = postgres_url or os.environ.get("TRADEWIND_BENCH_POSTGRES_URL") or None
    work = Path(work_dir).resolve()
    work.mkdir(parents=True, exist_ok=True)
    year_list = list(range(FIRST_YEAR, FIRST_YEAR + max(1, years)))
    files = _generate(work, scale, year_list, log, products)
    codes = work / "country_codes_V202401.csv"
    first = files[year_list[-1]]
    figures: dict[str, Any] = {
        "scale": scale, "years_loaded": len(year_list), "file": first.name,
        "file_mib": round(first.stat().st_size / 2**20, 1), "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }

    sqlite_path = work / "bench.db"
    pandas_db = work / "pandas.db"
    pg_db: Database | None = None
    schema = "tw_bench_flows"
    pg_url = ""
    if not postgres_url:
        log("No PostgreSQL URL (--database-url or TRADEWIND_BENCH_POSTGRES_URL): skipped.")
    pandas_missing, duckdb_missing = optional_peer_missing("pandas"), optional_peer_missing("duckdb")
    measured: dict[str, list[dict[str, Any]]] = {
        "sqlite_import": [], "postgresql_import": [], "pandas_to_sql": [], "duckdb_scan": []}
    figures["runs"] = max(1, runs)
    for run in range(figures["runs"]):
        tag = f" [run {run + 1}/{figures['runs']}]"
        for p in work.glob("bench.db*"):
            p.unlink()
        sqlite_db = Database(f"sqlite:///{sqlite_path}")
        _prepare(sqlite_db)
        sqlite_db.dispose()
        log(f"Importing {first.name} into SQLite (child process){tag}…")
        measured["sqlite_import"].append(_child(["import", sqlite_db.url, str(first), str(codes)]))
        log(f"  {measured['sqlite_import'][-1]}")
        if postgres_url:
            pg_url = _pg_schema_url(postgres_url, schema)
            pg_db = Database(pg_url)
            _prepare(pg_db)
            pg_db.dispose()
            log(f"Importing {first.name} into PostgreSQL (child process){tag}…")
            measured["postgresql_import"].append(_child(["import", pg_url, str(first),
                                                         str(codes)]))
            log(f"  {measured['postgresql_import'][-1]}")
        if pandas_missing:
            measured["pandas_to_sql"].append({"skipped": pandas_missing})
        else:
            log(f"pandas read_csv + to_sql into SQLite (child process){tag}…")
            pandas_db.unlink(missing_ok=True)
            measured["pandas_to_sql"].append(_child(["pandas", str(first), str(pandas_db)]))
        log(f"  pandas: {measured['pandas_to_sql'][-1]}")
        if duckdb_missing:
            measured["duckdb_scan"].append({"skipped": duckdb_missing})
        else:
            log(f"DuckDB scan of the file{tag}…")
            measured["duckdb_scan"].append(duckdb_scan(first))
        log(f"  DuckDB: {measured['duckdb_scan'][-1]}")
    for name, found in measured.items():
        figures[name] = _median_run(found) if found else None
    figures["rows_per_year"] = figures["sqlite_import"]["rows"]

    others = [y for y in year_list if y != year_list[-1]]
    if others:
        log(f"Loading the other {len(others)} year(s) for the query timings…")
    from tradewind.ingest.baci import import_baci

    sqlite_db = Database(f"sqlite:///{sqlite_path}")
    for year in others:
        start = time.perf_counter()
        import_baci(sqlite_db, files[year], codes)
        log(f"  SQLite {year}: {time.perf_counter() - start:.0f} s")
    figures["sqlite_queries"] = time_queries(sqlite_db)
    log(f"  SQLite queries: {figures['sqlite_queries']}")
    sqlite_db.dispose()
    if pg_db is not None and postgres_queries:
        pg_db = Database(pg_db.url)
        for year in others:
            start = time.perf_counter()
            import_baci(pg_db, files[year], codes)
            log(f"  PostgreSQL {year}: {time.perf_counter() - start:.0f} s")
        figures["postgresql_queries"] = time_queries(pg_db)
        log(f"  PostgreSQL queries: {figures['postgresql_queries']}")
        pg_db.dispose()
    else:
        figures["postgresql_queries"] = None

    pandas_seconds = figures["pandas_to_sql"].get("seconds")
    for engine in ("sqlite", "postgresql"):
        tw = (figures[f"{engine}_import"] or {}).get("seconds")
        figures[f"{engine}_speedup_vs_pandas"] = (round(pandas_seconds / tw, 2)
                                                  if tw and pandas_seconds else None)
    figures["speedup_vs_pandas"] = figures["sqlite_speedup_vs_pandas"]
    figures["targets"] = _targets(figures)
    if not keep:
        for p in [*list(work.glob("bench.db*")), pandas_db]:
            p.unlink(missing_ok=True)
        if postgres_url:
            _drop_pg_schema(postgres_url, schema)
        if scale < 0.5:
            shutil.rmtree(work, ignore_errors=True)
    return figures


def _targets(f: dict[str, Any]) -> dict[str, bool | None]:
    pg = f.get("postgresql_import")
    sq = f.get("sqlite_queries") or {}
    return {
        "sqlite_import_le_120s": f["sqlite_import"]["seconds"] <= TARGETS["import_s"],
        "postgresql_import_le_120s": (pg["seconds"] <= TARGETS["import_s"]) if pg else None,
        "peak_rss_le_1gib": max(f["sqlite_import"].get("max_peak_rss_mib",
                                                        f["sqlite_import"]["peak_rss_mib"]),
                                pg.get("max_peak_rss_mib", pg["peak_rss_mib"]) if pg else 0)
        <= TARGETS["peak_rss_mib"],
        "sqlite_speedup_vs_pandas_ge_2": ((f["sqlite_speedup_vs_pandas"] or 0)
                                          >= TARGETS["speedup_vs_pandas"]),
        "postgresql_speedup_vs_pandas_ge_2": (
            None if not pg else (f["postgresql_speedup_vs_pandas"] or 0)
            >= TARGETS["speedup_vs_pandas"]),
        "rank_p95_le_100ms": (sq.get("rank_p95_ms") is not None
                              and sq["rank_p95_ms"] <= TARGETS["rank_p95_ms"]),
        "product_market_p95_le_50ms": (sq.get("product_market_p95_ms") is not None
                                       and sq["product_market_p95_ms"]
                                       <= TARGETS["product_market_p95_ms"]),
    }


def render(f: dict[str, Any]) -> str:
    """Human summary of the figures."""
    lines = [f"Flows benchmark — scale {f['scale']}, {f['rows_per_year']:,} rows/year, "
             f"{f['file_mib']} MiB file, {f['years_loaded']} year(s) loaded"]

    def imp(label: str, d: dict[str, Any] | None) -> None:
        if d and "seconds" in d:
            lines.append(f"  {label:<28} {d['seconds']:>8.1f} s  (CPU {d['cpu_seconds']:.1f} s, "
                         f"peak RSS {d['peak_rss_mib']:.0f} MiB)")
        else:
            lines.append(f"  {label:<28}  skipped" + (f" ({d['skipped']})" if d else ""))

    imp("Tradewind → SQLite", f["sqlite_import"])
    imp("Tradewind → PostgreSQL", f["postgresql_import"])
    imp("pandas read_csv + to_sql", f["pandas_to_sql"])
    duck = f["duckdb_scan"]
    lines.append(f"  {'DuckDB scan (floor)':<28} {duck['seconds']:>8.1f} s" if "seconds" in duck
                 else f"  {'DuckDB scan (floor)':<28}  skipped ({duck['skipped']})")
    lines.append(f"  speed-up over pandas: SQLite {f['sqlite_speedup_vs_pandas']}×, "
                 f"PostgreSQL {f['postgresql_speedup_vs_pandas']}× "
                 f"(median of {f.get('runs', 1)} run(s))")
    for key in ("sqlite_queries", "postgresql_queries"):
        q = f.get(key)
        if q:
            lines.append(f"  {key.split('_')[0]}: ranking p95 {q['rank_p95_ms']} ms, "
                         f"product-market p95 {q['product_market_p95_ms']} ms ({q['functions']})")
    lines.append("  targets: " + ", ".join(f"{k}={'met' if v else ('n/a' if v is None else 'MISSED')}"
                                           for k, v in f["targets"].items()))
    return "\n".join(lines)


def _main(argv: list[str]) -> None:
    command, *args = argv
    if command == "import":
        result = child_import(*args)
    elif command == "pandas":
        result = child_pandas(*args)
    else:
        raise SystemExit(f"unknown benchmark child {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    _main(sys.argv[1:])

"""``tradewind bench convert``: HS conversions between editions, direct and composed (p50/p95).

Imports the UNSD correlation workbooks into a temporary SQLite database (or uses the given
one), then converts random 6-digit subheadings.  The first call per edition pair reads the hop
tables into the process cache, as a server's first request would; it is reported apart.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tradewind.db import Database, migrate
from tradewind.errors import NotFound, TradewindError

TARGET_P95_MS = 5.0
PAIRS = (("HS2022", "HS2017"), ("HS2017", "HS2012"), ("HS2012", "HS1992"), ("HS2017", "HS1992"))


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def run_benchmark(database_url: str | None, *, shared_data: Path, samples: int = 300,
                  seed: int = 1, report: Callable[[str], None] = print) -> dict[str, Any]:
    from tradewind.ingest.hs_concordance import import_concordance
    from tradewind.nomenclature.concordance import convert, edition_codes_in_tables

    workbooks = sorted((shared_data / "hs-concordance").glob("*.xlsx"))
    if not workbooks:
        raise NotFound(f"no UNSD workbooks in {shared_data / 'hs-concordance'}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite:///{Path(tmp) / 'convert.db'}")
        migrate.upgrade(db)
        report(f"Importing {len(workbooks)} correlation workbooks…")
        start = time.perf_counter()
        for workbook in workbooks:
            import_concordance(db, workbook)
        figures: dict[str, Any] = {"import_s": round(time.perf_counter() - start, 2),
                                   "samples": samples, "seed": seed, "pairs": {}}
        rng = random.Random(seed)
        with db.connect() as conn:
            for source, target in PAIRS:
                codes = edition_codes_in_tables(conn, source)
                chosen = [rng.choice(codes) for _ in range(samples)]
                first_start = time.perf_counter()
                try:
                    convert(conn, chosen[0], source, target)
                except TradewindError as exc:
                    figures["pairs"][f"{source}->{target}"] = {"skipped": str(exc)}
                    continue
                first_ms = (time.perf_counter() - first_start) * 1000
                timings = []
                for code in chosen:
                    t0 = time.perf_counter()
                    conversion = convert(conn, code, source, target)
                    timings.append((time.perf_counter() - t0) * 1000)
                figures["pairs"][f"{source}->{target}"] = {
                    "path": "→".join(conversion.path), "first_call_ms": round(first_ms, 1),
                    "p50_ms": _p(timings, 0.5), "p95_ms": _p(timings, 0.95),
                    "max_ms": _p(timings, 1.0)}
                report(f"  {source}→{target}: {figures['pairs'][f'{source}->{target}']}")
        db.dispose()
    measured = [p["p95_ms"] for p in figures["pairs"].values() if "p95_ms" in p]
    figures["target_p95_ms"] = TARGET_P95_MS
    figures["targets_met"] = bool(measured) and max(measured) <= TARGET_P95_MS
    return figures

"""``tradewind bench tariffs``: import the full US schedule, add five synthetic 10 000-line
schedules, then time the market-access answer and the landed cost over random queries.

The benchmark builds its own database (a temporary SQLite file by default, or the URL given,
for instance a dedicated PostgreSQL schema) and never touches the operator's data.
Targets (issue 4): US import ≤ 10 s; market-access answer and landed cost p95 ≤ 20 ms.

Run it on both engines (note ``cat /proc/loadavg`` with each run: other work on the machine
inflates the tail, and the figures carry the 1-minute load average)::

    tradewind bench tariffs --json
    psql -h 127.0.0.1 -U postgres test -c "CREATE SCHEMA bench_tariffs"
    tradewind bench tariffs --json --database-url \
        "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench_tariffs"
    psql -h 127.0.0.1 -U postgres test -c "DROP SCHEMA bench_tariffs CASCADE"

Each answer costs about five statements (see :func:`tradewind.tariffs.queries.rates_for`),
the landed cost one more for the exchange rates; on PostgreSQL the time is mostly round trips.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tradewind.access import market_access
from tradewind.agreements.store import PartyIn, create_agreement, set_origin_rules
from tradewind.bootstrap import INIT_STEPS
from tradewind.costs.calculator import CostInputs
from tradewind.costs.service import landed_cost
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database, migrate
from tradewind.fx.importers import store_sample_rates
from tradewind.nomenclature.models import hs_codes
from tradewind.settings import Settings
from tradewind.tariffs.models import domestic_taxes
from tradewind.tariffs.sample import sample_fx_rows
from tradewind.tariffs.store import (
    LineIn,
    RateIn,
    create_schedule,
    duty_columns,
    insert_rows,
    write_lines,
    write_rates,
)

Report = Callable[[str], None]
SYNTHETIC = (("KEN", "KES"), ("IND", "INR"), ("BRA", "BRL"), ("JPN", "JPY"), ("GBR", "GBP"))
LINES_PER_SCHEDULE = 10_000
ORIGINS = ("CHN", "KEN", "IND", "BRA", "JPN", "GBR", "MEX", "DEU", "VNM", "USA", "ZAF", "FRA")
AS_OF = date(2025, 6, 2)
REFERENCE_STEPS = ("countries", "hs2022", "agreements-reference")
MFN_BANDS = ("Free", "2.5%", "5%", "8%", "10%", "12.5%", "15%", "20%", "1.5 USD/kg",
             "5% + 0.2 USD/kg")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _reference_data(db: Database, report: Report) -> None:
    settings = Settings.load(env={}, database_url=db.url, load_samples=False)
    for step in INIT_STEPS:
        if step.name in REFERENCE_STEPS:
            step.load()(db, settings, lambda _m: None)
    report("reference data loaded (countries, HS 2022, economy groups, WTO members)")


def _synthetic_schedules(db: Database, seed: int) -> tuple[int, float]:
    """Five schedules of exactly 10 000 lines (HS6 + 2 national digits), with preferences
    under synthetic agreements, a few quotas and VAT; returns (lines, seconds)."""
    rnd = random.Random(seed)
    started = time.perf_counter()
    total = 0
    with db.transaction() as conn:
        hs6 = [r[0] for r in conn.execute(
            select(hs_codes.c.code).where(hs_codes.c.edition == "HS2022", hs_codes.c.level == 6)
            .order_by(hs_codes.c.code))]
        ds = record_dataset(conn, kind="tariff", name="Benchmark synthetic schedules",
                            source="tradewind bench tariffs (synthetic, not real tariffs)",
                            licence="CC0-1.0", edition="bench", is_sample=True)
        for economy, currency in SYNTHETIC:
            partners = rnd.sample([o for o in ORIGINS if o != economy], 4)
            agreement_ids = []
            for n, partner in enumerate(partners[:2]):
                agreement_id = create_agreement(
                    conn, code=f"bench:{economy}-{partner}-{n}",
                    name=f"Synthetic agreement {economy}–{partner}", type="free trade agreement",
                    status="in force", parties=[PartyIn(economy), PartyIn(partner)],
                    entry_into_force=date(2015, 1, 1), source="bench", dataset_id=ds)
                set_origin_rules(conn, agreement_id, general_rule="Synthetic rule",
                                 proof_of_origin="Synthetic proof")
                agreement_ids.append(agreement_id)
            sid = create_schedule(conn, economy=economy, name=f"{economy} synthetic",
                                  nomenclature="synthetic", national_digits=8,
                                  currency=currency, source_format="bench", dataset_id=ds)
            codes: list[str] = []
            for i in range(LINES_PER_SCHEDULE):
                base = hs6[i % len(hs6)]
                codes.append(f"{base}{i // len(hs6):02d}")
            ids = write_lines(conn, sid, (LineIn(code, code[:6], f"Synthetic line {code}", "kg")
                                          for code in codes))
            rates: list[RateIn] = []
            for code in codes:
                mfn = MFN_BANDS[rnd.randrange(len(MFN_BANDS))]
                rates.append(RateIn(code, "mfn", mfn))
                if mfn != "Free" and rnd.random() < 0.4:
                    rates.append(RateIn(code, "preferential", "Free", scheme="synthetic",
                                        agreement_id=rnd.choice(agreement_ids)))
                if rnd.random() < 0.01:
                    rates.append(RateIn(code, "quota_in", "5%", scheme="synthetic TRQ",
                                        quota_volume=1000, quota_unit="t"))
                    rates.append(RateIn(code, "quota_out", "40%", scheme="synthetic TRQ"))
            write_rates(conn, sid, ids, rates, currency=currency, source="bench")
            total += len(codes)
        insert_rows(conn, domestic_taxes, [
            {"economy": economy, "kind": "VAT", "name": "Synthetic VAT", "rate_text": "16%",
             **{k: v for k, v in duty_columns("16%", "USD").items()
                if k in ("duty_json", "parse_ok")},
             "hs_prefix": None, "base": "customs value plus duties", "valid_from": None,
             "valid_to": None, "dataset_id": ds} for economy, _c in SYNTHETIC])
        set_row_count(conn, ds, total)
    store_sample_rates(db, sample_fx_rows(), notes="benchmark")
    return total, time.perf_counter() - started


def _measure(db: Database, calls: list[Callable[[Any], object]], report: Report,
             label: str) -> dict[str, float]:
    timings: list[float] = []
    for call in calls:
        with db.connect() as conn:
            started = time.perf_counter()
            call(conn)
            timings.append((time.perf_counter() - started) * 1000)
    figures = {"p50_ms": round(_percentile(timings, 0.50), 2),
               "p95_ms": round(_percentile(timings, 0.95), 2),
               "max_ms": round(max(timings), 2),
               "mean_ms": round(statistics.fmean(timings), 2)}
    report(f"{label}: {len(timings)} queries, p50 {figures['p50_ms']} ms, "
           f"p95 {figures['p95_ms']} ms")
    return figures


def _time_sample_tariffs(report: Report) -> float:
    """Seconds to generate the SAMPLE schedules on a fresh SQLite database (as `tradewind init`)."""
    from tradewind.tariffs.sample import init_sample_tariffs

    folder = tempfile.mkdtemp(prefix="tradewind-bench-sample-")
    db = Database(f"sqlite:///{folder}/sample.db")
    try:
        migrate.upgrade(db)
        _reference_data(db, lambda _m: None)
        settings = Settings.load(env={}, database_url=db.url, var_dir=folder)
        started = time.perf_counter()
        init_sample_tariffs(db, settings, lambda _m: None)
        seconds = round(time.perf_counter() - started, 2)
        report(f"SAMPLE tariffs generated in {seconds} s")
        return seconds
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def run_benchmark(database_url: str | None, *, shared_data: Path, queries: int = 500,
                  seed: int = 20250602, report: Report = print) -> dict[str, Any]:
    """Build the benchmark database, import, measure; returns the figures."""
    from tradewind.ingest.us_tariff import import_us_tariff

    tmp: str | None = None
    if database_url is None:
        tmp = tempfile.mkdtemp(prefix="tradewind-bench-")
        database_url = f"sqlite:///{tmp}/bench.db"
    db = Database(database_url)
    try:
        migrate.upgrade(db)
        _reference_data(db, report)
        us_folder = Path(shared_data) / "us-tariff"
        us_seconds: float | None = None
        us_lines = 0
        if us_folder.is_dir():
            started = time.perf_counter()
            result = import_us_tariff(db, us_folder)
            us_seconds = round(time.perf_counter() - started, 2)
            us_lines = result.lines
            report(f"US schedule: {us_lines} lines imported in {us_seconds} s")
        else:
            report(f"US schedule skipped: {us_folder} not found")
        sample_seconds = _time_sample_tariffs(report)
        synthetic_lines, synthetic_seconds = _synthetic_schedules(db, seed)
        report(f"synthetic schedules: {synthetic_lines} lines in {synthetic_seconds:.1f} s")

        with db.connect() as conn:
            hs6 = [r[0] for r in conn.execute(
                select(hs_codes.c.code).where(hs_codes.c.edition == "HS2022",
                                              hs_codes.c.level == 6))]
        rnd = random.Random(seed)
        destinations = (["USA"] if us_lines else []) + [e for e, _c in SYNTHETIC]
        trips: list[tuple[str, str, str]] = []
        while len(trips) < queries + 20:
            origin, destination = rnd.choice(ORIGINS), rnd.choice(destinations)
            if origin != destination:
                trips.append((rnd.choice(hs6), origin, destination))

        def access_call(trip: tuple[str, str, str]) -> Callable[[Any], object]:
            return lambda conn: market_access(conn, trip[0], trip[1], trip[2], AS_OF)

        def cost_call(trip: tuple[str, str, str]) -> Callable[[Any], object]:
            inputs = CostInputs(product=trip[0], origin=trip[1], destination=trip[2],
                                incoterm=rnd.choice(("FOB", "CIF", "EXW", "DAP", "FCA")),
                                goods_value=Decimal(rnd.randrange(1000, 100000)),
                                currency=rnd.choice(("USD", "EUR")), as_of=AS_OF,
                                freight=Decimal(500), quantity=Decimal(rnd.randrange(1, 5000)),
                                unit="kg")
            return lambda conn: landed_cost(conn, inputs)

        _measure(db, [access_call(t) for t in trips[:20]], lambda _m: None, "warm-up")
        access = _measure(db, [access_call(t) for t in trips[20:]], report,
                          "market-access answer")
        cost = _measure(db, [cost_call(t) for t in trips[20:]], report, "landed cost")
        return {
            "benchmark": "tariffs",
            "backend": db.dialect,
            "us_import_seconds": us_seconds,
            "us_lines": us_lines,
            "synthetic_schedules": len(SYNTHETIC),
            "synthetic_lines": synthetic_lines,
            "sample_tariffs_seconds": sample_seconds,
            "queries": queries,
            "access_p50_ms": access["p50_ms"],
            "access_p95_ms": access["p95_ms"],
            "access_max_ms": access["max_ms"],
            "cost_p50_ms": cost["p50_ms"],
            "cost_p95_ms": cost["p95_ms"],
            "cost_max_ms": cost["max_ms"],
            # other work on the machine inflates the tail: report the load next to the figures
            "load_average_1min": round(os.getloadavg()[0], 2),
            "cpu_count": os.cpu_count(),
            "targets": {
                "us_import_le_10s": us_seconds is not None and us_seconds <= 10,
                "access_p95_le_20ms": access["p95_ms"] <= 20,
                "cost_p95_le_20ms": cost["p95_ms"] <= 20,
                "sample_tariffs_le_15s": sample_seconds <= 15,
            },
        }
    finally:
        db.dispose()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

"""``tradewind bench policy``: dashboard queries over N generated events, and what recording
one signal adds to a request.

Events are generated in bulk with numpy (skewed like real demand: a few products and markets
get most questions), counted straight into the rollups the recorder maintains — exactly the
rows N recorded events leave behind — and written with the recorder's own upserts.  Raw events
are not generated: after the retention period only the rollups exist, and the dashboard never
reads raw events.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from tradewind.db import Database, migrate
from tradewind.policy import queries, store
from tradewind.policy.recorder import KINDS, USER_TYPES

TARGET_QUERY_P95_MS = 100.0
TARGET_RECORD_P95_MS = 1.0
CHUNK = 1_000_000
KIND_WEIGHTS = {"finder_search": 34, "finder_pick": 14, "access": 15, "cost": 5, "markets": 7,
                "market_products": 3, "requirements": 10, "watch": 1, "guide": 7,
                "library": 3, "feedback": 1}
LANGS = ("en", "fr", "es")
TOPICS = ("customs", "tariffs", "standards", "rules_of_origin", "logistics", "finance",
          "information", "digital", "other")
GUIDES = tuple(f"guide-{i}" for i in range(40))


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def _zipf(rng: np.random.Generator, n: int, size: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return rng.choice(n, size=size, p=weights / weights.sum())


def _economies() -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)


def generate_rollups(events: int, *, seed: int, end: date) -> tuple[store.Rollups, int]:
    """The rollups ``events`` recorded events would leave, over the 365 days up to ``end``."""
    rng = np.random.default_rng(seed)
    headings = [f"{c:02d}{h:02d}" for c in range(1, 98) if c != 77 for h in range(1, 13)]
    rng.shuffle(headings)
    economies = _economies()
    dests = list(economies)
    rng.shuffle(dests)
    home, others = "KEN", [e for e in economies if e != "KEN"][:12]
    origins = [home, *others]
    kinds = list(KIND_WEIGHTS)
    kind_p = np.array([KIND_WEIGHTS[k] for k in kinds], dtype=float)
    kind_p /= kind_p.sum()
    start = end - timedelta(days=364)
    days = [start + timedelta(days=i) for i in range(365)]
    day_w = np.array([0.4 if d.weekday() >= 5 else 1.0 for d in days])
    day_w /= day_w.sum()
    queries_n = max(1000, events // 40)  # distinct normalised searches
    rollups = store.Rollups.empty()
    done = 0
    while done < events:
        n = min(CHUNK, events - done)
        kind = rng.choice(len(kinds), size=n, p=kind_p)
        day = rng.choice(365, size=n, p=day_w)
        hs = _zipf(rng, len(headings), n, 1.05)
        dest = _zipf(rng, len(dests), n, 1.1)
        origin = np.where(rng.random(n) < 0.85, 0, rng.integers(1, len(origins), n))
        lang = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])
        user = rng.choice(len(USER_TYPES), size=n, p=[0.45, 0.15, 0.05, 0.35])
        no_data = (dest > 35) & (rng.random(n) < 0.8)  # markets past the 35 best covered
        unanswered = rng.random(n) < 0.12
        topic = rng.integers(0, len(TOPICS), n)
        guide = _zipf(rng, len(GUIDES), n, 1.0)
        query = _zipf(rng, queries_n, n, 0.9)
        # Encode every event's rollup keys as one integer per table, count them with numpy.
        outcome = np.where(no_data, 2, np.where(unanswered, 1, 0))
        k_name = np.array(kinds)[kind]
        has_product = ~np.isin(k_name, ("guide", "library", "feedback"))
        has_dest = np.isin(k_name, ("access", "cost", "requirements", "watch",
                                    "market_products"))
        no_data &= np.isin(k_name, ("access", "cost", "requirements", "markets",
                                    "market_products"))
        outcome = np.where(k_name == "finder_pick", 3,
                           np.where(np.isin(k_name, ("finder_search", "library")),
                                    np.minimum(outcome, 1), np.where(no_data, 2, 0)))
        hs_i = np.where(has_product, hs, len(headings))
        dest_i = np.where(has_dest, dest, len(dests))
        topic_i = np.where(k_name == "feedback", topic,
                           np.where(k_name == "guide", len(TOPICS) + guide, len(TOPICS)
                                    + len(GUIDES)))
        _count_daily(rollups, kind, outcome, origin, hs_i, lang, user, day, kinds, headings,
                     origins, days)
        _count_monthly(rollups, kind, outcome, origin, dest_i, hs_i, topic_i, day, kinds,
                       headings, origins, dests, days)
        _count_queries(rollups, query, lang, day, k_name, outcome, days)
        done += n
    return rollups, done


_OUTCOMES = ("answered", "unanswered", "no_data", "picked")


def _unique(*cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    stacked = np.stack(cols, axis=1)
    keys, counts = np.unique(stacked, axis=0, return_counts=True)
    return keys, counts


def _count_daily(r: store.Rollups, kind: Any, outcome: Any, origin: Any, hs: Any, lang: Any,
                 user: Any, day: Any, kinds: list[str], headings: list[str],
                 origins: list[str], days: list[date]) -> None:
    keys, counts = _unique(day, kind, outcome, origin, hs, lang, user)
    chapters = [h[:2] for h in headings] + [""]
    for (d, k, o, org, h, lg, u), n in zip(keys.tolist(), counts.tolist(), strict=True):
        r.daily[(days[d], kinds[k], _OUTCOMES[o], origins[org], chapters[h], LANGS[lg],
                 USER_TYPES[u])] += n


def _count_monthly(r: store.Rollups, kind: Any, outcome: Any, origin: Any, dest: Any,
                   hs: Any, topic: Any, day: Any, kinds: list[str], headings: list[str],
                   origins: list[str], dests: list[str], days: list[date]) -> None:
    months = np.array([d.year * 12 + d.month - 1 for d in days])[day]
    keys, counts = _unique(months, kind, outcome, origin, dest, hs, topic)
    hs_names = [*headings, ""]
    dest_names = [*dests, ""]
    topic_names = [*TOPICS, *GUIDES, ""]
    for (m, k, o, org, de, h, t), n in zip(keys.tolist(), counts.tolist(), strict=True):
        r.monthly[(date(m // 12, m % 12 + 1, 1), kinds[k], _OUTCOMES[o], origins[org],
                   dest_names[de], hs_names[h], topic_names[t])] += n


def _count_queries(r: store.Rollups, query: Any, lang: Any, day: Any, k_name: Any,
                   outcome: Any, days: list[date]) -> None:
    finder = np.isin(k_name, ("finder_search", "finder_pick"))
    months = np.array([d.year * 12 + d.month - 1 for d in days])[day]
    # Searches of some (tail) queries never lead to a pick: those are the unanswered ones.
    picked = (k_name == "finder_pick") & (query % 7 != 3)
    search = k_name == "finder_search"
    for mask, slot in ((search, 1), (search & (outcome == 1), 2), (picked, 3)):
        m = mask & finder
        keys, counts = _unique(months[m], query[m], lang[m])
        for (mo, q, lg), n in zip(keys.tolist(), counts.tolist(), strict=True):
            key = (date(mo // 12, mo % 12 + 1, 1), f"{q:016x}", LANGS[lg])
            row = r.queries.setdefault(key, ["", 0, 0, 0])
            row[slot] += n


def _time(fn: Callable[[], Any], samples: int) -> list[float]:
    out = []
    for _ in range(samples):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _recording_overhead(db: Database, samples: int) -> dict[str, float]:
    """Time :func:`record` for a finder search as a page handler would call it."""
    from types import SimpleNamespace

    from starlette.requests import Request

    from tradewind.policy.recorder import Recorder, record
    from tradewind.settings import Settings

    settings = Settings.load(env={}, dotenv=Path("/nonexistent"), database_url=db.url)
    state = SimpleNamespace(settings=settings, db=db,
                            policy_recorder=Recorder(db, 50, 10.0, None))
    app = SimpleNamespace(state=state)
    candidate = SimpleNamespace(code="090121")
    response = SimpleNamespace(context={"result": SimpleNamespace(candidates=[candidate])},
                               status_code=200)
    times = []
    for i in range(samples):
        scope = {"type": "http", "method": "GET", "path": "/hs/search", "app": app,
                 "query_string": f"q=roasted+coffee+beans+{i % 50}".encode(),
                 "headers": [(b"host", b"localhost")], "server": ("localhost", 80)}
        request = Request(scope)
        t0 = time.perf_counter()
        record(request, "finder", response, None, {"request": request})
        times.append((time.perf_counter() - t0) * 1000)
    state.policy_recorder.flush()
    return {"record_p50_ms": _p(times, 0.5), "record_p95_ms": _p(times, 0.95),
            "record_mean_ms": round(statistics.fmean(times), 4),
            "record_failures": state.policy_recorder.failures}


def run_benchmark(database_url: str | None, *, events: int = 10_000_000, samples: int = 30,
                  seed: int = 1, report: Callable[[str], None] = print) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite:///{Path(tmp) / 'policy.db'}")
        migrate.upgrade(db)
        with db.transaction() as conn:
            for table in ("policy_daily", "policy_monthly", "policy_queries", "policy_events"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        end = date(2026, 6, 30)
        t0 = time.perf_counter()
        report(f"Generating {events:,} events…")
        rollups, generated = generate_rollups(events, seed=seed, end=end)
        t1 = time.perf_counter()
        report(f"Writing {len(rollups.daily):,} daily, {len(rollups.monthly):,} monthly and "
               f"{len(rollups.queries):,} query rows…")
        with db.transaction() as conn:
            store.write_rollups(conn, rollups)
        t2 = time.perf_counter()
        if db.is_postgresql:
            with db.transaction() as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.transaction() as conn:
                conn.exec_driver_sql("ANALYZE")
        year = queries.Filters(end - timedelta(days=364), end)
        cases = {
            "year": year,
            "year_origin": queries.Filters(year.start, year.end, origin="KEN"),
            "year_section": queries.Filters(year.start, year.end, sector="IV"),
            "quarter_chapter": queries.Filters(end - timedelta(days=90), end, origin="KEN",
                                               sector="09"),
            "month": queries.Filters(end - timedelta(days=30), end),
        }
        k = 10
        per_query: dict[str, list[float]] = {}
        dashboard_ms: list[float] = []
        named: dict[str, Callable[[Any, queries.Filters], Any]] = {
            "totals": lambda c, f: queries.totals_by_kind(c, f, k),
            "over_time": lambda c, f: queries.over_time(c, f, k),
            "products": lambda c, f: queries.top_products(c, f, k),
            "markets": lambda c, f: queries.top_markets(c, f, k, None),
            "pairs": lambda c, f: queries.top_pairs(c, f, k),
            "unanswered": lambda c, f: queries.unanswered_searches(c, f, k),
            "barriers": lambda c, f: queries.barriers(c, f, k),
            "languages": lambda c, f: queries.by_dimension(c, f, k, "lang"),
            "user_types": lambda c, f: queries.by_dimension(c, f, k, "user_type"),
            "gaps": lambda c, f: __import__("tradewind.policy.gaps",
                                            fromlist=["data_gaps"]).data_gaps(c, f, k),
        }
        report("Timing dashboard queries…")
        with db.connect() as conn:
            for f in cases.values():
                queries.dashboard(conn, f, k)  # warm the page cache once per filter
            for _ in range(max(1, samples // len(cases))):
                for f in cases.values():
                    t_dash = time.perf_counter()
                    for name, fn in named.items():
                        q0 = time.perf_counter()
                        fn(conn, f)
                        per_query.setdefault(name, []).append(
                            (time.perf_counter() - q0) * 1000)
                    dashboard_ms.append((time.perf_counter() - t_dash) * 1000)
        overhead = _recording_overhead(db, 5000)
        all_queries = [v for vs in per_query.values() for v in vs]
        result = {
            "backend": db.dialect, "events": generated,
            "rollup_rows": {"daily": len(rollups.daily), "monthly": len(rollups.monthly),
                            "queries": len(rollups.queries)},
            "generate_s": round(t1 - t0, 1), "write_s": round(t2 - t1, 1),
            "query_p95_ms": _p(all_queries, 0.95),
            "query_p95_by_name_ms": {n: _p(v, 0.95) for n, v in per_query.items()},
            "dashboard_p50_ms": _p(dashboard_ms, 0.5), "dashboard_p95_ms": _p(dashboard_ms, 0.95),
            "target_query_p95_ms": TARGET_QUERY_P95_MS,
            **overhead, "target_record_p95_ms": TARGET_RECORD_P95_MS,
            "kinds": list(KINDS),
        }
        result["query_target_met"] = result["query_p95_ms"] <= TARGET_QUERY_P95_MS
        result["record_target_met"] = result["record_p95_ms"] <= TARGET_RECORD_P95_MS
        db.dispose()
    return result

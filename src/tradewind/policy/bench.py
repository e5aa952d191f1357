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
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from tradewind.db import Database, migrate
from tradewind.policy import queries, store
from tradewind.policy.recorder import KINDS, USER_TYPES
from tradewind.policy.sectors import ALL, SECTIONS

TARGET_QUERY_P95_MS = 100.0
TARGET_RECORD_P95_MS = 1.0
CHUNK = 1_000_000
KIND_WEIGHTS = {"finder_search": 34, "finder_pick": 14, "access": 15, "cost": 5, "markets": 7,
                "market_products": 3, "requirements": 10, "watch": 1, "guide": 7,
                "library": 3, "feedback": 1}
LANGS = ("en", "fr", "es")
TOPICS = ("customs", "tariffs", "standards", "rules_of_origin", "logistics", "finance",
          "information", "digital", "other")


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def _zipf(rng: np.random.Generator, n: int, size: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return rng.choice(n, size=size, p=weights / weights.sum())


def _economies() -> list[str]:
    import pycountry

    return sorted(c.alpha_3 for c in pycountry.countries)


@dataclass
class EventArrays:
    """Generated events as parallel arrays of indices into the name lists."""

    day: np.ndarray
    kind: np.ndarray
    outcome: np.ndarray
    origin: np.ndarray  # index into origins; -1 unknown
    hs4: np.ndarray  # index into headings; -1 none
    dest: np.ndarray  # index into economies; -1 none
    lang: np.ndarray
    user: np.ndarray
    topic: np.ndarray  # index into TOPICS; -1 none
    query: np.ndarray  # -1 none


@dataclass
class Names:
    days: list[date]
    kinds: list[str]
    headings: list[str]
    origins: list[str]
    economies: list[str]


def make_names(end: date) -> Names:
    headings = [f"{c:02d}{h:02d}" for c in range(1, 98) if c != 77 for h in range(1, 13)]
    economies = _economies()
    origins = ["KEN", *[e for e in economies if e != "KEN"][:12]]
    start = end - timedelta(days=364)
    return Names([start + timedelta(days=i) for i in range(365)], list(KIND_WEIGHTS),
                 headings, origins, economies)


def generate_events(rng: np.random.Generator, n: int, names: Names,
                    day_range: tuple[int, int] | None = None) -> EventArrays:
    """``n`` events skewed like real demand (Zipf over products, markets and questions),
    on the days ``day_range`` (indices into ``names.days``, end excluded) or the whole year."""
    kind_p = np.array([KIND_WEIGHTS[k] for k in names.kinds], dtype=float)
    kind_p /= kind_p.sum()
    first, last = day_range or (0, len(names.days))
    day_w = np.array([0.4 if d.weekday() >= 5 else 1.0 for d in names.days[first:last]])
    day_w /= day_w.sum()
    kind = rng.choice(len(names.kinds), size=n, p=kind_p)
    k_name = np.array(names.kinds)[kind]
    hs_order = rng.permutation(len(names.headings))
    dest_order = rng.permutation(len(names.economies))
    hs = hs_order[_zipf(rng, len(names.headings), n, 1.05)]
    dest_rank = _zipf(rng, len(names.economies), n, 1.1)
    dest = dest_order[dest_rank]
    has_product = ~np.isin(k_name, ("guide", "library", "feedback"))
    has_dest = np.isin(k_name, ("access", "cost", "requirements", "watch", "market_products"))
    no_data = (dest_rank > 35) & (rng.random(n) < 0.8) & np.isin(
        k_name, ("access", "cost", "requirements", "market_products"))
    no_data |= (k_name == "markets") & (rng.random(n) < 0.05)
    unanswered = (rng.random(n) < 0.12) & np.isin(k_name, ("finder_search", "library"))
    outcome = np.where(k_name == "finder_pick", 3, np.where(no_data, 2,
                                                            np.where(unanswered, 1, 0)))
    finder = np.isin(k_name, ("finder_search", "finder_pick"))
    query = _zipf(rng, max(1000, n // 40), n, 0.9)
    # Some (tail) questions never lead to a pick: those are the unanswered ones.
    picked_ok = query % 7 != 3
    keep = ~((k_name == "finder_pick") & ~picked_ok)
    arrays = EventArrays(
        day=first + rng.choice(last - first, size=n, p=day_w), kind=kind, outcome=outcome,
        origin=np.where(rng.random(n) < 0.85, 0, rng.integers(1, len(names.origins), n)),
        hs4=np.where(has_product, hs, -1), dest=np.where(has_dest, dest, -1),
        lang=rng.choice(3, size=n, p=[0.6, 0.25, 0.15]),
        user=rng.choice(len(USER_TYPES), size=n, p=[0.45, 0.15, 0.05, 0.35]),
        topic=np.where(k_name == "feedback", rng.integers(0, len(TOPICS), n), -1),
        query=np.where(finder, query, -1))
    for name in arrays.__dataclass_fields__:
        setattr(arrays, name, getattr(arrays, name)[keep])
    return arrays


def decode(a: EventArrays, names: Names) -> list[dict[str, Any]]:
    """The arrays as event rows, as the recorder would store them (for tests)."""
    out = []
    for i in range(len(a.kind)):
        out.append({
            "day": names.days[a.day[i]], "kind": names.kinds[a.kind[i]],
            "outcome": _OUTCOMES[a.outcome[i]],
            "hs": names.headings[a.hs4[i]] if a.hs4[i] >= 0 else "",
            "origin": names.origins[a.origin[i]],
            "destination": names.economies[a.dest[i]] if a.dest[i] >= 0 else "",
            "lang": LANGS[a.lang[i]], "user_type": USER_TYPES[a.user[i]],
            "topic": TOPICS[a.topic[i]] if a.topic[i] >= 0 else "",
            "query_hash": f"{a.query[i]:016x}" if a.query[i] >= 0 else "",
            "query_text": None})
    return out


_OUTCOMES = ("answered", "unanswered", "no_data", "picked")


def _cells(a: EventArrays, mask: np.ndarray, names: Names, all_sectors_only: bool = False
           ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(event indices, origin cell, sector cell) for every cube cell the events count in."""
    idx = np.nonzero(mask)[0]
    section_of = np.array([_section_index(h) for h in names.headings] + [0])
    chapter_of = np.array([int(h[:2]) for h in names.headings] + [0])
    hs = a.hs4[idx]
    out = []
    for origin_cell in (np.full(len(idx), -1), a.origin[idx]):
        out.append((idx, origin_cell, np.full(len(idx), 0)))  # sector "*"
        if all_sectors_only:
            continue
        has = hs >= 0
        sel = idx[has]
        out.append((sel, origin_cell[has], section_of[hs[has]]))
        out.append((sel, origin_cell[has], 100 + chapter_of[hs[has]]))
    return out


_SECTION_NAMES = list(SECTIONS)


def _section_index(heading: str) -> int:
    chapter = int(heading[:2])
    for i, (lo, hi) in enumerate(SECTIONS.values()):
        if lo <= chapter <= hi:
            return i + 1
    return 0


def _sector_name(code: int) -> str:
    if code == 0:
        return ALL
    if code >= 100:
        return f"{code - 100:02d}"
    return _SECTION_NAMES[code - 1]


def rollups_from_arrays(a: EventArrays, names: Names) -> store.Rollups:
    """What :meth:`store.Rollups.add` gives for every event, computed with numpy."""
    r = store.Rollups.empty()
    month_of = np.array([d.year * 12 + d.month - 1 for d in names.days])
    k_name = np.array(names.kinds)[a.kind]
    origin_name = lambda i: ALL if i < 0 else names.origins[i]  # noqa: E731
    heads = [*names.headings]
    ecos = names.economies
    everything = np.ones(len(a.kind), dtype=bool)
    for idx, oc, sc in _cells(a, everything, names):
        keys, counts = _unique(oc, sc, a.day[idx], a.kind[idx], a.outcome[idx])
        for (o, s, d, k, out), n in zip(keys.tolist(), counts.tolist(), strict=True):
            r.daily[(origin_name(o), _sector_name(s), names.days[d], names.kinds[k],
                     _OUTCOMES[out])] += n
    question = np.isin(k_name, store.QUESTION_KINDS)
    month = month_of[a.day]

    def add(dim: str, mask: np.ndarray, key1: Callable[[int], str], col1: np.ndarray,
            key2: Callable[[int], str] | None = None, col2: np.ndarray | None = None,
            all_sectors_only: bool = False) -> None:
        for idx, oc, sc in _cells(a, mask, names, all_sectors_only):
            c2 = col2[idx] if col2 is not None else np.zeros(len(idx), dtype=int)
            keys, counts = _unique(oc, sc, month[idx], col1[idx], c2)
            for (o, s, m, v1, v2), n in zip(keys.tolist(), counts.tolist(), strict=True):
                r.cube[(origin_name(o), _sector_name(s), dim, date(m // 12, m % 12 + 1, 1),
                        key1(v1), key2(v2) if key2 else "")] += n

    add("product", question & (a.hs4 >= 0), lambda i: heads[i], a.hs4)
    add("market", question & (a.dest >= 0), lambda i: ecos[i], a.dest)
    add("pair", question & (a.hs4 >= 0) & (a.dest >= 0), lambda i: heads[i], a.hs4,
        lambda i: ecos[i], a.dest)
    add("lang", question, lambda i: LANGS[i], a.lang)
    add("user", question, lambda i: USER_TYPES[i], a.user)
    add("topic", k_name == "feedback", lambda i: TOPICS[i], a.topic, all_sectors_only=True)
    gap_kinds = list(store.GAP_ECONOMY)
    gap = (a.outcome == 2) & np.isin(k_name, gap_kinds)
    economy = np.where(np.isin(k_name, [k for k, v in store.GAP_ECONOMY.items()
                                        if v == "origin"]),
                       np.array([ecos.index(o) for o in names.origins])[a.origin], a.dest)
    add("gap", gap, lambda i: names.kinds[i], a.kind, lambda i: ecos[i], economy)
    finder = a.query >= 0
    search = finder & (k_name == "finder_search")
    for mask, slot in ((search, 1), (search & (a.outcome == 1), 2),
                       (finder & (k_name == "finder_pick"), 3)):
        keys, counts = _unique(month[mask], a.query[mask], a.lang[mask])
        for (mo, q, lg), n in zip(keys.tolist(), counts.tolist(), strict=True):
            row = r.queries.setdefault((date(mo // 12, mo % 12 + 1, 1), f"{q:016x}",
                                        LANGS[lg]), ["", 0, 0, 0])
            row[slot] += n
    return r


def _unique(*cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not len(cols[0]):
        return np.empty((0, len(cols)), dtype=int), np.empty(0, dtype=int)
    stacked = np.stack(cols, axis=1)
    keys, counts = np.unique(stacked, axis=0, return_counts=True)
    return keys, counts


def compact_month(r: store.Rollups) -> None:
    """In memory, what :func:`store.compact` does to a closed month in the database."""
    by_cell: dict[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]]] = {}
    for key, n in r.cube.items():
        if key[2] == "pair":
            by_cell.setdefault(key[:2], []).append((n, key))
    for rows in by_cell.values():
        rows.sort(key=lambda item: (-item[0], item[1][4], item[1][5]))
        for _n, key in rows[store.KEEP_PAIRS:]:
            del r.cube[key]
    ranked = sorted(r.queries.items(), key=lambda item: (-item[1][1], item[0][1]))
    for key, _row in ranked[store.KEEP_QUERIES:]:
        del r.queries[key]


def generate_rollups(events: int, *, seed: int, end: date) -> tuple[store.Rollups, int]:
    """The rollups ``events`` recorded events leave over the 365 days up to ``end``, with
    closed months compacted as the retention worker does.  Generated month by month."""
    rng = np.random.default_rng(seed)
    names = make_names(end)
    months: dict[tuple[int, int], list[int]] = {}
    for i, d in enumerate(names.days):
        months.setdefault((d.year, d.month), []).append(i)
    total = store.Rollups.empty()
    generated = 0
    current = (end.year, end.month)
    for ym, idx in months.items():
        wanted = round(events * len(idx) / len(names.days))
        part = store.Rollups.empty()
        for start in range(0, wanted, CHUNK):
            arrays = generate_events(rng, min(CHUNK, wanted - start), names,
                                     (idx[0], idx[-1] + 1))
            chunk = rollups_from_arrays(arrays, names)
            part.daily.update(chunk.daily)
            part.cube.update(chunk.cube)
            for key, row in chunk.queries.items():
                mine = part.queries.setdefault(key, ["", 0, 0, 0])
                for j in (1, 2, 3):
                    mine[j] += row[j]
            generated += len(arrays.kind)
        if ym != current:
            compact_month(part)
        total.daily.update(part.daily)
        total.cube.update(part.cube)
        total.queries.update(part.queries)
    return total, generated


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
            for table in ("policy_daily", "policy_cube", "policy_queries", "policy_events"):
                conn.exec_driver_sql(f"DELETE FROM {table}")
        end = date(2026, 6, 30)
        t0 = time.perf_counter()
        report(f"Generating {events:,} events…")
        rollups, generated = generate_rollups(events, seed=seed, end=end)
        t1 = time.perf_counter()
        report(f"Writing {len(rollups.daily):,} daily, {len(rollups.cube):,} cube and "
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
        query_p95 = _p(all_queries, 0.95)
        result: dict[str, Any] = {
            "backend": db.dialect, "events": generated,
            "rollup_rows": {"daily": len(rollups.daily), "cube": len(rollups.cube),
                            "queries": len(rollups.queries)},
            "generate_s": round(t1 - t0, 1), "write_s": round(t2 - t1, 1),
            "query_p95_ms": _p(all_queries, 0.95),
            "query_p95_by_name_ms": {n: _p(v, 0.95) for n, v in per_query.items()},
            "dashboard_p50_ms": _p(dashboard_ms, 0.5), "dashboard_p95_ms": _p(dashboard_ms, 0.95),
            "target_query_p95_ms": TARGET_QUERY_P95_MS,
            **overhead, "target_record_p95_ms": TARGET_RECORD_P95_MS,
            "kinds": list(KINDS),
        }
        result["query_target_met"] = query_p95 <= TARGET_QUERY_P95_MS
        result["record_target_met"] = overhead["record_p95_ms"] <= TARGET_RECORD_P95_MS
        db.dispose()
    return result

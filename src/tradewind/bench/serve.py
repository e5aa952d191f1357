"""``tradewind bench serve``: the whole server under load, as an operator would run it.

1. Builds a fresh database (a temporary SQLite file set up like ``tradewind init`` with the
   SAMPLE data, or the PostgreSQL URL given — use an empty schema, it is initialised);
2. starts ``tradewind serve`` in a child process (``--workers`` from the CPU count, a free
   port, rate limits off, request logs at WARNING) and waits for ``/readyz``;
3. times the very first request (a product search: the finder index is warmed at start-up),
   then calls every URL of the mix once (the "cold" pass: first rankings are computed
   there; URLs that do not answer 200 on the SAMPLE are dropped and counted);
4. drives the realistic mix (home page, finder page and API, market-access answer, landed
   cost, market ranking, product-market statistics) from ``concurrency`` async httpx clients
   for ``duration`` seconds each, and reports requests/s, errors and p50/p95 per endpoint.

The load generator runs on the same machine as the server and shares its CPUs; the figures
are for the pair.  Targets (issue 12, 2 cores): ≥ 300 requests/s with 0 errors, p95 ≤ 100 ms
for every endpoint.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import text

from tradewind.bench.loop import run_coroutine
from tradewind.db import Database, migrate

TARGET_RPS = 300.0
TARGET_P95_MS = 100.0
ORIGINS = ("KEN", "IND", "BRA", "VNM", "ZAF")
DESTINATIONS = ("USA", "FRA", "DEU", "GBR", "JPN")
WORDS = ("coffee beans", "cotton t-shirt", "mobile phone", "cut roses", "green tea",
         "cashew nuts", "leather handbag", "frozen shrimp", "avocados", "red wine",
         "café vert", "camisetas de algodón", "solar panels", "bicycle", "chocolate")
#: Share of each endpoint in the mix (what a portal's visitors do, roughly).
MIX = {"home": 10, "finder_page": 10, "finder_api": 15, "access": 20, "landed_cost": 15,
       "ranking": 15, "statistics": 15}
Log = Callable[[str], None]


@dataclass
class Target:
    endpoint: str
    url: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def default_workers() -> int:
    from tradewind.cli.core import default_workers as cli_default

    return cli_default()


def _prepare(database_url: str | None, work: Path, log: Log) -> Database:
    from tradewind.bootstrap import initialise
    from tradewind.settings import Settings

    db = Database(database_url or f"sqlite:///{work / 'bench.db'}")
    migrate.upgrade(db)
    settings = Settings.load(env={}, dotenv=work / "absent.env", database_url=db.url,
                             var_dir=str(work / "var"), secret_key="bench-serve")
    log("initialising the SAMPLE database (not timed)…")
    initialise(db, settings, report=lambda _m: None)
    return db


def _candidates(db: Database, rng: random.Random) -> dict[str, list[str]]:
    """Candidate URLs per endpoint, from the products that have flows in the database."""
    with db.connect() as conn:
        products = [f"{int(r[0]):06d}" for r in conn.execute(text(
            "SELECT hs6 FROM flow_imports GROUP BY hs6 ORDER BY count(*) DESC LIMIT 40"))]
    if not products:
        raise RuntimeError("the database has no trade flows: the mix needs the SAMPLE flows")
    pairs = [(p, o, d) for p in products for o in ORIGINS for d in DESTINATIONS]
    rng.shuffle(pairs)
    pairs = pairs[:150]
    urls: dict[str, list[str]] = {
        "home": ["/"],
        "finder_page": [f"/hs/search?{urlencode({'q': w})}" for w in WORDS],
        "finder_api": [f"/api/v1/hs/search?{urlencode({'q': w})}" for w in WORDS],
        "access": [f"/api/v1/tariffs/access?{urlencode(dict(product=p, origin=o, destination=d))}"
                   for p, o, d in pairs],
        "landed_cost": ["/api/v1/tariffs/cost?" + urlencode(dict(
            product=p, origin=o, destination=d, incoterm="FOB", value="10000",
            freight="800")) for p, o, d in pairs],
        "ranking": [f"/api/v1/markets/rank?{urlencode(dict(product=p, origin=o))}"
                    for p in products[:20] for o in ORIGINS],
        "statistics": ["/api/v1/stats/product-market?"
                       + urlencode(dict(product=p, market=d, origin=o)) for p, o, d in pairs],
    }
    return urls


def _start_server(db: Database, work: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update({
        "TRADEWIND_DATABASE_URL": db.url, "TRADEWIND_SECRET_KEY": "bench-serve",
        "TRADEWIND_VAR_DIR": str(work / "var"), "TRADEWIND_RATE_LIMIT_API_PER_MINUTE": "0",
        "TRADEWIND_RATE_LIMIT_FORMS_PER_MINUTE": "0", "TRADEWIND_LOG_LEVEL": "WARNING",
    })
    out = (work / "server.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "tradewind", "serve", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers)],
        env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(work), start_new_session=True)


def _stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # our own child's process group only
        proc.wait(timeout=10)


async def _wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float) -> float:
    import httpx

    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        while time.perf_counter() - start < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with code {proc.returncode}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return time.perf_counter() - start
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the server was not ready after {timeout:.0f} s")


async def _cold_pass(base: str, urls: dict[str, list[str]]
                     ) -> tuple[list[Target], dict[str, Any]]:
    """Every candidate URL once (in order, one client); keeps those answering 200."""
    import httpx

    kept: list[Target] = []
    dropped: dict[str, int] = {}
    timings: dict[str, list[float]] = {}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        start = time.perf_counter()
        first = await client.get(urls["finder_api"][0])
        first_ms = round((time.perf_counter() - start) * 1000, 2)
        for endpoint, paths in urls.items():
            for path in paths:
                start = time.perf_counter()
                response = await client.get(path)
                timings.setdefault(endpoint, []).append(time.perf_counter() - start)
                if response.status_code == 200:
                    kept.append(Target(endpoint, path))
                else:
                    dropped[endpoint] = dropped.get(endpoint, 0) + 1
    cold = {"first_request_ms": first_ms, "first_request_status": first.status_code,
            "dropped_not_200": dropped,
            "endpoints": {e: {"count": len(t), "p50_ms": _pct(t, 0.5), "p95_ms": _pct(t, 0.95),
                              "max_ms": round(max(t) * 1000, 2)} for e, t in timings.items()}}
    return kept, cold


async def _phase(base: str, targets: list[Target], clients: int, duration: float,
                 seed: int) -> dict[str, Any]:
    import httpx

    by_endpoint: dict[str, list[Target]] = {}
    for t in targets:
        by_endpoint.setdefault(t.endpoint, []).append(t)
    names = [e for e in MIX if e in by_endpoint]
    weights = [MIX[e] for e in names]
    timings: dict[str, list[float]] = {e: [] for e in names}
    errors: dict[str, int] = {e: 0 for e in names}
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.perf_counter() + duration

    async def one_client(client: httpx.AsyncClient, rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            endpoint = rng.choices(names, weights)[0]
            target = rng.choice(by_endpoint[endpoint])
            start = time.perf_counter()
            try:
                response = await client.get(target.url)
                status = response.status_code
            except httpx.HTTPError as exc:
                status = 0
                statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
            elapsed = time.perf_counter() - start
            timings[endpoint].append(elapsed)
            if status != 200:
                errors[endpoint] += 1
                statuses[str(status)] = statuses.get(str(status), 0) + 1

    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(one_client(client, random.Random(seed * 1000 + i))
                               for i in range(clients)))
        wall = time.perf_counter() - started
    total = sum(len(t) for t in timings.values())
    endpoints = {e: {"count": len(t), "errors": errors[e],
                     "p50_ms": _pct(t, 0.5) if t else None,
                     "p95_ms": _pct(t, 0.95) if t else None} for e, t in timings.items()}
    worst = max((v["p95_ms"] or 0.0) for v in endpoints.values())
    rps = round(total / wall, 1)
    return {"clients": clients, "duration_s": round(wall, 2), "requests": total,
            "requests_per_s": rps, "errors": sum(errors.values()), "error_statuses": statuses,
            "worst_p95_ms": worst, "endpoints": endpoints,
            "met": {"requests_per_s": rps >= TARGET_RPS, "zero_errors": not sum(errors.values()),
                    "p95_every_endpoint": worst <= TARGET_P95_MS}}


def run_bench(database_url: str | None = None, workers: int | None = None,
              duration: float = 30.0, concurrency: tuple[int, ...] = (20, 50),
              log: Log = print) -> dict[str, Any]:
    """Runs the whole benchmark and returns its figures (see the module doc)."""
    work = Path(tempfile.mkdtemp(prefix="tw-bench-serve-"))
    workers = workers or default_workers()
    load_start = os.getloadavg()[0]
    db = _prepare(database_url, work, log)
    engine = db.engine.dialect.name
    urls = _candidates(db, random.Random(12))
    db.dispose()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log(f"starting `tradewind serve --workers {workers}` on port {port}…")
    started = time.perf_counter()
    proc = _start_server(db, work, port, workers)
    try:
        ready_s = run_coroutine(_wait_ready(base, proc, timeout=180))
        log(f"ready after {ready_s:.1f} s; cold pass over every URL…")
        targets, cold = run_coroutine(_cold_pass(base, urls))
        phases = []
        for n, clients in enumerate(concurrency):
            log(f"{clients} concurrent clients for {duration:.0f} s…")
            phases.append(run_coroutine(_phase(base, targets, clients, duration, n + 1)))
    finally:
        _stop_server(proc)
        log(f"server stopped after {time.perf_counter() - started:.0f} s")
    result = {
        "engine": engine, "workers": workers, "cpu_count": os.cpu_count(),
        "load_1min_start": round(load_start, 2), "load_1min_end": round(os.getloadavg()[0], 2),
        "ready_after_start_s": round(ready_s, 2), "urls": len(targets), "cold": cold,
        "phases": phases,
        "targets": {"requests_per_s": TARGET_RPS, "errors": 0, "p95_ms": TARGET_P95_MS},
        "met": all(all(p["met"].values()) for p in phases),
    }
    if not database_url:
        shutil.rmtree(work, ignore_errors=True)
    return result


"""``tradewind bench brief``: time the composed brief, its PDF and an MCP tool call over HTTP.

Builds its own SAMPLE database (``tradewind init`` steps on a temporary SQLite file, or the
URL given) and never touches the operator's data.  Targets (issue 13): composed answer
p95 ≤ 50 ms, PDF p95 ≤ 1.5 s, MCP tool call over HTTP p95 ≤ 50 ms.  Also timed: the first
market ranking of products no brief asked for (``first_ranking_*``: computed, not cached).
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tradewind.bench.loop import run_coroutine
from tradewind.brief import compose_brief
from tradewind.brief.pdf import render_pdf
from tradewind.db import Database, migrate
from tradewind.settings import Settings

DAY = date(2025, 6, 2)
ORIGINS = ("KEN", "IND", "BRA", "VNM", "ZAF")
DESTINATIONS = ("FRA", "DEU", "USA", "GBR", "JPN")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def _figures(name: str, seconds: list[float]) -> dict[str, float]:
    return {f"{name}_p50_ms": round(statistics.median(seconds) * 1000, 2),
            f"{name}_p95_ms": _p(seconds, 0.95)}


def run_benchmark(database_url: str | None, queries: int = 200,
                  report: Callable[[str], None] = print) -> dict[str, Any]:
    from tradewind.bootstrap import initialise
    from tradewind.nomenclature.models import hs_codes

    tmp = Path(tempfile.mkdtemp(prefix="tw-bench-brief-"))
    db = Database(database_url or f"sqlite:///{tmp / 'bench.db'}")
    migrate.upgrade(db)
    settings = Settings.load(env={}, dotenv=tmp / "absent.env", database_url=db.url,
                             var_dir=str(tmp / "var"), secret_key="bench")
    report("initialising the SAMPLE database…")
    initialise(db, settings, report=lambda _m: None)
    rng = random.Random(13)
    with db.connect() as conn:
        codes = [r[0] for r in conn.execute(select(hs_codes.c.code).where(hs_codes.c.level == 6))]
    cases = [(rng.choice(codes), rng.choice(ORIGINS), rng.choice(DESTINATIONS))
             for _ in range(queries)]
    compose: list[float] = []
    briefs = []
    with db.connect() as conn:
        compose_brief(db, conn, *cases[0], DAY, "FOB", Decimal("10000"))  # warm caches
        for product, origin, destination in cases:
            start = time.perf_counter()
            briefs.append(compose_brief(db, conn, product, origin, destination, DAY, "FOB",
                                        Decimal("10000")))
            compose.append(time.perf_counter() - start)
    report("composed answers timed; rendering PDFs…")
    pdf: list[float] = []
    render_pdf(briefs[0])
    for brief in briefs[: max(10, queries // 10)]:
        start = time.perf_counter()
        render_pdf(brief)
        pdf.append(time.perf_counter() - start)
    report("PDFs timed; ranking markets for products not asked yet…")
    ranking = _first_rankings(db, {c[0] for c in cases})
    report("rankings timed; calling MCP tools over HTTP…")
    mcp = _mcp_calls(db, settings, cases)
    figures: dict[str, Any] = {"queries": queries, "engine": db.engine.dialect.name,
                               "load_1min": os.getloadavg()[0]}
    figures.update(_figures("compose", compose))
    figures.update(_figures("pdf", pdf))
    figures.update(_figures("mcp_http_tool", mcp))
    figures.update(_figures("first_ranking", ranking))
    figures["first_rankings"] = len(ranking)
    db.dispose()
    return figures


def _first_rankings(db: Database, asked: set[str], count: int = 100) -> list[float]:
    """The market ranking of products no brief asked for (none cached: each is computed
    and stored, as the first request for a product is), from Kenya."""
    from tradewind.errors import TradewindError
    from tradewind.flows.models import flow_world
    from tradewind.markets import rank_markets

    timings: list[float] = []
    with db.connect() as conn:
        products = [f"{int(k):06d}" for k in conn.execute(
            select(flow_world.c.hs6).distinct().order_by(flow_world.c.hs6)).scalars()]
        for product in [p for p in products if p not in asked][:count]:
            start = time.perf_counter()
            try:
                rank_markets(conn, product, "KEN", as_of=DAY)
            except TradewindError:
                continue
            timings.append(time.perf_counter() - start)
    return timings


def _mcp_calls(db: Database, settings: Settings, cases: list[tuple[str, str, str]]
               ) -> list[float]:
    import uvicorn
    from mcp import Client

    from tradewind.web.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, db=db), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    timings: list[float] = []

    async def run() -> None:
        async with Client(f"http://127.0.0.1:{port}/mcp") as client:
            for product, origin, destination in cases:
                start = time.perf_counter()
                await client.call_tool("market_access", {
                    "product": product, "origin": origin, "destination": destination,
                    "date": DAY.isoformat()})
                timings.append(time.perf_counter() - start)

    try:
        run_coroutine(run())
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return timings

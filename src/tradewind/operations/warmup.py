"""Work done once when a server process starts, so the first request is as fast as the rest.

The product finder builds its index from the nomenclature (about 2 s); without a warm-up the
first visitor of each worker would wait for it.  The warm-up runs in the application's
lifespan, before uvicorn accepts connections, so ``/readyz`` only answers once it is done.
A failure (an empty database, a missing table) is logged and the server starts anyway: the
index is then built by the first request that needs it, as before.
"""

from __future__ import annotations

import logging
import time

from tradewind.db import Database

log = logging.getLogger(__name__)


def warm_up(db: Database) -> dict[str, float]:
    """Builds the finder index and runs one search; returns seconds per step."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    try:
        from tradewind.finder import search_products

        search_products(db, "coffee", limit=1)
        timings["finder"] = time.perf_counter() - start
    except Exception:  # the server must start even on an empty or partial database
        log.warning("finder warm-up failed; the first search will build the index",
                    exc_info=True)
    log.info("warm-up done in %.2f s", time.perf_counter() - start)
    return timings

"""Cached aggregates (market rankings, statistics) keyed by their inputs and the data version.

The market ranking reads a product's slice of five years of flows, every market's duties and
agreements and scores them: tens of milliseconds on the SAMPLE, more on real data.  Its
result only changes when data are imported, so it is computed once per set of inputs and
*dataset version* (:func:`tradewind.markets.links.data_version`: every import or deletion of
a dataset — flows, tariffs, indicators, geography — records or removes a ``datasets`` row and
so changes it) and kept at two levels:

1. an in-process LRU (:data:`LRU_SIZE` entries), checked first — a hit costs the version
   query (one aggregate over the small ``datasets`` table) and a dictionary lookup;
2. the ``aggregate_cache`` table, shared by every instance and worker on one database: a
   ranking computed by one instance is read by the others by primary key.

Entries of older versions are never read again (the version is part of the key) and are
deleted the next time an entry is stored.  Payloads are pickled objects written only by this
code into the application's own database (as trusted as the password hashes next to them);
the package version is part of the key, so an upgrade never unpickles an older layout.

Writing the shared entry is best effort: a busy SQLite database or any error leaves the
answer computed and served, just not shared.  On PostgreSQL the write commits without
waiting for the WAL flush (``synchronous_commit = off`` for that transaction only): an entry
lost in a crash is computed again.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, select

from tradewind import __version__
from tradewind.aggcache.models import aggregate_cache

log = logging.getLogger(__name__)
T = TypeVar("T")

LRU_SIZE = 512
#: How long (ms) a cache write waits for SQLite's write lock before giving up.
SQLITE_WRITE_WAIT_MS = 200

_lock = threading.Lock()
_lru: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_stats = {"memory": 0, "database": 0, "computed": 0}


def version_of(conn: Connection) -> tuple[Any, ...]:
    """The dataset version (changes with every import or deletion of a dataset)."""
    from tradewind.markets.links import data_version

    return data_version(conn)


def _digest(kind: str, inputs: tuple[Any, ...], version: tuple[Any, ...]) -> tuple[str, str]:
    v = hashlib.sha256(repr((__version__, version)).encode()).hexdigest()
    k = hashlib.sha256(repr((kind, inputs, v)).encode()).hexdigest()
    return k, v


def _remember(key: tuple[Any, ...], value: Any) -> None:
    with _lock:
        _lru[key] = value
        _lru.move_to_end(key)
        while len(_lru) > LRU_SIZE:
            _lru.popitem(last=False)


def cached_aggregate(conn: Connection, kind: str, inputs: tuple[Any, ...],
                     compute: Callable[[], T], version: tuple[Any, ...] | None = None) -> T:
    """``compute()`` for these inputs at the current dataset version, from the in-process LRU,
    else the shared table, else computed (and stored in both).

    ``inputs`` must contain everything the result depends on besides the data (resolved
    dates included) and have a stable ``repr``.  The result must not be mutated by callers.
    """
    version = version if version is not None else version_of(conn)
    memory_key = (kind, inputs, version)
    with _lock:
        found = _lru.get(memory_key, _lru)
        if found is not _lru:
            _lru.move_to_end(memory_key)
            _stats["memory"] += 1
            return found  # type: ignore[no-any-return]
    key, v = _digest(kind, inputs, version)
    payload = _read(conn, key)
    if payload is not None:
        try:
            value: T = pickle.loads(payload)  # written by this code (module doc)
        except Exception:  # a layout this process cannot read: recompute
            log.warning("unreadable cached %s entry; recomputing", kind, exc_info=True)
        else:
            _stats["database"] += 1
            _remember(memory_key, value)
            return value
    value = compute()
    _stats["computed"] += 1
    _remember(memory_key, value)
    _store(conn, key, kind, v, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _read(conn: Connection, key: str) -> bytes | None:
    try:
        row = conn.execute(select(aggregate_cache.c.payload)
                           .where(aggregate_cache.c.key == key)).first()
    except Exception:  # table absent (database not upgraded yet): compute instead
        log.debug("aggregate cache unavailable", exc_info=True)
        return None
    return None if row is None else bytes(row[0])


def _store(conn: Connection, key: str, kind: str, version: str, payload: bytes) -> None:
    """Writes the entry on its own short transaction (the caller's connection may be reading)
    and drops entries of older versions."""
    engine = conn.engine
    try:
        with engine.connect() as writer:
            sqlite = writer.dialect.name == "sqlite"
            if sqlite:
                writer.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_WRITE_WAIT_MS}")
                writer.commit()
            try:
                with writer.begin():
                    upsert: Any
                    if writer.dialect.name == "postgresql":
                        # a cache entry can be lost in a crash (it is recomputed): the
                        # commit need not wait for the WAL flush, which under load costs
                        # more than computing most entries
                        writer.exec_driver_sql("SET LOCAL synchronous_commit = off")
                        from sqlalchemy.dialects.postgresql import insert as upsert
                    else:
                        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[no-redef]
                    writer.execute(upsert(aggregate_cache).values(
                        key=key, kind=kind, version=version, payload=payload,
                        created_at=datetime.now(UTC)).on_conflict_do_nothing())
                    writer.execute(delete(aggregate_cache)
                                   .where(aggregate_cache.c.version != version))
            finally:
                if sqlite:
                    writer.exec_driver_sql("PRAGMA busy_timeout=10000")
                    writer.commit()
    except Exception:  # best effort: the answer is served anyway
        log.debug("aggregate cache entry not stored", exc_info=True)


def clear_memory() -> None:
    """Forget the in-process entries (tests; the shared table is keyed by version anyway),
    including the derived figures of :func:`tradewind.markets.links.cached`."""
    from tradewind.markets.links import clear_derived

    with _lock:
        _lru.clear()
    clear_derived()


def stats() -> dict[str, int]:
    """Hits from memory and from the database, and computations, since the process started."""
    return dict(_stats)


def entries(conn: Connection) -> int:
    """Entries in the shared table (all versions)."""
    return int(conn.execute(select(func.count()).select_from(aggregate_cache)).scalar() or 0)


__all__ = ["cached_aggregate", "clear_memory", "entries", "stats", "version_of"]

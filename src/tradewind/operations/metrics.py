"""Prometheus metrics: request latency by route, import durations, outbox depth, datasets.

Counters live in one :class:`~prometheus_client.CollectorRegistry` per process.  With
``tradewind serve --workers N`` each worker answers for itself unless ``PROMETHEUS_MULTIPROC_DIR``
is set (prometheus-client's multiprocess mode, see docs/operations.md).  Figures read from the
database (outbox depth, last import per dataset kind) are collected at scrape time, so they agree
across instances.  Imports run by the CLI are separate processes: they time themselves and, when
``TRADEWIND_METRICS_TEXTFILE`` names a file, write it for node_exporter's textfile collector.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC

from prometheus_client import CollectorRegistry, Histogram, generate_latest, write_to_textfile
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from tradewind.db import Database

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REGISTRY = CollectorRegistry(auto_describe=True)
REQUEST_SECONDS = Histogram(
    "tradewind_http_request_duration_seconds", "Time to answer an HTTP request, by route.",
    ["method", "route", "status"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
IMPORT_SECONDS = Histogram(
    "tradewind_import_duration_seconds", "Time taken by a data import, by importer.",
    ["importer", "outcome"], buckets=(0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800),
    registry=REGISTRY)


class DatabaseCollector(Collector):
    """Gauges read from the database when Prometheus scrapes (shared by every instance)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterable[Metric]:
        from tradewind.datasets.models import datasets

        last_import = GaugeMetricFamily(
            "tradewind_dataset_last_import_timestamp_seconds",
            "When the newest dataset of each kind was imported (Unix time).", labels=["kind"])
        rows_gauge = GaugeMetricFamily(
            "tradewind_datasets", "Datasets recorded, by kind and SAMPLE flag.",
            labels=["kind", "sample"])
        outbox = GaugeMetricFamily(
            "tradewind_watch_outbox_depth", "Alert deliveries in the outbox, by status.",
            labels=["status"])
        with self.db.connect() as conn:
            for row in conn.execute(select(datasets.c.kind, datasets.c.is_sample,
                                           func.count(), func.max(datasets.c.imported_at))
                                    .group_by(datasets.c.kind, datasets.c.is_sample)):
                rows_gauge.add_metric([row[0], "true" if row[1] else "false"], float(row[2]))
                newest = row[3]
                if newest is not None:
                    if newest.tzinfo is None:
                        newest = newest.replace(tzinfo=UTC)
                    last_import.add_metric([row[0]], newest.timestamp())
            for status, count in _outbox_depth(conn):
                outbox.add_metric([status], float(count))
        yield last_import
        yield rows_gauge
        yield outbox


def _outbox_depth(conn: object) -> list[tuple[str, int]]:
    try:
        from tradewind.watch.models import watch_outbox
    except ImportError:  # alerts not installed in this build
        return []
    rows = conn.execute(  # type: ignore[attr-defined]
        select(watch_outbox.c.status, func.count()).group_by(watch_outbox.c.status))
    return [(str(status), int(count)) for status, count in rows]


def render_metrics(db: Database) -> bytes:
    """The exposition text: this process's (or all workers') metrics plus database gauges."""
    registry = CollectorRegistry(auto_describe=True)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
        output = generate_latest(registry)
    else:
        output = generate_latest(REGISTRY)
    db_registry = CollectorRegistry(auto_describe=False)
    db_registry.register(DatabaseCollector(db))
    return output + generate_latest(db_registry)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, f"{status // 100}xx").observe(seconds)


@contextmanager
def timed_import(importer: str) -> Iterator[None]:
    """Time one import; write the textfile when ``TRADEWIND_METRICS_TEXTFILE`` is set."""
    started = time.perf_counter()
    outcome = "error"
    try:
        yield
        outcome = "ok" if sys.exc_info()[0] in (None, SystemExit) else "error"
    finally:
        IMPORT_SECONDS.labels(importer, outcome).observe(time.perf_counter() - started)
        textfile = os.environ.get("TRADEWIND_METRICS_TEXTFILE", "").strip()
        if textfile:
            write_to_textfile(textfile, REGISTRY)

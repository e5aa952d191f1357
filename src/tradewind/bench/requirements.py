"""``tradewind bench requirements``: the full requirements answer over 100,000 measures and
50,000 notifications, and the import of 50,000 notifications.

The data are generated (deterministic seed): measures of 12 economies with 1–3 HS codes each
(chapters, headings and subheadings), some limited to listed origins, with documents; WTO
notifications over two years with HS codes and comment deadlines, written as a notification
JSON file and imported with the real importer (timed).  The answer timed is what the pages
serve: :func:`requirements_for` plus the procedure and the documents checklist.  On
PostgreSQL the figures are taken in a schema of their own, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, insert, text

from tradewind.db import Database, migrate

TARGET_P95_MS = 20.0
TARGET_IMPORT_S = 15.0
ECONOMIES = ("USA", "EUN", "GBR", "KEN", "IND", "BRA", "JPN", "CHN", "ZAF", "NGA", "CAN", "AUS")
DESTINATIONS = ("FRA", "USA", "KEN", "IND", "DEU", "JPN", "BRA", "GBR")
CODES = ("A83", "A84", "A21", "A31", "A15", "B31", "B83", "B7", "B82", "C1", "E1", "F7")
# one schema per process: two benches on one server must not drop each other's schema
SCHEMA = f"tw_procedures_bench_{os.getpid()}"


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


@contextmanager
def bench_database(database_url: str | None, tmp: Path, schema: str = SCHEMA
                   ) -> Iterator[Database]:
    """A fresh migrated database: temporary SQLite, or a schema of its own on PostgreSQL
    (``schema``: give each benchmark its own, so that two running at once do not drop each
    other's)."""
    SCHEMA = schema
    if not database_url:
        db = Database(f"sqlite:///{tmp / 'requirements.db'}")
        migrate.upgrade(db)
        yield db
        db.dispose()
        return
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    separator = "&" if "?" in database_url else "?"
    db = Database(f"{database_url}{separator}options={quote(f'-csearch_path={SCHEMA}')}")
    try:
        migrate.upgrade(db)
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()


def _hs(rng: random.Random) -> str:
    chapter = rng.randint(1, 97)
    if chapter == 77:
        chapter = 78
    level = rng.choice((2, 4, 4, 6, 6, 6))
    code = f"{chapter:02d}{rng.randint(1, 30):02d}{rng.randint(10, 99):02d}"
    return code[:level]


def load_measures(db: Database, count: int, rng: random.Random) -> None:
    from tradewind.datasets.queries import record_dataset
    from tradewind.requirements.models import (
        measure_documents,
        measure_origins,
        measure_products,
        measures,
    )

    with db.transaction() as conn:
        dataset_id = record_dataset(conn, kind="requirements", name="bench measures",
                                    source="generated", licence="-", edition="bench",
                                    row_count=count)
        batch = 5000
        for start in range(0, count, batch):
            rows, products, origins, documents = [], [], [], []
            for i in range(start, min(count, start + batch)):
                rows.append({"id": i + 1, "dataset_id": dataset_id,
                             "economy": ECONOMIES[i % len(ECONOMIES)],
                             "mast_code": CODES[rng.randrange(len(CODES))],
                             "title": f"Measure {i}", "summary": "Generated for the benchmark.",
                             "legal_reference": "", "source_url": "", "agency": "Agency",
                             "valid_from": date(2015, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                             "valid_to": None, "origins_scope": "all", "hs_edition": "HS2022",
                             "updated_by": "", "deleted_by": ""})
                for code in {_hs(rng) for _ in range(rng.randint(1, 3))}:
                    products.append({"measure_id": i + 1, "hs_code": code})
                if rng.random() < 0.1:
                    rows[-1]["origins_scope"] = "list"
                    origins.append({"measure_id": i + 1, "economy": rng.choice(DESTINATIONS)})
                documents.append({"measure_id": i + 1, "name": rng.choice(
                    ("Phytosanitary certificate", "Declaration of conformity",
                     "Laboratory test report", "Import permit"))})
            conn.execute(insert(measures), rows)
            conn.execute(insert(measure_products), products)
            if origins:
                conn.execute(insert(measure_origins), origins)
            conn.execute(insert(measure_documents), documents)


def notifications_file(path: Path, count: int, rng: random.Random, today: date) -> Path:
    members = ("USA", "EU", "GBR", "KEN", "IND", "BRA", "JPN", "CHN", "CAN", "AUS")
    items = []
    for i in range(count):
        member = members[i % len(members)]
        area = "SPS" if i % 2 else "TBT"
        distributed = today - timedelta(days=rng.randint(0, 720))
        hs = sorted({_hs(rng).ljust(4, "0")[:rng.choice((4, 6))] for _ in range(rng.randint(1, 2))})
        items.append({"DocumentSymbol": f"G/{area}/N/{member}/{10000 + i}", "Area": area,
                      "DistributionDate": distributed.isoformat(),
                      "CommentDeadline": (distributed + timedelta(days=60)).isoformat(),
                      "Title": f"Generated notification {i}", "Description": "Benchmark.",
                      "HSCodes": hs, "Products": "generated products"})
    path.write_text(json.dumps(items), "utf-8")
    return path


def settle(db: Database) -> None:
    """The state a database reaches after a bulk load once its maintenance has run, before
    the timing starts: planner statistics, and on PostgreSQL the visibility map and hint bits
    that autovacuum sets (without them the first reads of freshly written pages write
    them, and index-only scans visit the heap).  PostgreSQL: the bench's own tables only."""
    from tradewind.db import metadata

    if not db.is_postgresql:
        with db.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in metadata.sorted_tables:
            conn.exec_driver_sql(f'VACUUM (ANALYZE) "{table.name}"')


def run_bench(*, database_url: str | None = None, measures: int = 100_000,
              notifications: int = 50_000, samples: int = 300, seed: int = 1,
              report: Callable[[str], None] = print) -> dict[str, Any]:
    from tradewind.agreements.init import load_groups
    from tradewind.ingest.wto_notifications_json import import_wto_notifications_json
    from tradewind.procedures.answer import attach_procedures
    from tradewind.procedures.sample import init_sample_procedures
    from tradewind.requirements.queries import requirements_for

    rng = random.Random(seed)
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp_text, \
            bench_database(database_url, Path(tmp_text)) as db:
        tmp = Path(tmp_text)
        with db.transaction() as conn:
            load_groups(conn)
        init_sample_procedures(db, None, lambda _m: None)  # type: ignore[arg-type]
        report(f"Loading {measures:,} generated measures…")
        start = time.perf_counter()
        load_measures(db, measures, rng)
        load_s = time.perf_counter() - start
        path = notifications_file(tmp / "notifications.json", notifications, rng, today)
        report(f"Importing {notifications:,} notifications…")
        start = time.perf_counter()
        imported = import_wto_notifications_json(db, path, infer=None)
        import_s = time.perf_counter() - start
        settle(db)
        queries = [(_hs(rng).ljust(6, "1")[:6], DESTINATIONS[i % len(DESTINATIONS)],
                    rng.choice(ECONOMIES[3:])) for i in range(samples)]
        timings: list[float] = []
        found = 0
        with db.connect() as conn:
            for product, destination, origin in queries:
                t0 = time.perf_counter()
                result = attach_procedures(conn, requirements_for(
                    conn, product=product, destination=destination, origin=origin,
                    as_of=today))
                timings.append((time.perf_counter() - t0) * 1000)
                found += result.count
        p95 = _p(timings, 0.95)
        return {
            "backend": db.dialect, "measures": measures,
            "notifications": imported.notifications, "samples": samples, "seed": seed,
            "load_measures_s": round(load_s, 2),
            "import_notifications_s": round(import_s, 2),
            "import_target_s": TARGET_IMPORT_S, "import_ok": import_s <= TARGET_IMPORT_S,
            "answer_p50_ms": _p(timings, 0.5), "answer_p95_ms": p95,
            "answer_max_ms": round(max(timings), 3), "answer_target_p95_ms": TARGET_P95_MS,
            "answer_ok": p95 <= TARGET_P95_MS, "measures_found_per_answer":
                round(found / max(1, samples), 2),
        }


def render(figures: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in figures.items())

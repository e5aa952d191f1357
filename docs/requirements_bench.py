"""Rough figures for the requirements importer and requirements_for (see BENCHMARKS.md)."""

import statistics
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

from tradewind.agreements.init import load_groups
from tradewind.db import Database, migrate
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.requirements.queries import requirements_for

ECONOMIES = ["USA", "EUN", "GBR", "KEN", "IND", "BRA", "JPN", "FRA", "DEU", "CHN"]
CODES = ["A83", "A84", "A21", "B31", "B83", "B7", "C1", "E1"]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    db = Database(f"sqlite:///{tmp / 'b.db'}")
    migrate.upgrade(db)
    with db.connect() as conn, conn.begin():
        load_groups(conn)
    rows = []
    for i in range(20000):
        h = zlib.crc32(str(i).encode())
        hs = " ".join(f"{(h >> k) % 97 + 1:02d}{(h >> (k + 7)) % 99:02d}" for k in (0, 5, 11))
        rows.append(f"{ECONOMIES[h % 10]},{CODES[(h >> 3) % 8]},{hs},,Measure {i},S,,,,"
                    "2020-01-01,,Doc")
    path = tmp / "m.csv"
    path.write_text(",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n")
    started = time.perf_counter()
    import_requirements_csv(db, path)
    imported = time.perf_counter() - started
    times = []
    with db.connect() as conn:
        for i in range(300):
            started = time.perf_counter()
            requirements_for(conn, product=f"{i % 97 + 1:02d}{i % 99:02d}11", destination="FRA",
                             origin="KEN", as_of=date(2024, 1, 1))
            times.append(time.perf_counter() - started)
    times.sort()
    print(f"import 20000 measures: {imported:.2f}s; query median "
          f"{statistics.median(times) * 1000:.1f} ms, p95 {times[int(len(times) * .95)] * 1000:.1f}"
          f" ms, max {times[-1] * 1000:.1f} ms")


if __name__ == "__main__":
    main()

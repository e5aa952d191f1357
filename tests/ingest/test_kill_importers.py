"""SIGKILL in the middle of an import leaves the old data or the new, never a mix.

For each importer, on each engine: the old data is loaded; a child process starts importing
the new data and freezes at a chosen point of the load (the middle data-changing statement,
or the final commit: see ``kill_child``); the parent reads the child's ``frozen`` line (a
blocking read, no sleep), kills it with SIGKILL, and checks that the database holds exactly
the old data; then it runs the new import and checks that it gives what the new data gives.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import DateTime, event, select
from sqlalchemy.engine import Engine

from tests.conftest import wipe
from tests.ingest.importers import Importer, importers
from tests.ingest.kill_child import WRITES
from tests.ingest.test_fuzz_importers import snapshot
from tradewind.db import Database
from tradewind.db.tables import metadata

ROOT = Path(__file__).resolve().parents[2]
_IDS = re.compile(r"\b([a-z_]+):\d+\b")  # references such as 'measure:12' carry row ids
IMPORTERS = importers()


@contextmanager
def recorded() -> Iterator[list[str]]:
    """The data-changing statements and commits run inside the block, in order."""
    seen: list[str] = []

    def on_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            seen.append("write")

    def on_commit(conn: Any) -> None:
        seen.append("commit")

    event.listen(Engine, "before_cursor_execute", on_statement)
    event.listen(Engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", on_statement)
        event.remove(Engine, "commit", on_commit)


def content(db: Database) -> dict[str, list[str]]:
    """Every table's distinct rows without ids and timestamps (which differ from run to run;
    provenance rows repeat once per import)."""
    out: dict[str, list[str]] = {}
    with db.connect() as conn:
        for table in metadata.sorted_tables:
            keep = [c for c in table.columns
                    if not isinstance(c.type, DateTime) and c.name != "id"
                    and not c.name.endswith("_id") and not c.foreign_keys]
            out[table.name] = sorted({_IDS.sub(r"\1:#", repr(tuple(r)))
                                      for r in conn.execute(select(*keep))})
    return out


def stop_points(events: list[str]) -> dict[str, int]:
    """1-based event numbers to freeze at: the middle write, and the commit that follows the
    last write (the one that publishes the data; later commits only restore settings)."""
    writes = [i for i, e in enumerate(events, 1) if e == "write"]
    commits = [i for i, e in enumerate(events, 1) if e == "commit" and i > writes[-1]]
    return {"middle-write": writes[(len(writes) - 1) // 2], "final-commit": commits[0]}


def kill_at(db: Database, importer: Importer, files: list[Path], stop: int) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.kill_child", db.url, importer.name, str(stop),
         *map(str, files)], cwd=ROOT, env=env, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()  # blocks until the child is frozen (or ends)
    if not line.startswith("frozen"):
        child.kill()
        _out, err = child.communicate()
        pytest.fail(f"the child did not freeze at event {stop}: {line!r} {err[-2000:]}")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    child.communicate()
    return line.split()[1]


@pytest.mark.parametrize("point", ["middle-write", "final-commit"])
@pytest.mark.parametrize("importer", IMPORTERS, ids=[i.name for i in IMPORTERS])
def test_sigkill_leaves_the_old_data_or_the_new(db: Database, tmp_path: Path,
                                                importer: Importer, point: str) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = importer.write(tmp_path / "old", 0)
    new = importer.write(tmp_path / "new", 1)

    def load_old() -> None:
        wipe(db)
        importer.setup(db)
        importer.run(db, old)

    load_old()
    with recorded() as events:
        importer.run(db, new)
    expected_new = content(db)
    load_old()  # from scratch: some importers only ever add (notifications)
    old_content = content(db)
    assert old_content != expected_new, "the two versions must differ to show a mix"
    before = snapshot(db)

    frozen = kill_at(db, importer, new, stop_points(events)[point])

    assert frozen == point.split("-")[1]
    assert snapshot(db) == before, f"SIGKILL at the {point} left a partial import"
    importer.run(db, new)
    assert content(db) == expected_new

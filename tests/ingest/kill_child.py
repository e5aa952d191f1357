"""Child process of the SIGKILL tests: runs one import and freezes at a chosen write.

``python -m tests.ingest.kill_child URL IMPORTER STOP FILE…`` counts the data-changing SQL
statements and commits the import sends (SQLAlchemy's ``before_cursor_execute`` and
``commit`` events, registered here, in the test's process only; the product has no hook);
at event number STOP it prints ``frozen <event>`` on stdout and blocks reading stdin, so the
parent can SIGKILL it exactly there.  ``STOP`` 0 means "run to the end and print the events",
which is how the parent learns where the middle and the final commit are.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.ingest.importers import by_id
from tradewind.db import Database

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "COPY", "TRUNCATE",
          "REPLACE", "WITH")


def main(url: str, ident: str, stop: int, files: list[Path]) -> None:
    seen: list[str] = []

    def reached(kind: str) -> None:
        seen.append(kind)
        if len(seen) == stop:
            sys.stdout.write(f"frozen {kind}\n")
            sys.stdout.flush()
            sys.stdin.read()  # the parent never writes: this blocks until SIGKILL
            os._exit(3)  # the parent went away without killing: never finish the import

    def on_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            reached("write")

    def on_commit(conn: Any) -> None:
        reached("commit")

    event.listen(Engine, "before_cursor_execute", on_statement)
    event.listen(Engine, "commit", on_commit)
    by_id(ident).run(Database(url), files)
    sys.stdout.write("events " + " ".join(seen) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), [Path(p) for p in sys.argv[4:]])

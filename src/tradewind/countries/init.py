"""Init step: the ISO 3166 list, loaded once."""

from sqlalchemy import func, select

from tradewind.bootstrap import Report
from tradewind.countries.models import countries
from tradewind.countries.reference import load_countries
from tradewind.db import Database
from tradewind.settings import Settings


def init_countries(db: Database, settings: Settings, report: Report) -> None:
    with db.transaction() as conn:
        if conn.execute(select(func.count()).select_from(countries)).scalar_one():
            return
        report(f"  {load_countries(conn)} countries loaded")

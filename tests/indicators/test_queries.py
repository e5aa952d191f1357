"""Indicator reads over a small World Bank file."""

from pathlib import Path

from tradewind.db import Database
from tradewind.indicators.queries import GDP, aggregate_value, latest_values, series
from tradewind.ingest.worldbank import import_worldbank


def test_series_latest_and_aggregates(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gdp.csv"
    path.write_text("Country Name,Country Code,Year,Value\nKenya,KEN,2020,10\nKenya,KEN,2021,12\n"
                    "Peru,PER,2020,30\nWorld,WLD,2021,1000\n", encoding="utf-8")
    import_worldbank(db, path)
    with db.connect() as conn:
        assert series(conn, GDP, "ken") == [(2020, 10.0), (2021, 12.0)]
        assert latest_values(conn, GDP) == {"KEN": (2021, 12.0), "PER": (2020, 30.0)}
        assert latest_values(conn, GDP, up_to=2020)["KEN"] == (2020, 10.0)
        assert aggregate_value(conn, GDP, "WLD", 2021) == 1000.0
        assert aggregate_value(conn, GDP, "WLD", 2019) is None

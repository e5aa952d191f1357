"""World Bank indicator importer: real GDP/population files, aggregates kept apart, broken files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.flows.helpers import snapshot
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.models import indicator_aggregates, indicators
from tradewind.ingest.worldbank import GDP, POPULATION, import_worldbank

HEADER = "Country Name,Country Code,Year,Value\n"


def test_real_gdp_and_population(db: Database, shared_data: Path) -> None:
    gdp = import_worldbank(db, shared_data / "world-bank" / "gdp.csv")
    pop = import_worldbank(db, shared_data / "world-bank" / "population.csv")
    assert (gdp.indicator, pop.indicator) == (GDP, POPULATION)
    assert gdp.unmatched == {} and pop.unmatched == {}
    with (shared_data / "world-bank" / "gdp.csv").open(encoding="utf-8", newline="") as fh:
        zaf_2021 = next(float(r["Value"]) for r in csv.DictReader(fh)
                        if r["Country Code"] == "ZAF" and r["Year"] == "2021")
    with db.connect() as conn:
        value = conn.execute(select(indicators.c.value).where(
            indicators.c.indicator == GDP, indicators.c.iso3 == "ZAF",
            indicators.c.year == 2021)).scalar_one()
        world = conn.execute(select(indicator_aggregates.c.name).where(
            indicator_aggregates.c.code == "WLD").limit(1)).scalar_one()
        wld_as_country = conn.execute(select(indicators.c.iso3).where(
            indicators.c.iso3.in_(["WLD", "SSF", "LMC"]))).first()
        kosovo = conn.execute(select(indicators.c.value).where(
            indicators.c.iso3 == "XKX").limit(1)).first()
    assert value == pytest.approx(zaf_2021)
    assert world == "World"
    assert wld_as_country is None
    assert kosovo is not None  # XKX is an economy, not an aggregate
    assert gdp.aggregates >= 40


def test_reimport_replaces(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gdp.csv"
    path.write_text(HEADER + "Kenya,KEN,2020,100.5\nWorld,WLD,2020,1000\n", encoding="utf-8")
    import_worldbank(db, path)
    path.write_text(HEADER + "Kenya,KEN,2021,200\n", encoding="utf-8")
    import_worldbank(db, path)
    with db.connect() as conn:
        rows = conn.execute(select(indicators.c.iso3, indicators.c.year)).all()
    assert rows == [("KEN", 2021)]


def test_unknown_code_reported_blank_skipped(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text(HEADER + 'Kenya,KEN,2020,5\n"Atlantis, Rep.",ATL,2020,7\nPeru,PER,2020,\n',
                    encoding="utf-8")
    result = import_worldbank(db, path)
    assert result.unmatched == {"ATL": "Atlantis, Rep."}
    assert result.blank_values == 1
    assert "ATL" in result.notes()


@pytest.mark.parametrize(("content", "line", "field", "problem"), [
    ("Name,Code,Year,Value\nKenya,KEN,2020,1\n", 1, "Country Name", "expected columns"),
    (HEADER + "Kenya,KEN,2020,1\nKenya,KEN,2021,abc\n", 3, "Value", "not a number"),
    (HEADER + "Kenya,KEN,2020,1\nKenya,KEN,2020,2\n", 3, "Country Code", "duplicate"),
    (HEADER + "Kenya,KEN,2020,1\nKenya,KEN,20", 3, None, "expected 4 fields"),
    (HEADER + "Kenya,KEN,20x0,1\n", 2, "Year", "not a year"),
])
def test_broken_files(db: Database, tmp_path: Path, content: str, line: int,
                      field: str | None, problem: str) -> None:
    path = tmp_path / "gdp.csv"
    path.write_text(content, encoding="utf-8")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match=problem) as caught:
        import_worldbank(db, path)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    if field:
        assert caught.value.field == field
    assert snapshot(db) == before


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gdp.csv"
    path.write_bytes(HEADER.encode() + b"Kenya,KEN,2020,1\nC\xf4te d'Ivoire,CIV,2020,2\n")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match="not UTF-8") as caught:
        import_worldbank(db, path)
    assert caught.value.line == 3
    assert snapshot(db) == before


def test_indicator_needed_when_name_says_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "Kenya,KEN,2020,1\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="--indicator"):
        import_worldbank(db, path)
    assert import_worldbank(db, path, indicator="NY.GDP.PCAP.CD").values == 1

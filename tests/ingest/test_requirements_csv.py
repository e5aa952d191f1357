"""Tradewind requirements template importer: good file, template file, one broken file per error."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.changes.models import change_events
from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.requirements_csv import COLUMNS, import_requirements_csv
from tradewind.requirements.models import measure_products, measures
from tradewind.requirements.queries import requirements_for

HEADER = ",".join(COLUMNS) + "\n"
GOOD = [
    "KEN,A83,0901 0902,,Phytosanitary certificate,Needs a certificate,Act 1,"
    "https://example.org/a,KEPHIS,2020-01-01,,Phytosanitary certificate; Import permit",
    "KEN,B31,0901.21;2101,UGA TZA,Label in English,Label rules,,,KEBS,,2030-12-31,",
]


def _file(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "req.csv") -> Path:
    path = tmp_path / name
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_writes_measures_provenance_and_events(db: Database, tmp_path: Path) -> None:
    result = import_requirements_csv(db, _file(tmp_path, GOOD))
    assert (result.measures, result.economies) == (2, ["KEN"])
    assert _count(db, measures) == 2
    assert _count(db, measure_products) == 4
    with db.connect() as conn:
        kinds = [r[0] for r in conn.execute(select(change_events.c.kind))]
        dataset = conn.execute(select(datasets).where(
            datasets.c.id == result.dataset_id)).one()
        answer = requirements_for(conn, product="090121", destination="KEN", origin="UGA",
                                  as_of=date(2024, 5, 1))
    assert kinds == ["measure.new", "measure.new"]
    assert dataset.kind == "requirements" and not dataset.is_sample
    assert [m.mast_code for c in answer.chapters for m in c.measures] == ["A83", "B31"]
    assert answer.chapters[0].measures[0].documents == ["Phytosanitary certificate",
                                                        "Import permit"]


def test_reimport_replaces_previous_import(db: Database, tmp_path: Path) -> None:
    import_requirements_csv(db, _file(tmp_path, GOOD))
    import_requirements_csv(db, _file(tmp_path, GOOD[:1], name="again.csv"))
    assert _count(db, measures) == 1
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(datasets)).scalar_one() == 1


def test_shipped_template_imports(db: Database) -> None:
    template = resources.files("tradewind.requirements") / "template.csv"
    with resources.as_file(template) as path:
        result = import_requirements_csv(db, path)
    assert result.economies == ["EUN", "KEN"]


BROKEN = [
    ("mast", "KEN,Z99,0901,,T,S,,,,,,", "mast_code", "unknown MAST code"),
    ("hs", "KEN,A83,09011,,T,S,,,,,,", "hs_codes", "bad HS code"),
    ("hs-missing", "KEN,A83,,,T,S,,,,,,", "hs_codes", "hs_codes missing"),
    ("date", "KEN,A83,0901,,T,S,,,,2020-13-45,,", "valid_from", "bad date"),
    ("order", "KEN,A83,0901,,T,S,,,,2021-01-01,2020-01-01,", "valid_to", "before"),
    ("economy", "XXQ,A83,0901,,T,S,,,,,,", "economy", "unknown economy"),
    ("origin", "KEN,A83,0901,ZZZ,T,S,,,,,,", "origins", "unknown economy"),
    ("title", "KEN,A83,0901,,,S,,,,,,", "title", "title missing"),
    ("url", "KEN,A83,0901,,T,S,,ftp://x,,,,", "source_url", "http"),
]


@pytest.mark.parametrize(("name", "row", "field", "message"), BROKEN,
                         ids=[b[0] for b in BROKEN])
def test_broken_row_names_file_line_and_field(db: Database, tmp_path: Path, name: str,
                                              row: str, field: str, message: str) -> None:
    path = _file(tmp_path, [GOOD[0], row])
    with pytest.raises(ImportFailed) as exc:
        import_requirements_csv(db, path)
    assert (exc.value.file, exc.value.line, exc.value.field) == (str(path), 3, field)
    assert message in str(exc.value)
    assert _count(db, measures) == 0  # nothing written, not even the good first row
    assert _count(db, change_events) == 0


def test_missing_column(db: Database, tmp_path: Path) -> None:
    path = _file(tmp_path, ["KEN,A83,0901"], header="economy,mast_code,hs_codes\n")
    with pytest.raises(ImportFailed, match=r"missing column.*origins") as exc:
        import_requirements_csv(db, path)
    assert exc.value.line == 1


def test_empty_file(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ImportFailed, match="empty"):
        import_requirements_csv(db, path)


def test_header_only_file(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="no measures"):
        import_requirements_csv(db, _file(tmp_path, []))


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "KEN,A83,0901,,Certificat phytosanitaire é,S,,,,,,\n")
                     .encode("latin-1"))
    with pytest.raises(ImportFailed, match="not valid UTF-8") as exc:
        import_requirements_csv(db, path)
    assert exc.value.line == 2
    assert _count(db, measures) == 0


def test_change_event_names_market_product_and_date(db: Database, tmp_path: Path) -> None:
    import_requirements_csv(db, _file(tmp_path, GOOD))
    with db.connect() as conn:
        rows = list(conn.execute(select(change_events).order_by(change_events.c.id)))
    assert [(r.market, r.hs_code) for r in rows] == [("KEN", "09"), ("KEN", None)]
    assert rows[0].effective_date == date(2020, 1, 1)
    assert rows[0].details["hs_codes"] == ["0901", "0902"]
    assert rows[0].reference.startswith("measure:")

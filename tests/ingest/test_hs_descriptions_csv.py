"""French/Spanish HS descriptions importer: atomic, provenance, broken files refused clearly,
and the imported text reaching pages, API and finder in the reader's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import current_language
from tradewind.ingest.hs_descriptions_csv import import_descriptions
from tradewind.ingest.nomenclature_csv import import_nomenclature
from tradewind.nomenclature import queries as q
from tradewind.nomenclature.models import hs_descriptions

HEADER = "section,hscode,description,parent,level\n"
ENGLISH = HEADER + (
    "I,01,Animals; live,TOTAL,2\n"
    'I,0101,"Horses, asses, mules and hinnies; live",01,4\n'
    'I,010121,"Horses; live, pure-bred breeding animals",0101,6\n'
    "I,010129,Horses; live; other,0101,6\n"
    'II,09,"Coffee, tea, maté and spices",TOTAL,2\n'
    "II,0901,Coffee,09,4\n"
    "II,090121,Coffee; roasted,0901,6\n"
)
SECTIONS_EN = "section,name\nI,Live animals; animal products\nII,Vegetable products\n"
FRENCH = HEADER + (
    "I,01,Animaux vivants,TOTAL,2\n"
    'I,0101,"Chevaux, ânes, mulets et bardots, vivants",01,4\n'
    'I,010121,"Chevaux vivants, reproducteurs de race pure",0101,6\n'
    "II,09,\"Café, thé, maté et épices\",TOTAL,2\n"
    "II,0901,Café,09,4\n"
    "II,090121,Café torréfié,0901,6\n"
)
SECTIONS_FR = "section,name\nI,Animaux vivants et produits du règne animal\n"


def write(tmp_path: Path, text: str, name: str = "hs_fr.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def hs(db: Database, tmp_path: Path) -> Database:
    """A small HS 2022 (English) in an empty database."""
    import_nomenclature(db, write(tmp_path, ENGLISH, "hs2022.csv"), edition="HS2022",
                        sections_path=write(tmp_path, SECTIONS_EN, "sections.csv"))
    return db


def count(db: Database) -> tuple[int, int]:
    with db.connect() as conn:
        return (int(conn.execute(select(func.count()).select_from(hs_descriptions)).scalar_one()),
                int(conn.execute(select(func.count()).select_from(datasets)).scalar_one()))


def in_language(lang: str):  # type: ignore[no-untyped-def]
    class _Lang:
        def __enter__(self) -> None:
            self.token = current_language.set(lang)

        def __exit__(self, *exc: object) -> None:
            current_language.reset(self.token)
    return _Lang()


def test_imports_french_with_provenance_and_pages_read_it(hs: Database, tmp_path: Path) -> None:
    result = import_descriptions(hs, write(tmp_path, FRENCH), lang="fr",
                                 sections_path=write(tmp_path, SECTIONS_FR, "sections_fr.csv"),
                                 source="WCO French edition (operator's copy)",
                                 licence="WCO licence to the operator")
    assert (result.lang, result.edition, result.codes, result.sections, result.not_covered,
            result.replaced) == ("fr", "HS2022", 6, 1, 1, False)
    with hs.connect() as conn:
        (prov,) = datasets_of_kind(conn, "hs-descriptions")
        assert (prov.source, prov.licence, prov.edition, prov.row_count) == (
            "WCO French edition (operator's copy)", "WCO licence to the operator", "HS2022", 6)
        assert prov.imported_at is not None and "1 codes of HS2022 left in English" in prov.notes
        with in_language("fr"):
            info = q.get_code(conn, "090121")
            assert info is not None and info.description == "Café torréfié"
            assert info.description_lang == "fr" and info.as_dict()["description_lang"] == "fr"
            steps = q.path(conn, "090121")
            assert [s.description for s in steps][1:] == ["Café, thé, maté et épices", "Café",
                                                          "Café torréfié"]
            # Not translated: stays English and says so.
            other = q.get_code(conn, "010129")
            assert other is not None and other.description == "Horses; live; other"
            assert other.description_lang == "en"
            assert q.sections(conn)[0].description == \
                "Animaux vivants et produits du règne animal"
        with in_language("es"):  # nothing imported in Spanish
            info = q.get_code(conn, "090121")
            assert info is not None and info.description == "Coffee; roasted"
        with in_language("en"):
            info = q.get_code(conn, "090121")
            assert info is not None and info.description == "Coffee; roasted"


def test_reimport_replaces_the_language_only(hs: Database, tmp_path: Path) -> None:
    import_descriptions(hs, write(tmp_path, FRENCH), lang="fr")
    spanish = HEADER + "II,090121,Café tostado,0901,6\n"
    import_descriptions(hs, write(tmp_path, spanish, "hs_es.csv"), lang="es")
    again = import_descriptions(hs, write(tmp_path, HEADER + "II,0901,Café (nouveau),09,4\n"),
                                lang="fr")
    assert again.replaced and again.codes == 1
    with hs.connect() as conn:
        rows = {(r.lang, r.code) for r in conn.execute(select(hs_descriptions))}
        assert rows == {("fr", "0901"), ("es", "090121")}
        assert len(datasets_of_kind(conn, "hs-descriptions")) == 2


BROKEN = {
    "truncated": (HEADER + "II,0901,Café,09,4\nII,090121,Café torréfié\n", 3, None, "cut short"),
    "wrong column": ("section,code,description,parent,level\nII,0901,Café,09,4\n", 1, None,
                     "missing hscode"),
    "duplicate code": (HEADER + "II,0901,Café,09,4\nII,0901,Café encore,09,4\n", 3, "hscode",
                       "duplicate code 0901 (first on line 2)"),
    "unknown code": (HEADER + "II,0901,Café,09,4\nII,090122,Café décaféiné,0901,6\n", 3,
                     "hscode", "unknown code 090122"),
    "wrong level": (HEADER + "II,0901,Café,09,6\n", 2, "level", "does not match"),
    "wrong parent": (HEADER + "II,090121,Café torréfié,0902,6\n", 2, "parent", "should be 0901"),
    "wrong section": (HEADER + "IV,0901,Café,09,4\n", 2, "section", "should be II"),
    "empty description": (HEADER + "II,0901,,09,4\n", 2, "description", "empty description"),
    "bad code": (HEADER + "II,09x1,Café,09,4\n", 2, "hscode", "2, 4 or 6 digits"),
    "extra field": (HEADER + "II,0901,Café,torréfié,09,4\n", 2, None, "too many fields"),
    "empty": ("", 1, None, "the file is empty"),
    "header only": (HEADER, None, None, "no HS codes in the file"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_refused_and_change_nothing(hs: Database, tmp_path: Path,
                                                     case: str) -> None:
    import_descriptions(hs, write(tmp_path, FRENCH, "good.csv"), lang="fr")
    before = count(hs)
    text, line, field, words = BROKEN[case]
    path = write(tmp_path, text)
    with pytest.raises(ImportFailed) as caught:
        import_descriptions(hs, path, lang="fr")
    error = caught.value
    assert words in error.problem, error.describe()
    assert error.file == str(path) and error.line == line and error.field == field
    assert str(path) in error.describe()
    assert count(hs) == before  # the previous French import is untouched
    with hs.connect() as conn, in_language("fr"):
        info = q.get_code(conn, "0901")
        assert info is not None and info.description == "Café"


@pytest.mark.parametrize("encoding,words", [("latin-1", "not valid UTF-8"),
                                            ("utf-16", "UTF-16")])
def test_wrong_encoding_is_refused_with_the_line(hs: Database, tmp_path: Path, encoding: str,
                                                 words: str) -> None:
    path = write(tmp_path, FRENCH, encoding=encoding)
    with pytest.raises(ImportFailed) as caught:
        import_descriptions(hs, path, lang="fr")
    assert words in caught.value.problem and caught.value.line is not None
    assert count(hs) == (0, 1)


def test_unknown_language_and_missing_edition_are_refused(hs: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="use fr or es") as caught:
        import_descriptions(hs, write(tmp_path, FRENCH), lang="de")
    assert caught.value.field == "lang"
    with pytest.raises(ImportFailed, match="HS2017 nomenclature is not loaded"):
        import_descriptions(hs, write(tmp_path, FRENCH), lang="fr", edition="HS2017")
    assert count(hs) == (0, 1)


def test_imported_french_feeds_the_french_finder(hs: Database, tmp_path: Path) -> None:
    """A French word the lexicons do not know ("bardots") finds the code through the
    imported French description, and French results show French descriptions."""
    from tradewind.finder import search_products

    with in_language("fr"):
        before = search_products(hs, "bardots", limit=3)
        assert "0101" not in {c.code[:4] for c in before.candidates}
        import_descriptions(hs, write(tmp_path, FRENCH), lang="fr")
        after = search_products(hs, "bardots", limit=3)
        assert after.candidates and after.candidates[0].code.startswith("0101")
        coffee = search_products(hs, "café torréfié", limit=3)
        assert coffee.candidates[0].code == "090121"
        assert coffee.candidates[0].description == "Café torréfié"
        assert getattr(coffee.candidates[0].description, "lang", "en") == "fr"
    with in_language("en"):
        english = search_products(hs, "roasted coffee", limit=3)
        assert english.candidates[0].description == "Coffee; roasted"


def test_cli_imports_and_reports(hs: Database, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from tradewind.cli import app

    monkeypatch.setenv("TRADEWIND_DATABASE_URL", hs.url)
    runner = CliRunner()
    ok = runner.invoke(app, ["import", "hs-descriptions", str(write(tmp_path, FRENCH)),
                             "--lang", "fr", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["codes"] == 6
    bad = runner.invoke(app, ["import", "hs-descriptions",
                              str(write(tmp_path, HEADER + "II,0999,Rien,09,4\n", "bad.csv")),
                              "--lang", "fr"])
    assert bad.exit_code != 0
    assert "bad.csv" in bad.output and "line 2" in bad.output and "unknown code 0999" in bad.output

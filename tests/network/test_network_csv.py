"""Network CSV import/export: round trip, and broken files name file/line/field with no change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.network_csv import HEADER, export_network_csv, import_network
from tradewind.network.queries import all_organisations, search_organisations

GOOD = (",".join(HEADER) + "\n"
        "Kenya Export Bank,KEB,export credit agency,KEN,trade finance,en,"
        "https://example.org,,,Loans for exporters.,no\n"
        "Global Trade Centre,GTC,international organisation,WORLD,market information;"
        "trade finance,en;fr,,,,\"Data, for everyone.\",yes\n")


def _write(tmp_path: Path, text: str | bytes, name: str = "orgs.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_import_then_export_round_trips(db: Database, tmp_path: Path) -> None:
    assert import_network(db, _write(tmp_path, GOOD)) == 2
    with db.connect() as conn:
        exported = export_network_csv(conn)
        kenya = search_organisations(conn, "KEN", "trade finance")
    assert [o.name for o in kenya] == ["Kenya Export Bank", "Global Trade Centre"]
    # Re-importing the export changes nothing (same names are updated in place).
    assert import_network(db, _write(tmp_path, exported, "again.csv")) == 2
    with db.connect() as conn:
        assert export_network_csv(conn) == exported
        assert len(all_organisations(conn)) == 2


BAD_ROW = ("Kenya Export Bank,KEB,export credit agency,KEN,trade finance,en,"
           "https://example.org,,,Loans.,no\n")


@pytest.mark.parametrize(("text", "line", "field", "words"), [
    (GOOD.splitlines()[0] + "\n" + BAD_ROW[:40] + "\n", 2, None, "expected 11 fields"),
    ("name,acronym,kind\n" + BAD_ROW, 1, None, "wrong header"),
    (GOOD + BAD_ROW.replace(",KEN,", ",KENYA,"), 4, "countries", "KENYA"),
    (GOOD + BAD_ROW.replace("trade finance", "astrology"), 4, "services", "astrology"),
    (GOOD + BAD_ROW, 4, "name", "duplicate"),
    (GOOD + BAD_ROW.replace(",no\n", ",maybe\n"), 4, "trade4msmes_partner", "yes or no"),
    (GOOD + '"Unclosed quote,KEB\n', 4, None, ""),
    ("", 1, None, "empty"),
])
def test_broken_files_are_refused_and_change_nothing(
        db: Database, tmp_path: Path, text: str, line: int, field: str | None,
        words: str) -> None:
    import_network(db, _write(tmp_path, GOOD, "first.csv"))
    with db.connect() as conn:
        before = export_network_csv(conn)
    path = _write(tmp_path, text, "broken.csv")
    with pytest.raises(ImportFailed) as info:
        import_network(db, path)
    err = info.value
    assert err.file == str(path)
    assert err.line == line
    assert err.field == field
    assert words in str(err)
    with db.connect() as conn:
        assert export_network_csv(conn) == before


def test_wrong_encoding_names_the_line(db: Database, tmp_path: Path) -> None:
    data = (GOOD + BAD_ROW.replace("Kenya Export Bank", "Société Générale")).encode("latin-1")
    with pytest.raises(ImportFailed, match="UTF-8") as info:
        import_network(db, _write(tmp_path, data))
    assert info.value.line == 4
    with db.connect() as conn:
        assert all_organisations(conn) == []


TRANSLATED = (",".join(HEADER) + ",description_fr,description_es\n"
              "Kenya Export Bank,KEB,export credit agency,KEN,trade finance,en,"
              "https://example.org,,,Loans for exporters.,no,Prêts aux exportateurs.,"
              "Préstamos a los exportadores.\n"
              "Global Trade Centre,GTC,international organisation,WORLD,market information,"
              "en,,,,Data for everyone.,yes,Des données pour tous.,\n")


def test_optional_translated_descriptions_import_and_export(db: Database,
                                                            tmp_path: Path) -> None:
    assert import_network(db, _write(tmp_path, TRANSLATED)) == 2
    with db.connect() as conn:
        fr = {o.acronym: o for o in all_organisations(conn, "fr")}
        es = {o.acronym: o for o in all_organisations(conn, "es")}
        exported = export_network_csv(conn)
    assert fr["KEB"].description == "Prêts aux exportateurs." and fr["KEB"].translated
    assert es["GTC"].description == "Data for everyone." and not es["GTC"].translated
    assert exported.splitlines()[0].endswith(",description_fr,description_es")
    assert import_network(db, _write(tmp_path, exported, "again.csv")) == 2
    with db.connect() as conn:
        assert export_network_csv(conn) == exported
    # The old 11-column format still imports, and only the fr column may be given too.
    only_fr = "\n".join(",".join(line.split(",")[:-1]) for line in
                        TRANSLATED.replace("Loans for exporters.", "Loans.").splitlines())
    assert import_network(db, _write(tmp_path, only_fr + "\n", "fr.csv")) == 2
    with db.connect() as conn:
        es = {o.acronym: o for o in all_organisations(conn, "es")}
        assert es["KEB"].description == "Loans." and not es["KEB"].translated


@pytest.mark.parametrize("extra", [",description_de", ",description_es,description_fr",
                                   ",description_fr,description_fr"])
def test_unknown_or_misordered_optional_columns_are_refused(db: Database, tmp_path: Path,
                                                           extra: str) -> None:
    text = ",".join(HEADER) + extra + "\n"
    with pytest.raises(ImportFailed, match="wrong header") as info:
        import_network(db, _write(tmp_path, text + "x\n"))
    assert info.value.line == 1

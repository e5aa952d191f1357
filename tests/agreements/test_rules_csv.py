"""Rules-of-origin notes and product-specific rules (CSV)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tariffs.util import table_counts
from tradewind.agreements import queries as q
from tradewind.agreements.rules_csv import import_origin_rules, import_product_rules
from tradewind.agreements.store import create_agreement
from tradewind.db import Database
from tradewind.errors import ImportFailed

NOTES = ("agreement,general_rule,cumulation,proof_of_origin,legal_text_url,notes\n"
         "t:eu-jpn,Wholly obtained or sufficiently processed (Annex 3-B),Bilateral;"
         " full cumulation,Statement on origin or importer's knowledge,"
         "https://eur-lex.europa.eu/eli/agree_internation/2018/1907/oj,\n")
PSR = ("agreement,hs_code,rule_text\n"
       "t:eu-jpn,61,CC (change of chapter) with weaving and making up\n"
       "EU-Japan EPA,6109,Knitting combined with making-up\n"
       "t:eu-jpn,0901.21,CTH\n")


def _agreement(db: Database) -> int:
    with db.transaction() as conn:
        return create_agreement(conn, code="t:eu-jpn", name="EU-Japan EPA",
                                type="free trade area", status="in force",
                                parties=["EUN", "JPN"], entry_into_force=date(2019, 2, 1))


def test_import_and_lookup(db: Database, tmp_path: Path) -> None:
    agreement_id = _agreement(db)
    (tmp_path / "notes.csv").write_text(NOTES, "utf-8")
    (tmp_path / "psr.csv").write_text(PSR, "utf-8")
    assert import_origin_rules(db, tmp_path / "notes.csv").agreements == 1
    assert import_product_rules(db, tmp_path / "psr.csv").rules == 3
    with db.connect() as conn:
        notes = q.origin_rules_for(conn, agreement_id)
        assert notes is not None and notes.legal_text_url.startswith("https://eur-lex")
        rules = q.product_rules(conn, agreement_id, "610910")
        assert [(r.hs_code, r.rule_text[:2]) for r in rules] == [("61", "CC"), ("6109", "Kn")]
        assert [r.rule_text for r in q.product_rules(conn, agreement_id, "090121")] == ["CTH"]
    before = table_counts(db)
    import_product_rules(db, tmp_path / "psr.csv")
    import_origin_rules(db, tmp_path / "notes.csv")
    after = table_counts(db)
    assert after["product_specific_rules"] == before["product_specific_rules"]
    assert after["origin_rules"] == before["origin_rules"]


@pytest.mark.parametrize(("text", "problem", "line"), [
    (PSR.replace("t:eu-jpn,61", "t:nope,61"), "unknown agreement 't:nope'", 2),
    (PSR.replace("0901.21", "090"), "must be a chapter", 4),
    (PSR + "t:eu-jpn,61,again\n", "duplicate rule for 61", 5),
    (PSR.replace("hs_code", "code"), "wrong header", 1),
    (PSR.replace(",CTH", ","), "rule_text missing", 4),
])
def test_broken_product_rules(db: Database, tmp_path: Path, text: str, problem: str,
                              line: int) -> None:
    _agreement(db)
    before = table_counts(db)
    (tmp_path / "psr.csv").write_text(text, "utf-8")
    with pytest.raises(ImportFailed) as info:
        import_product_rules(db, tmp_path / "psr.csv")
    assert "psr.csv" in str(info.value) and problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_broken_notes(db: Database, tmp_path: Path) -> None:
    _agreement(db)
    before = table_counts(db)
    path = tmp_path / "notes.csv"
    path.write_text(NOTES.replace("https://eur-lex", "ftp://eur-lex"), "utf-8")
    with pytest.raises(ImportFailed, match="not an http") as info:
        import_origin_rules(db, path)
    assert info.value.line == 2
    path.write_bytes(NOTES.replace("Wholly", "Entièrement").encode("latin-1"))
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        import_origin_rules(db, path)
    assert table_counts(db) == before

"""Tradewind tariff template importer (schedule + taxes)."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.agreements.store import create_agreement
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.tariff_csv import (
    SCHEDULE_COLUMNS,
    TAX_COLUMNS,
    import_tariff_csv,
    import_taxes_csv,
)
from tradewind.tariffs import queries as q

HEADER = ",".join(SCHEDULE_COLUMNS) + "\n"
ROWS = [
    "KEN,0901210000,090121,Roasted coffee,kg,mfn,,,25%,2022-07-01,,,",
    "KEN,0901210000,090121,Roasted coffee,kg,preferential,UGA;TZA,,Free,2022-07-01,,,",
    "KEN,0901210000,090121,Roasted coffee,kg,preferential,,EU-Kenya EPA,Free,2024-07-01,,,",
    "KEN,1701140000,170114,Cane sugar,kg,mfn,,,\"the higher of 100% or 200 USD/t\",,,,",
    "KEN,1701140000,170114,Cane sugar,kg,quota_in,UGA,,10%,2024-01-01,2024-12-31,90000,t",
    "KEN,2203000000,220300,Beer made from malt,l,mfn,,,\"25%, min 0.8 USD/l\",,,,",
    "KEN,2203000000,220300,Beer made from malt,l,additional,CHN,,see EAC gazette,,,,",
]
TAXES = (",".join(TAX_COLUMNS) + "\n"
         "KEN,VAT,Value added tax,16%,,customs value + duty + excise,2013-09-02,\n"
         "KEN,excise,Excise duty on beer,\"KES 134.danger/l\",2203,,,\n"
         "KEN,VAT,VAT on unprocessed agricultural goods,0%,0901,,2013-09-02,\n")


def _file(path: Path, rows: list[str] | None = None, header: str = HEADER) -> Path:
    path.write_text(header + "\n".join(ROWS if rows is None else rows) + "\n", "utf-8")
    return path


def _agreement(db: Database) -> None:
    load_reference(db)
    with db.transaction() as conn:
        create_agreement(conn, code="test:eu-ken", name="EU-Kenya EPA", type="free trade area",
                         status="in force", parties=["EUN", "KEN"],
                         entry_into_force=date(2024, 7, 1))


def test_template_files_match_the_importer() -> None:
    folder = resources.files("tradewind.tariffs")
    with folder.joinpath("template.csv").open("r", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == SCHEDULE_COLUMNS
    with folder.joinpath("taxes_template.csv").open("r", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == TAX_COLUMNS


def test_schedule_and_taxes(db: Database, tmp_path: Path) -> None:
    _agreement(db)
    result = import_tariff_csv(db, _file(tmp_path / "ken.csv"), currency="USD",
                               source="Kenya Revenue Authority (test)", valuation_basis="CIF")
    assert (result.schedules, result.lines, result.rates) == (1, 3, 8)
    assert result.unparsed == [(8, "see EAC gazette")]
    day = date(2024, 8, 1)
    with db.connect() as conn:
        assert q.mfn_rates(conn, "KEN", "090121", day)[0].duty.text == "25%"
        assert q.mfn_rates(conn, "KEN", "090121", date(2022, 6, 30)) == []
        uganda = q.preferential_rates(conn, "KEN", "090121", "UGA", day)
        assert [r.origin for r in uganda] == ["UGA"]
        germany = q.preferential_rates(conn, "KEN", "090121", "DEU", day)
        assert [(r.scheme, r.via) for r in germany] == [("EU-Kenya EPA", "EUN")]
        assert q.preferential_rates(conn, "KEN", "090121", "DEU", date(2024, 6, 1)) == []
        sugar = q.mfn_rates(conn, "KEN", "170114", day)[0]
        assert sugar.duty.formatted() == "the higher of 100% or 200 USD/t"
        assert [r.quota_volume for r in q.quotas(conn, "KEN", "170114", "UGA",
                                                 date(2024, 3, 1))] == [90000.0]
        assert q.quotas(conn, "KEN", "170114", "UGA", date(2025, 3, 1)) == []
        beer_extra = q.additional_duties(conn, "KEN", "220300", "CHN", day)
        assert [(d.duty.parse_ok, d.duty.text) for d in beer_extra] == [
            (False, "see EAC gazette")]
        assert q.valuation_basis(conn, "KEN").source == "data"
    taxes_path = tmp_path / "taxes.csv"
    taxes_path.write_text(TAXES.replace("134.danger", "134.3"), "utf-8")
    taxes = import_taxes_csv(db, taxes_path, currency="KES")
    assert taxes.taxes == 3 and taxes.unparsed == []
    with db.connect() as conn:
        coffee = q.domestic_taxes(conn, "KEN", "090121", day)
        assert [(t.kind, t.duty.text) for t in coffee] == [("VAT", "0%"), ("VAT", "16%")]
        beer = q.domestic_taxes(conn, "KEN", "220300", day)
        assert [(t.kind, t.duty.formatted()) for t in beer] == [
            ("VAT", "16%"), ("excise", "134.3 KES/l")]
    before = table_counts(db)
    import_tariff_csv(db, tmp_path / "ken.csv", currency="USD", valuation_basis="CIF")
    import_taxes_csv(db, taxes_path, currency="KES")
    assert table_counts(db) == before


BROKEN = [
    (HEADER.replace("rate_type", "type"), ROWS, "wrong header", 1),
    (HEADER, [*ROWS[:2], "KEN,0901210000,090121,Roasted coffee"], "truncated row", 4),
    (HEADER, [ROWS[0].replace(",mfn,", ",normal,")], "unknown rate_type", 2),
    (HEADER, [ROWS[0].replace("2022-07-01", "2022-13-01")], "bad date", 2),
    (HEADER, [ROWS[0].replace("KEN,", "XXX,", 1)], "unknown economy", 2),
    (HEADER, [ROWS[0].replace("0901210000,090121", "0902210000,090121")],
     "does not start with its hs6", 2),
    (HEADER, [ROWS[0], ROWS[0]], "duplicate rate", 3),
    (HEADER, [ROWS[0].replace(",25%,", ",,")], "duty text missing", 2),
    (HEADER, [ROWS[0], ROWS[2].replace("EU-Kenya EPA", "Unknown pact")],
     "needs an origin or an imported agreement", 3),
    (HEADER, [ROWS[4].replace(",90000,", ",,")], "needs quota_volume", 2),
    (HEADER, [ROWS[0].replace("2022-07-01,", "2022-07-01,2021-01-01")], "before valid_from", 2),
]


@pytest.mark.parametrize(("header", "rows", "problem", "line"), BROKEN)
def test_broken_schedule(db: Database, tmp_path: Path, header: str, rows: list[str],
                         problem: str, line: int) -> None:
    _agreement(db)
    import_tariff_csv(db, _file(tmp_path / "good.csv"))
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_tariff_csv(db, _file(tmp_path / "bad.csv", rows, header))
    assert "bad.csv" in str(info.value) and problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_hs6_checked_against_hs2022_when_loaded(hs_db: Database, tmp_path: Path) -> None:
    before = table_counts(hs_db)
    with pytest.raises(ImportFailed, match="not an HS 2022 subheading") as info:
        import_tariff_csv(hs_db, _file(tmp_path / "x.csv", [
            ROWS[0].replace("0901210000,090121", "0901990000,090199")]))
    assert info.value.line == 2
    assert table_counts(hs_db) == before


def test_broken_taxes(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "taxes.csv"
    for text, problem, line in [
        (TAXES.replace("KEN,VAT,Value", "KEN,stamp,Value"), "unknown tax kind", 2),
        (TAXES.replace(",16%,", ",160%,"), "implausible VAT rate", 2),
        (TAXES.replace(",2203,", ",22x3,"), "hs_prefix", 3),
        (TAXES + "KEN,VAT,Again,16%,,,2013-09-02,\n", "duplicate VAT", 5),
    ]:
        path.write_text(text, "utf-8")
        with pytest.raises(ImportFailed) as info:
            import_taxes_csv(db, path)
        assert problem in str(info.value) and info.value.line == line
    path.write_bytes(TAXES.replace("Value added", "Taxe à la valeur").encode("latin-1"))
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        import_taxes_csv(db, path)
    assert table_counts(db)["domestic_taxes"] == 0

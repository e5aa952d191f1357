"""US tariff importer: the real files, and broken copies of a small fixture in the same format."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.us_tariff import additional_duty, effective_dates, import_us_tariff
from tradewind.tariffs import queries as q

BOM = "\ufeff"
PRODUCTS = BOM + (
    '"hts10","base_rate","base_rate_raw","ch99_refs","n_ch99_refs","description"\n'
    '"0406404400","0.128","12.8%","9903.88.15","1","Other"\n'
    '"0406407000",,"$2.269/kg","9903.88.15","1","Other"\n'
    '"0902100010",,"","","0","Green tea, certified organic"\n'
    '"0902100090","0.064","6.4%","","0","Other"\n'
    '"2009110010",,"0.5Â¢/liter","","0","Orange juice"\n'
    '"7208100000","0","Free","9903.80.01","1","Hot-rolled"\n'
    '"8525890000","0","Free","","0","Other"\n'
    '"0101210010",,"","","0","Males"\n')
CHAPTER99 = BOM + (
    '"ch99_code","rate","authority","country_type","countries","general_raw","other_raw",'
    '"description"\n'
    '"9903.88.15","0.075","section_301","specific","CN","The duty provided in the '
    'applicable subheading + 7.5%","","Articles the product of China, list 4A"\n'
    '"9903.80.01","0.25","section_232","all_except","CA;MX","The duty provided in the '
    'applicable subheading + 25%","","Effective with respect to entries on or after '
    'March 12, 2025, and through December 31, 2025, products of iron or steel"\n'
    '"9903.91.01",,"ieepa","all","","The duty provided in the applicable subheading",'
    '"","Exempt articles"\n')
S301 = BOM + ("hts8,list,ch99_code\n"
              "04064044,4A,9903.88.15\n"
              "85258900,4A,9903.88.15\n")


def _write(folder: Path, products: str = PRODUCTS, chapter99: str = CHAPTER99,
           s301: str = S301) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "products_raw.csv").write_text(products, "utf-8")
    (folder / "chapter99_raw.csv").write_text(chapter99, "utf-8")
    (folder / "s301_product_lists.csv").write_text(s301, "utf-8")
    return folder


def test_imports_fixture_and_answers_queries(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    result = import_us_tariff(db, _write(tmp_path / "us"))
    assert (result.lines, result.mfn_rates, result.rates_missing) == (8, 8, 1)
    assert result.additional_duties == 3
    day = date(2025, 6, 1)
    with db.connect() as conn:
        rates = {r.national_code: r for r in q.mfn_rates(conn, "USA", "040640", day)}
        assert rates["0406407000"].duty.formatted() == "2.269 USD/kg"
        juice = q.mfn_rates(conn, "USA", "200911", day)[0]
        assert juice.duty.formatted() == "0.005 USD/l"  # mojibake repaired
        assert juice.duty.text == "0.5Â¢/liter"  # verbatim text kept
        # A statistical line inherits the rate of its 8-digit line.
        tea = {r.national_code: r.duty.text for r in q.mfn_rates(conn, "USA", "090210", day)}
        assert tea == {"0902100010": "6.4%", "0902100090": "6.4%"}
        china = q.additional_duties(conn, "USA", "040640", "CHN", day)
        assert [(d.heading, d.duty.formatted()) for d in china] == [("9903.88.15", "7.5%")]
        assert china[0].product_codes == ("04064044", "0406404400", "0406407000")
        assert q.additional_duties(conn, "USA", "040640", "VNM", day) == []
        steel = q.additional_duties(conn, "USA", "720810", "JPN", day)
        assert [d.heading for d in steel] == ["9903.80.01"]
        assert q.additional_duties(conn, "USA", "720810", "CAN", day) == []
        assert q.additional_duties(conn, "USA", "720810", "JPN", date(2026, 1, 1)) == []
        # s301 lists (8-digit) reach HS6 lines without footnote references.
        assert [d.heading for d in q.additional_duties(conn, "USA", "852589", "CHN", day)] \
            == ["9903.88.15"]
        horses = q.mfn_rates(conn, "USA", "010121", day)[0]
        assert not horses.duty.parse_ok and horses.duty.problem == "no duty text"
        assert q.valuation_basis(conn, "USA").basis == "FOB"
        provenance = q.schedule_provenance(conn, "USA", day)
        assert provenance[0].provenance.kind == "tariff"
        assert not provenance[0].provenance.is_sample
    # Re-importing replaces, never duplicates.
    before = table_counts(db)
    import_us_tariff(db, tmp_path / "us")
    assert table_counts(db) == before


def test_helpers() -> None:
    assert effective_dates("Effective with respect to entries on or after March 12, 2025, "
                           "and through December 31, 2025, x") == (date(2025, 3, 12),
                                                                   date(2025, 12, 31))
    assert effective_dates("Effective with respect to entries, on or after November 10, "
                           "2026, of articles") == (date(2026, 11, 10), None)
    assert additional_duty("The duty provided in the applicable subheading + 25%",
                           "0.25").formatted() == "25%"
    assert additional_duty("The duty provided in the applicable subheading", "").is_free
    assert additional_duty("", "0.1").formatted() == "10%"
    assert not additional_duty("The duty provided in the applicable subheading + a duty of "
                               "25% upon the value of the non-U.S. content", "").parse_ok


BROKEN = [
    ("products_raw.csv", PRODUCTS.replace('"0902100090","0.064","6.4%","","0","Other"',
                                          '"0902100090","0.064"'),
     "truncated row", 5),
    ("products_raw.csv", PRODUCTS.replace('"hts10"', '"hts"'), "wrong header", 1),
    ("products_raw.csv", PRODUCTS.replace('"0406404400","0.128"', '"040640440","0.128"'),
     "not 10 digits", 2),
    ("products_raw.csv", PRODUCTS.replace('"0406404400","0.128"', '"0406404400","abc"'),
     "bad number", 2),
    ("products_raw.csv", PRODUCTS.replace('"8525890000"', '"0406404400"'),
     "duplicate HTS code", 8),
    ("products_raw.csv", PRODUCTS.replace('"9903.88.15","1","Other"\n"0406407000"',
                                          '"9903.88.15","2","Other"\n"0406407000"'),
     "n_ch99_refs is 2", 2),
    ("products_raw.csv", PRODUCTS.replace('"7208100000","0","Free","9903.80.01"',
                                          '"7208100000","0","Free","9903.80.99"'),
     "9903.80.99 is not in chapter99_raw.csv", 7),
    ("chapter99_raw.csv", CHAPTER99.replace('"CA;MX"', '"CA;ZZ"'),
     "unknown country code 'ZZ'", 3),
    ("chapter99_raw.csv", CHAPTER99.replace('"specific","CN"', '"some","CN"'),
     "unknown country_type", 2),
    ("s301_product_lists.csv", S301.replace("85258900,4A,9903.88.15", "85258900,4A,9903.99.99"),
     "is not in chapter99_raw.csv", 3),
]


@pytest.mark.parametrize(("name", "content", "problem", "line"), BROKEN)
def test_broken_files_name_file_line_problem_and_change_nothing(
        db: Database, tmp_path: Path, name: str, content: str, problem: str,
        line: int) -> None:
    load_reference(db)
    import_us_tariff(db, _write(tmp_path / "good"))
    before = table_counts(db)
    folder = _write(tmp_path / "bad")
    (folder / name).write_text(content, "utf-8")
    with pytest.raises(ImportFailed) as info:
        import_us_tariff(db, folder)
    assert name in str(info.value)
    assert problem in str(info.value)
    assert info.value.line == line
    assert table_counts(db) == before


def test_wrong_encoding_and_missing_file(db: Database, tmp_path: Path) -> None:
    folder = _write(tmp_path / "latin1")
    (folder / "products_raw.csv").write_bytes(
        PRODUCTS.replace("Green tea", "Thé vert").encode("latin-1", errors="replace"))
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_us_tariff(db, folder)
    assert "not valid UTF-8" in str(info.value) and info.value.line == 4
    (folder / "s301_product_lists.csv").unlink()
    with pytest.raises(ImportFailed, match="file not found"):
        import_us_tariff(db, folder)
    assert table_counts(db) == before


@pytest.mark.shared_data
def test_real_us_schedule(db: Database, shared_data: Path) -> None:
    load_reference(db)
    result = import_us_tariff(db, shared_data / "us-tariff")  # speed: see BENCHMARKS.md
    print(f"US schedule: parse rate {result.parse_rate:.2%}")
    assert result.lines == 19768
    assert result.additional_duties == 680
    assert result.parse_rate > 0.99
    with db.connect() as conn:
        rates = q.mfn_rates(conn, "USA", "040640", date(2025, 6, 1))
        assert len(rates) > 5
        assert all(r.economy == "USA" for r in rates)
        china = q.additional_duties(conn, "USA", "040640", "CHN", date(2025, 6, 1))
        assert any(d.authority == "section_301" for d in china)


@pytest.mark.shared_data
def test_section_301_matches_the_trackers_own_calculation_for_china(
        db: Database, shared_data: Path) -> None:
    """rates_calculated.csv (US Census country 5700 = China) gives the tracker's section 301
    rate per HTS line; the duties Tradewind links to each line must agree."""
    import csv
    from decimal import Decimal

    load_reference(db)
    import_us_tariff(db, shared_data / "us-tariff")
    with (shared_data / "us-tariff" / "rates_calculated.csv").open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["country"] == "5700"][::3]  # keep it quick
    agree = 0
    with db.connect() as conn:
        for r in rows:
            code, expected = r["hts10"], Decimal(r["section_301"]) * 100
            duties = [d for d in q.additional_duties(conn, "USA", code[:6], "CHN",
                                                     date(2025, 6, 1))
                      if d.authority == "section_301"
                      and any(code.startswith(p) for p in d.product_codes)]
            rates = {d.duty.ad_valorem_percent for d in duties}
            agree += (expected in rates) if expected else (not duties)
    print(f"section 301 for China: {agree}/{len(rows)} lines agree")
    assert len(rows) > 2400
    assert agree / len(rows) > 0.995

"""FX importers (ECB XML, CSV) and conversion; fixtures follow the real ECB layout exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradewind.datasets.queries import datasets_of_kind
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput, NotFound
from tradewind.fx import convert
from tradewind.fx.importers import import_ecb_xml, import_fx_csv
from tradewind.fx.models import fx_rates

ECB_HIST = """<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
		<Cube time='2024-01-05'>
			<Cube currency='USD' rate='1.0921'/>
			<Cube currency='JPY' rate='158.08'/>
			<Cube currency='GBP' rate='0.86153'/>
		</Cube>
		<Cube time='2024-01-04'>
			<Cube currency='USD' rate='1.0953'/>
			<Cube currency='JPY' rate='157.79'/>
			<Cube currency='GBP' rate='0.86408'/>
		</Cube>
	</Cube>
</gesmes:Envelope>
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _count(db: Database) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(fx_rates)).scalar_one())


def test_ecb_import_records_rates_and_provenance(db: Database, tmp_path: Path) -> None:
    result = import_ecb_xml(db, _write(tmp_path, "eurofxref-hist.xml", ECB_HIST))
    assert result.rows == 6 and result.currencies == 3
    assert (result.first_date, result.last_date) == (date(2024, 1, 4), date(2024, 1, 5))
    with db.connect() as conn:
        [prov] = datasets_of_kind(conn, "fx")
    assert prov.row_count == 6 and "European Central Bank" in prov.source
    assert not prov.is_sample and prov.edition == "2024-01-04..2024-01-05"


def test_convert_direct_inverse_and_cross_rates(db: Database, tmp_path: Path) -> None:
    import_ecb_xml(db, _write(tmp_path, "eurofxref-daily.xml", ECB_HIST))
    with db.connect() as conn:
        direct = convert(conn, 100, "EUR", "USD", date(2024, 1, 5))
        # 100 EUR × 1.0921 = 109.21 USD
        assert direct.converted == Decimal("109.21") and direct.rate_date == date(2024, 1, 5)
        inverse = convert(conn, "109.21", "USD", "EUR", date(2024, 1, 5))
        assert inverse.converted.quantize(Decimal("0.0001")) == Decimal("100.0000")
        # USD→JPY through EUR: 1 USD = 158.08 / 1.0921 JPY = 144.7486... JPY
        cross = convert(conn, 10, "USD", "JPY", date(2024, 1, 5))
        assert cross.via == "EUR"
        assert cross.rate.quantize(Decimal("0.0001")) == Decimal("144.7486")
        assert cross.converted.quantize(Decimal("0.01")) == Decimal("1447.49")
        # A weekend date uses the latest earlier rate (Friday the 5th), and says which date.
        weekend = convert(conn, 1, "EUR", "GBP", date(2024, 1, 7))
        assert weekend.rate == Decimal("0.86153") and weekend.rate_date == date(2024, 1, 5)
        assert not weekend.stale
        earlier = convert(conn, 1, "EUR", "GBP", date(2024, 1, 4))
        assert earlier.rate == Decimal("0.86408")
        same = convert(conn, 5, "usd", "USD", date(2024, 1, 5))
        assert same.converted == 5 and same.rate == 1


def test_old_rates_are_flagged_stale(db: Database, tmp_path: Path) -> None:
    import_ecb_xml(db, _write(tmp_path, "eurofxref.xml", ECB_HIST))
    with db.connect() as conn:
        old = convert(conn, 1, "EUR", "USD", date(2024, 3, 1))
    assert old.stale and old.rate_date == date(2024, 1, 5)
    assert old.as_dict()["stale"] is True


def test_no_rate_is_an_error_never_a_guess(db: Database, tmp_path: Path) -> None:
    import_ecb_xml(db, _write(tmp_path, "eurofxref.xml", ECB_HIST))
    with db.connect() as conn:
        with pytest.raises(NotFound, match="KES"):
            convert(conn, 1, "USD", "KES", date(2024, 1, 5))
        with pytest.raises(NotFound, match="2023-12-31"):
            convert(conn, 1, "EUR", "USD", date(2023, 12, 31))
        with pytest.raises(InvalidInput):
            convert(conn, 1, "US$", "EUR", date(2024, 1, 5))


def test_csv_variants_and_cross_via_usd(db: Database, tmp_path: Path) -> None:
    import_fx_csv(db, _write(tmp_path, "usd.csv",
                             "date,currency,rate_per_usd\n2024-01-05,KES,160.5\n"
                             "2024-01-05,INR,83.2\n\n"))
    import_fx_csv(db, _write(tmp_path, "any.csv",
                             "date,base,currency,rate\n2024-01-05,GBP,BRL,6.2\n"))
    with db.connect() as conn:
        # 1000 KES → INR via USD: 1000 / 160.5 × 83.2 = 518.38 INR
        kes_inr = convert(conn, 1000, "KES", "INR", date(2024, 1, 6))
        assert kes_inr.via == "USD"
        assert kes_inr.converted.quantize(Decimal("0.01")) == Decimal("518.38")
        gbp_brl = convert(conn, 2, "GBP", "BRL", date(2024, 1, 6))
        assert gbp_brl.converted == Decimal("12.4")
        with pytest.raises(NotFound):  # GBP-based rate only: no GBP→KES path
            convert(conn, 1, "BRL", "KES", date(2024, 1, 6))


@pytest.mark.parametrize(("name", "content", "line", "words"), [
    ("truncated.xml", ECB_HIST[:ECB_HIST.index("<Cube currency='JPY' rate='157.79'/>")],
     None, "not well-formed"),
    ("badrate.xml", ECB_HIST.replace("rate='158.08'", "rate='1,58'"), 10, "not a number"),
    ("negative.xml", ECB_HIST.replace("rate='158.08'", "rate='-1'"), 10, "positive"),
    ("baddate.xml", ECB_HIST.replace("2024-01-04", "2024-13-04"), 13, "date"),
    ("dup.xml", ECB_HIST.replace("currency='GBP' rate='0.86408'", "currency='USD' rate='1.1'"),
     16, "duplicate"),
    ("noenvelope.xml", "<?xml version='1.0'?><root/>", 1, "ECB"),
    ("empty.xml", ECB_HIST.split("<Cube>")[0] + "<Cube></Cube></gesmes:Envelope>", None,
     "no exchange rates"),
    ("entity.xml", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>", 1, "document type"),
])
def test_broken_ecb_files_change_nothing(db: Database, tmp_path: Path, name: str, content: str,
                                         line: int | None, words: str) -> None:
    path = _write(tmp_path, name, content)
    with pytest.raises(ImportFailed) as info:
        import_ecb_xml(db, path)
    assert name in str(info.value) and words in str(info.value)
    if line is not None:
        assert info.value.line == line
    assert _count(db) == 0
    with db.connect() as conn:
        assert datasets_of_kind(conn, "fx") == []


@pytest.mark.parametrize(("content", "line", "words"), [
    ("day,ccy,value\n2024-01-05,KES,160\n", 1, "unexpected header"),
    ("date,currency,rate_per_usd\n2024-01-05,KES,160\n2024-01-05,KES,161\n", 3, "duplicate"),
    ("date,currency,rate_per_usd\n2024-01-05,KES,abc\n", 2, "not a number"),
    ("date,currency,rate_per_usd\n2024-01-05,KES,0\n", 2, "positive"),
    ("date,currency,rate_per_usd\n05/01/2024,KES,160\n", 2, "YYYY-MM-DD"),
    ("date,currency,rate_per_usd\n2024-01-05,KENYA,160\n", 2, "currency code"),
    ("date,currency,rate_per_usd\n2024-01-05,KES\n", 2, "expected 3 fields"),
    ("date,currency,rate_per_usd\n2024-01-05,USD,1\n", 2, "against itself"),
    ("", 1, "empty"),
    ("date,currency,rate_per_usd\n", None, "no exchange rates"),
    ("date,currency,rate_per_usd\n2024-01-05,KES,160\n2024-01-06,KES,1\xe960\n".encode("latin-1"),
     3, "UTF-8"),
])
def test_broken_csv_files_change_nothing(db: Database, tmp_path: Path, content: str | bytes,
                                         line: int | None, words: str) -> None:
    path = _write(tmp_path, "rates.csv", content)
    with pytest.raises(ImportFailed) as info:
        import_fx_csv(db, path)
    assert "rates.csv" in str(info.value) and words in str(info.value)
    assert info.value.line == line
    assert _count(db) == 0

"""CEPII GeoDist importer: real file (code reconciliation) and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.flows.helpers import snapshot
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.models import country_pairs
from tradewind.ingest.geodist import import_geodist

HEADER = ("iso_o,iso_d,contig,comlang_off,comlang_ethno,colony,comcol,curcol,col45,smctry,"
          "dist,distcap,distw,distwces\n")


def _pair(db: Database, a: str, b: str):
    with db.connect() as conn:
        return conn.execute(select(country_pairs).where(
            country_pairs.c.origin == a, country_pairs.c.destination == b)).one()


def test_real_file(db: Database, shared_data: Path) -> None:
    result = import_geodist(db, shared_data / "cepii-geodist" / "dist_cepii.csv")
    assert result.unmatched == {}
    assert result.clashes == []
    assert result.pairs == 224 * 224
    fra_deu = _pair(db, "FRA", "DEU")
    assert fra_deu.contiguous and not fra_deu.common_official_language
    assert 500 < fra_deu.distance_km < 1000
    # GeoDist's ZAR is the DR Congo (Belgian colony), its COD the Republic of the Congo.
    assert _pair(db, "COD", "BEL").colonial_link
    assert _pair(db, "COG", "FRA").colonial_link
    assert _pair(db, "ROU", "MDA").contiguous  # ROM → ROU
    assert _pair(db, "TLS", "IDN").contiguous  # TMP → TLS
    # distw is "." for some pairs: dist between main cities is used instead.
    assert result.distw_missing > 0
    assert _pair(db, "ABW", "CCK").distance_km == pytest.approx(18614.29)


def test_unmatched_codes_reported(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dist_cepii.csv"
    path.write_text(HEADER + "FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840\n"
                             "FRA,XXX,0,0,0,0,0,0,0,0,880,880,850,840\n", encoding="utf-8")
    result = import_geodist(db, path)
    assert result.unmatched == {"XXX": 1}
    assert result.pairs == 1


@pytest.mark.parametrize(("content", "line", "field", "problem"), [
    ("a,b,c\nFRA,DEU,1\n", 1, "iso_o", "expected columns"),
    (HEADER + "FRA,DEU,2,0,0,0,0,0,0,0,880,880,850,840\n", 2, "contig", "not 0 or 1"),
    (HEADER + "FRA,DEU,1,0,0,0,0,0,0,0,far,880,850,840\n", 2, "dist", "not a number"),
    (HEADER + "FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840\n"
              "FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840\n", 3, "iso_d", "duplicate pair"),
    (HEADER + "FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840\nFRA,ESP,1,0,0", 3, None,
     "expected 14 fields"),
])
def test_broken_files(db: Database, tmp_path: Path, content: str, line: int,
                      field: str | None, problem: str) -> None:
    path = tmp_path / "dist_cepii.csv"
    path.write_text(content, encoding="utf-8")
    before = snapshot(db)
    with pytest.raises(ImportFailed, match=problem) as caught:
        import_geodist(db, path)
    assert caught.value.line == line
    if field:
        assert caught.value.field == field
    assert snapshot(db) == before


def test_wrong_encoding(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "dist_cepii.csv"
    path.write_bytes(HEADER.encode() + b"FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840\n"
                                       b"FRA,\xc9SP,1,0,0,0,0,0,0,0,880,880,850,840\n")
    with pytest.raises(ImportFailed, match="not UTF-8") as caught:
        import_geodist(db, path)
    assert caught.value.line == 3

"""The real CEPII BACI extract (HS 1992, exports of Afghanistan and South Africa, 2021):
imported with FLOWS' importer after NOMENCLATURE's HS 2022→1992 concordance, South Africa's
top markets for a product must match a direct computation on the file with the csv module."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

from tradewind.countries.init import init_countries
from tradewind.db import Database
from tradewind.markets import Weights, rank_markets
from tradewind.nomenclature.init import init_hs2022
from tradewind.stats import queries as q

pytestmark = pytest.mark.shared_data
BACI = "baci-sample/BACI_HS92_Y2021_extract_AFG_ZAF.csv"
CODES = "baci-sample/country_codes_V202201.csv"
CONCORDANCE = "hs-concordance/HS2022toHS1992ConversionAndCorrelationTables.xlsx"


def _one_to_one(conn: object) -> dict[str, str]:
    """HS 1992 codes that map to exactly one HS 2022 code reached from no other code."""
    from tradewind.nomenclature.concordance import correspondence

    forward = correspondence(conn, "HS1992", "HS2022")  # type: ignore[arg-type]
    sources: dict[str, set[str]] = defaultdict(set)
    for source, targets in forward.items():
        for target in targets:
            sources[target].add(source)
    return {s: t[0] for s, t in forward.items() if len(t) == 1 and sources[t[0]] == {s}}


def _iso3(codes: dict[str, str], number: str) -> str:
    """The file's own ISO3; codes missing from the country file (the flows use 380 for
    Italy, the country file lists BACI's 381) fall back to ISO 3166 numeric."""
    if number in codes:
        return codes[number]
    found = pycountry.countries.get(numeric=number.zfill(3))
    return str(found.alpha_3) if found else f"?{number}"


def test_south_africa_top_markets_match_the_file(db: Database, shared_data: Path,
                                                 tmp_path: Path) -> None:
    from tests.conftest import test_settings as settings_for
    from tradewind.ingest.baci import import_baci
    from tradewind.ingest.hs_concordance import import_concordance

    settings = settings_for(db, tmp_path)
    init_countries(db, settings, lambda _m: None)
    init_hs2022(db, settings, lambda _m: None)
    import_concordance(db, shared_data / CONCORDANCE)
    import_baci(db, shared_data / BACI, shared_data / CODES)

    iso3_of = {}
    with (shared_data / CODES).open(encoding="latin-1", newline="") as fh:  # not UTF-8
        for row in csv.DictReader(fh):
            iso3_of[row["country_code"].strip()] = row["iso_3digit_alpha"].strip()
    with db.connect() as conn:
        mapping = _one_to_one(conn)
        # Direct computation: South Africa's (code 710) exports by product and destination.
        by_product: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        afghan: set[str] = set()
        with (shared_data / BACI).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                k = row["k"].strip().zfill(6)
                if row["i"].strip() == "4":
                    afghan.add(k)
                if row["i"].strip() == "710" and k in mapping:
                    by_product[k][_iso3(iso3_of, row["j"].strip())] += float(row["v"]) * 1000
        # The largest 1:1 product South Africa exports that Afghanistan does not (so each
        # market's imports in the extract are South Africa's exports alone).
        product92 = max((k for k in by_product if k not in afghan and len(by_product[k]) >= 8),
                        key=lambda k: sum(by_product[k].values()))
        product = mapping[product92]
        expected = sorted(by_product[product92].items(), key=lambda kv: (-kv[1], kv[0]))

        ranking = rank_markets(conn, product, "ZAF", Weights(supply=0, demand=1, access=0,
                                                             ease=0))
        destinations = q.destinations(conn, product, "ZAF", 2021)

    assert ranking.year == 2021 and not ranking.is_sample
    # Demand only: markets ordered by their imports, here South Africa's exports.
    top = [(r.key, r.actual) for r in ranking.rows[:10]]
    assert [k for k, _v in top] == [k for k, _v in expected[:10]]
    for (key, actual), (_k, value) in zip(top, expected[:10], strict=True):
        assert actual == pytest.approx(value, abs=1.0), key
    assert [d.iso3 for d in destinations[:10]] == [k for k, _v in expected[:10]]
    total = sum(v for _k, v in expected)
    assert destinations[0].share == pytest.approx(expected[0][1] / total, rel=1e-6)
    assert ranking.rows[0].components["demand"].score == pytest.approx(100.0)
    assert len(ranking.rows) == len(expected)

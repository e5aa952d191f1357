"""Country-code reconciliation of every source to ISO 3166 and small integer ids."""

import pytest

from tradewind.flows.economies import (
    all_economies,
    economy_id,
    economy_iso3,
    from_alpha3,
    from_un_numeric,
)


@pytest.mark.parametrize(("code", "iso3"), [
    (251, "FRA"), (579, "NOR"), (699, "IND"), (757, "CHE"), (842, "USA"), (490, "TWN"),
    (710, "ZAF"), (4, "AFG"), (380, "ITA"), (381, None),
])
def test_un_numeric(code: int, iso3: str | None) -> None:
    assert from_un_numeric(code) == iso3


def test_un_numeric_falls_back_to_the_sources_alpha3() -> None:
    assert from_un_numeric(381, "ITA") == "ITA"


@pytest.mark.parametrize(("code", "iso3"), [
    ("ROM", "ROU"), ("ZAR", "COD"), ("TMP", "TLS"), ("PAL", "PSE"), ("YUG", "SRB"),
    ("XKX", "XKX"), ("CHI", "CHI"), ("ken", "KEN"), ("WLD", None), ("N/A", None),
])
def test_alpha3(code: str, iso3: str | None) -> None:
    assert from_alpha3(code) == iso3


def test_ids_round_trip() -> None:
    assert economy_id("USA") == 840
    assert economy_iso3(840) == "USA"
    assert 900 <= economy_id("XKX") < 1000
    ids = [i for i, _iso3, _name in all_economies()]
    assert len(ids) == len(set(ids)) >= 250
    assert all(0 < i < 32768 for i in ids)  # fits SMALLINT

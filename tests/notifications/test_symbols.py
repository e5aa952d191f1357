"""Document symbols: parsing, round-trip, base symbol and refusals."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.errors import InvalidInput
from tradewind.notifications.symbols import Symbol, member_code, parse_symbol


@pytest.mark.parametrize(("text", "area", "member", "number", "parts", "kind"), [
    ("G/SPS/N/EU/712", "SPS", "EU", 712, (None, None, None), "regular"),
    ("G/TBT/N/USA/1964/Add.1", "TBT", "USA", 1964, (None, 1, None), "addendum"),
    ("G/SPS/N/KEN/123/Rev.2", "SPS", "KEN", 123, (2, None, None), "revision"),
    ("G/TBT/N/BRA/1500/Corr.1", "TBT", "BRA", 1500, (None, None, 1), "corrigendum"),
    ("G/SPS/N/EU/712/Rev.1/Add.2", "SPS", "EU", 712, (1, 2, None), "addendum"),
])
def test_examples(text: str, area: str, member: str, number: int,
                  parts: tuple[int | None, int | None, int | None], kind: str) -> None:
    s = parse_symbol(text)
    assert (s.area, s.member, s.number) == (area, member, number)
    assert (s.revision, s.addendum, s.corrigendum) == parts
    assert s.kind == kind
    assert s.base == "/".join(text.split("/")[:5])
    assert str(s) == text


def test_lenient_spelling_is_normalised() -> None:
    assert str(parse_symbol(" g/tbt/n/usa/1964/add 1 ")) == "G/TBT/N/USA/1964/Add.1"
    assert parse_symbol("G/TBT/N/USA/1964/Add.1/Rev.1").addendum_revision == 1


@pytest.mark.parametrize("text", [
    "", "G/SPS/N/EU", "G/XYZ/N/EU/1", "G/SPS/EU/712", "G/SPS/N/EU/0", "G/SPS/N/EU/712/Foo.1",
    "G/SPS/N/EU/712/Rev.1/Rev.2", "G/SPS/N/EU/712/Corr.1/Add.1", "G/SPS/N/EU/712/Add.1/Add.2",
    "G/SPS/N/E1/712", "G/SPS/N/EU/712/Rev.",
])
def test_malformed_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"symbol|twice|after|follow"):
        parse_symbol(text)


_members = st.sampled_from(["EU", "USA", "KEN", "BRA", "JPN", "IND", "GBR"])
_n = st.integers(min_value=1, max_value=999)


@given(st.sampled_from(["SPS", "TBT"]), _members, st.integers(1, 99999),
       st.none() | _n, st.none() | _n, st.none() | _n)
def test_round_trip(area: str, member: str, number: int, rev: int | None, add: int | None,
                    corr: int | None) -> None:
    s = Symbol(area, member, number, revision=rev, addendum=add, corrigendum=corr)
    parsed = parse_symbol(str(s))
    assert parsed == s
    assert parsed.base == f"G/{area}/N/{member}/{number}"
    assert parse_symbol(parsed.base).kind == "regular"


def test_member_code() -> None:
    assert member_code("EU") == "EUN"
    assert member_code("KEN") == "KEN"


@given(st.sampled_from(["SPS", "TBT"]), st.sampled_from(["EU", "USA", "KEN", "BRA"]),
       st.integers(1, 999_999))
def test_canonical_fast_path_equals_lenient_path(area: str, member: str, number: int) -> None:
    """A canonical symbol is parsed without clean-up; the result is the one the lenient path
    gives for a messy spelling of the same symbol."""
    canonical = parse_symbol(f"G/{area}/N/{member}/{number}")
    messy = parse_symbol(f" g/{area.lower()}/n/{member.lower()}/ {number} ")
    assert canonical == messy == Symbol(area, member, number)
    assert str(canonical) == f"G/{area}/N/{member}/{number}" and canonical.kind == "regular"

"""Code input: forgiving about separators, strict about digits; nearest valid codes."""

import pytest

from tradewind.errors import InvalidCode, InvalidInput
from tradewind.nomenclature.codes import (
    edit_distance,
    format_code,
    leading_digits,
    nearest_codes,
    normalize_code,
    normalize_edition,
    parent_of,
)


@pytest.mark.parametrize("text", ["0901.21", "090121", "0901 21", "0901-21", " 0901.21 ",
                                  "09.01.21", "0901/21"])
def test_separators_are_forgiven(text: str) -> None:
    assert normalize_code(text) == "090121"


@pytest.mark.parametrize("text", ["09", "0901", "090121"])
def test_hs_lengths_accepted(text: str) -> None:
    assert normalize_code(text) == text


def test_letters_are_refused_with_the_offending_character() -> None:
    with pytest.raises(InvalidCode) as err:
        normalize_code("0901.2x")
    assert "'x'" in str(err.value)
    assert err.value.code == "0901.2x"


@pytest.mark.parametrize("text", ["", "   ", "1", "01012", "0901211", "1" * 41])
def test_bad_lengths_are_refused(text: str) -> None:
    with pytest.raises(InvalidCode):
        normalize_code(text)


def test_national_codes_only_with_flag() -> None:
    with pytest.raises(InvalidCode):
        normalize_code("0901.21.10")
    assert normalize_code("0901.21.10", national=True) == "09012110"
    assert normalize_code("0901211000", national=True) == "0901211000"


def test_non_ascii_digits_refused() -> None:
    with pytest.raises(InvalidCode):
        normalize_code("٠٩٠١٢١")  # Arabic-Indic digits are not HS digits


def test_format_and_parent() -> None:
    assert format_code("090121") == "0901.21"
    assert format_code("0901") == "0901"
    assert format_code("0901211000") == "0901.21.1000"
    assert parent_of("090121") == "0901"
    assert parent_of("09") is None


def test_leading_digits_for_suggestions() -> None:
    assert leading_digits("0901.2x") == "09012"
    assert leading_digits("coffee") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("HS2017", "HS2017"), ("hs 2017", "HS2017"), ("2017", "HS2017"), ("HS17", "HS2017"),
    ("92", "HS1992"), (None, "HS2022"), ("", "HS2022"),
])
def test_edition_names(text: str | None, expected: str) -> None:
    assert normalize_edition(text) == expected


@pytest.mark.parametrize("text", ["HS2019", "banana", "HS20222"])
def test_unknown_edition(text: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_edition(text)


def test_edit_distance_counts_transpositions_once() -> None:
    assert edit_distance("090121", "090121") == 0
    assert edit_distance("090112", "090121") == 1
    assert edit_distance("090121", "090122") == 1
    assert edit_distance("", "12") == 2


CODES = ["09", "0901", "090111", "090112", "090121", "090122", "090190", "0902", "090210",
         "10", "1001", "100111"]


def test_nearest_codes_same_prefix_first() -> None:
    near = nearest_codes("090129", CODES)
    assert near[:2] == ["090121", "090122"]
    assert len(near) <= 5
    assert "090129" not in near


def test_nearest_codes_typo_by_edit_distance() -> None:
    # a swapped pair of digits finds the intended code
    assert "090112" in nearest_codes("091012", CODES)


def test_nearest_codes_for_malformed_text() -> None:
    assert nearest_codes("0901.2x", CODES)[0].startswith("09012")
    assert nearest_codes("coffee", CODES) == []

"""Duty expressions: parsing real texts, formatting back, computing amounts."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.tariffs.duty import (
    AdValorem,
    Bounded,
    Choice,
    Duty,
    Free,
    Money,
    Specific,
    Sum,
    canonical_unit,
    compute_duty,
    convert_quantity,
    format_duty,
    parse_duty,
)

D = Decimal


@pytest.mark.parametrize(("text", "expected"), [
    ("6.8%", Sum((AdValorem(D("6.8")),))),
    ("Free", Free()),
    ("free", Free()),
    ("1.5¢/kg", Sum((Specific(D("0.015"), "USD", "kg"),))),
    ("0.5Â¢/kg", Sum((Specific(D("0.005"), "USD", "kg"),))),
    ("€ 12.80/100 kg/net", Sum((Specific(D("12.8"), "EUR", "kg", D(100), "net"),))),
    ("$1.20/doz.", Sum((Specific(D("1.2"), "USD", "doz"),))),
    ("US$0.5/liter", Sum((Specific(D("0.5"), "USD", "l"),))),
    ("2 EUR/kg", Sum((Specific(D(2), "EUR", "kg"),))),
    ("16Â¢ each + 2.5%", Sum((Specific(D("0.16"), "USD", "pcs"), AdValorem(D("2.5"))))),
    ("3.4% + 1.2¢/kg", Sum((AdValorem(D("3.4")), Specific(D("0.012"), "USD", "kg")))),
    ("3.7Â¢/kg on drained weight",
     Sum((Specific(D("0.037"), "USD", "kg", D(1), "drained weight"),))),
    ("25%, max 5¢/kg", Bounded(Sum((AdValorem(D(25)),)), None,
                               Sum((Specific(D("0.05"), "USD", "kg"),)))),
    ("10% min 2 EUR/kg", Bounded(Sum((AdValorem(D(10)),)),
                                 Sum((Specific(D(2), "EUR", "kg"),)), None)),
    ("12.8 % MIN 1.6 EUR/100 kg/net",
     Bounded(Sum((AdValorem(D("12.8")),)),
             Sum((Specific(D("1.6"), "EUR", "kg", D(100), "net"),)), None)),
    ("the higher of 10% or 2 EUR/kg",
     Choice((Sum((AdValorem(D(10)),)), Sum((Specific(D(2), "EUR", "kg"),))), "higher")),
    ("10% or 2¢/kg, whichever is greater",
     Choice((Sum((AdValorem(D(10)),)), Sum((Specific(D("0.02"), "USD", "kg"),))), "higher")),
    ("10¢/1,000 pins + 3.5%",
     Sum((Specific(D("0.1"), "USD", "pcs", D(1000), "pins"), AdValorem(D("3.5"))))),
    ("23.7Â¢/pf.liter", Sum((Specific(D("0.237"), "USD", "pf_l"),))),
    ("28.74 GBP / l alc. 100%", Sum((Specific(D("28.74"), "GBP", "l_alc"),))),
    ("0.00 % + 55.00 GBP / 100 kg / net drained wt",
     Sum((AdValorem(D(0)), Specific(D(55), "GBP", "kg", D(100), "net drained wt")))),
    ("12.00 % + 33.40 GBP / 100 kg",
     Sum((AdValorem(D(12)), Specific(D("33.4"), "GBP", "kg", D(100))))),
])
def test_parses_real_duty_texts(text: str, expected: object) -> None:
    duty = parse_duty(text)
    assert duty.parse_ok, duty.problem
    assert duty.expr == expected
    assert duty.text == text  # verbatim text kept
    assert parse_duty(duty.formatted()).expr == duty.expr


@pytest.mark.parametrize("text", [
    "", "   ", "See additional U.S. note 2", "2.5% on the value of the lead content",
    "The rate applicable to the natural juice in heading 2009", "5% or 2¢/kg",
    "3.6606Â¢/kg less 0.020668Â¢/kg for each degree under 100 degrees",
    "25%, max", "12 bananas/kg", "1.5¢/furlong",
])
def test_unparseable_text_is_flagged_and_never_zero(text: str) -> None:
    duty = parse_duty(text)
    assert not duty.parse_ok
    assert duty.problem
    assert duty.text == text
    assert duty.formatted() == text
    result = compute_duty(duty, Money(D(1000), "USD"), {"kg": D(10)})
    assert result.amount is None
    assert "unparsed" in result.problem


def test_default_currency_applies_to_cents_and_dollar() -> None:
    assert parse_duty("5¢/kg", "CAD").expr == Sum((Specific(D("0.05"), "CAD", "kg"),))
    assert parse_duty("$2/kg", "AUD").expr == Sum((Specific(D(2), "AUD", "kg"),))


def test_json_round_trip() -> None:
    for text in ("Free", "3.4% + 1.2¢/kg", "25%, min 1 EUR/kg, max 5 EUR/kg",
                 "the lower of 10% or 2 EUR/100 kg/net"):
        duty = parse_duty(text)
        again = Duty.from_json(text, duty.to_json())
        assert again.expr == duty.expr
    unparsed = Duty.from_json("see note", None)
    assert not unparsed.parse_ok


def test_compute_ad_valorem_and_specific_with_conversion() -> None:
    """3.4% × 1,000 USD = 34 USD; 1.2¢/kg × 2 t = 2,000 kg × 0.012 = 24 USD; total 58."""
    result = compute_duty(parse_duty("3.4% + 1.2¢/kg"), Money(D(1000), "USD"), {"t": D(2)})
    assert result.amount == D("58.000")
    assert any("2000 kg" in line for line in result.lines)
    assert result.missing == []


def test_compute_missing_quantity_is_stated_not_zero() -> None:
    result = compute_duty(parse_duty("1.2¢/kg"), Money(D(1000), "USD"), {"l": D(5)})
    assert result.amount is None
    assert result.missing == ["kg"]
    assert "kg" in result.problem


def test_compute_minimum_maximum_and_choice() -> None:
    value = Money(D(100), "EUR")
    # 10% of 100 = 10 EUR; minimum 2 EUR/kg × 10 kg = 20 EUR → 20
    assert compute_duty(parse_duty("10% min 2 EUR/kg"), value, {"kg": D(10)}).amount == 20
    # 25% of 100 = 25; maximum 1 EUR/kg × 10 kg = 10 → 10
    assert compute_duty(parse_duty("25%, max 1 EUR/kg"), value, {"kg": D(10)}).amount == 10
    # higher of 10% (10) or 3 EUR/kg × 10 (30) → 30
    assert compute_duty(parse_duty("the higher of 10% or 3 EUR/kg"), value,
                        {"kg": D(10)}).amount == 30
    assert compute_duty(parse_duty("the lower of 10% or 3 EUR/kg"), value,
                        {"kg": D(10)}).amount == 10


def test_compute_converts_currency_and_says_when_no_rate() -> None:
    def converter(amount: Decimal, src: str, dst: str) -> Decimal:
        assert (src, dst) == ("EUR", "USD")
        return amount * D("1.10")

    duty = parse_duty("2 EUR/100 kg")
    result = compute_duty(duty, Money(D(500), "USD"), {"kg": D(1000)}, converter)
    assert result.amount == D("22.00")  # 2 × 1000/100 = 20 EUR × 1.10
    missing = compute_duty(duty, Money(D(500), "USD"), {"kg": D(1000)})
    assert missing.amount is None and "exchange rate" in missing.problem


def test_free_and_grams() -> None:
    assert compute_duty(parse_duty("Free"), Money(D(10), "USD")).amount == 0
    assert compute_duty(parse_duty("1 USD/kg"), Money(D(10), "USD"), {"g": D(500)}).amount \
        == D("0.5")


def test_units() -> None:
    assert canonical_unit("Liters") == "l"
    assert canonical_unit("No.") == "pcs"
    assert convert_quantity(D(3), "doz", "pcs") == 36
    assert convert_quantity(D(1), "kg", "l") is None
    with pytest.raises(ValueError):
        canonical_unit("furlong")


# ---------------------------------------------------------------- property-based tests

amounts = st.decimals(min_value=D("0.001"), max_value=D(9999), places=3,
                      allow_nan=False, allow_infinity=False)
percents = st.decimals(min_value=D(0), max_value=D(500), places=2, allow_nan=False,
                       allow_infinity=False)
units = st.sampled_from(["kg", "l", "pcs", "doz", "t", "m2", "pair", "g", "hl", "pf_l",
                         "l_alc", "bbl", "gross", "jewel"])
currencies = st.sampled_from(["USD", "EUR", "GBP", "JPY"])
qualifiers = st.sampled_from(["", "net", "drained weight", "total sugars"])


@st.composite
def terms(draw: st.DrawFn) -> AdValorem | Specific:
    if draw(st.booleans()):
        return AdValorem(draw(percents).normalize())
    return Specific(draw(amounts).normalize(), draw(currencies), draw(units),
                    D(draw(st.sampled_from([1, 100, 1000]))), draw(qualifiers))


sums = st.builds(lambda ts: Sum(tuple(ts)), st.lists(terms(), min_size=1, max_size=3))
bounded = st.builds(Bounded, sums, st.one_of(st.none(), sums), st.one_of(st.none(), sums))
exprs = st.one_of(
    st.just(Free()), sums, bounded,
    st.builds(lambda opts, pick: Choice(tuple(opts), pick),
              st.lists(st.one_of(sums, bounded), min_size=2, max_size=3),
              st.sampled_from(["higher", "lower"])))


def _canonical(expr: object) -> object:
    """Parse the formatted text: the structure must come back unchanged."""
    return parse_duty(format_duty(expr)).expr  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(exprs)
def test_format_then_parse_round_trips(expr: object) -> None:
    once = _canonical(expr)
    assert once is not None
    assert parse_duty(format_duty(once)).expr == once  # type: ignore[arg-type]


real_like = st.one_of(
    st.builds(lambda p: f"{p}%", percents),
    st.builds(lambda a, u: f"{a}¢/{u}", amounts, st.sampled_from(["kg", "liter", "doz.",
                                                                  "pr.", "pf.liter"])),
    st.builds(lambda a, p: f"{a}Â¢/kg + {p}%", amounts, percents),
    st.builds(lambda p, a: f"{p}%, max {a}¢/kg", percents, amounts),
    st.builds(lambda p, a: f"{p} % MIN {a} EUR/100 kg/net", percents, amounts),
    st.builds(lambda p, a: f"the higher of {p}% or {a} EUR/kg", percents, amounts),
    st.builds(lambda a: f"€ {a}/100 kg", amounts),
    st.just("Free"),
)


@settings(max_examples=300, deadline=None)
@given(real_like)
def test_parse_format_parse_is_stable(text: str) -> None:
    first = parse_duty(text)
    assert first.parse_ok, (text, first.problem)
    assert parse_duty(first.formatted()).expr == first.expr


@settings(max_examples=300, deadline=None)
@given(exprs, st.decimals(min_value=D(0), max_value=D(10**7), places=2, allow_nan=False,
                          allow_infinity=False),
       st.dictionaries(units, st.decimals(min_value=D(0), max_value=D(10**6), places=3,
                                          allow_nan=False, allow_infinity=False)))
def test_computed_duty_is_never_negative(expr: object, value: Decimal,
                                         quantities: dict[str, Decimal]) -> None:
    duty = Duty(text=format_duty(expr), expr=expr)  # type: ignore[arg-type]
    result = compute_duty(duty, Money(value, "USD"), quantities,
                          lambda amount, _src, _dst: amount * D("1.3"))
    if result.amount is None:
        assert result.missing or result.problem
    else:
        assert result.amount >= 0


# ---------------------------------------------------------------- the real US files

@pytest.mark.shared_data
def test_parse_rate_over_every_real_us_rate(shared_data: Path) -> None:
    """Every raw rate in the US files: at least 99% parse; the rest are legal prose."""
    texts: list[str] = []
    with (shared_data / "us-tariff" / "products_raw.csv").open(encoding="utf-8-sig") as f:
        texts += [r["base_rate_raw"] for r in csv.DictReader(f) if r["base_rate_raw"].strip()]
    with (shared_data / "us-tariff" / "chapter99_raw.csv").open(encoding="utf-8-sig") as f:
        texts += [r["other_raw"] for r in csv.DictReader(f)
                  if r["other_raw"].strip() and "applicable subheading" not in r["other_raw"]
                  and r["other_raw"].strip() not in ("No change", "No change.")]
    parsed = [parse_duty(t) for t in texts]
    ok = sum(d.parse_ok for d in parsed)
    rate = ok / len(parsed)
    print(f"US duty texts: {len(parsed)}, parsed {ok} ({rate:.2%})")
    assert len(parsed) > 8000
    assert rate >= 0.99
    for duty in parsed:
        if duty.parse_ok:
            assert compute_duty(duty, Money(D(1000), "USD"),
                                {"kg": D(10), "l": D(10), "pcs": D(10), "pair": D(1),
                                 "pf_l": D(1), "jewel": D(1), "m2": D(1),
                                 "bbl": D(1)}).amount is not None or duty.units_needed

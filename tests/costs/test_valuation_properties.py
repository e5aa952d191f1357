"""Valuation between Incoterms on both bases, as properties over all eleven 2020 rules.

The class of fault: a price under one rule taken into a market valuing on the other basis
without the right adjustment (a CIF price into an FOB market keeping its insurance, an FOB
price into a CIF market missing it).  These properties catch any rule or basis getting it wrong.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewind.costs.calculator import AppliedDuty, CostBasis, CostInputs, compute_landed_cost
from tradewind.costs.incoterms import (
    INCOTERMS,
    estimate_insurance_included,
    estimate_insurance_to_add,
    value_on_basis,
)
from tradewind.errors import InvalidInput
from tradewind.fx.rates import Conversion
from tradewind.tariffs.duty import parse_duty

TERMS = st.sampled_from(sorted(INCOTERMS))
BASES = st.sampled_from(["FOB", "CIF"])
MONEY = st.decimals(min_value=Decimal("1"), max_value=Decimal("1000000"), places=2)
SMALL = st.decimals(min_value=Decimal("0"), max_value=Decimal("5000"), places=2)
RATES = st.decimals(min_value=Decimal("0"), max_value=Decimal("5"), places=3)
CENT = Decimal("0.01")


def test_there_are_eleven_rules() -> None:
    assert len(INCOTERMS) == 11


@settings(max_examples=300, deadline=None)
@given(fob=MONEY, freight=SMALL, rate=RATES)
def test_round_trip_fob_to_cif_and_back(fob: Decimal, freight: Decimal, rate: Decimal) -> None:
    """FOB → CIF basis (freight and estimated insurance added) → back to FOB: the same price."""
    cif = value_on_basis(fob, "FOB", "CIF", freight=freight, insurance_rate=rate)
    assert cif.insurance_estimated and cif.freight_added == freight
    back = value_on_basis(cif.value, "CIF", "FOB", freight=freight, insurance_rate=rate)
    assert back.insurance_estimated
    assert abs(back.value - fob) <= 2 * CENT  # two roundings to the cent
    # with the insurance given, the round trip is exact
    exact = value_on_basis(cif.value, "CIF", "FOB", freight=freight,
                           insurance=cif.insurance_added)
    assert exact.value == fob


@settings(max_examples=300, deadline=None)
@given(term=TERMS, basis=BASES, price=MONEY, freight=SMALL, insurance=SMALL, export=SMALL,
       rate=RATES)
def test_never_negative(term: str, basis: str, price: Decimal, freight: Decimal,
                        insurance: Decimal, export: Decimal, rate: Decimal) -> None:
    try:
        result = value_on_basis(price, term, basis, freight=freight, insurance=insurance,
                                export_costs=export, insurance_rate=rate)
    except InvalidInput:
        assert freight + insurance >= price  # only when the deductions eat the price
        return
    assert result.value > 0


@settings(max_examples=300, deadline=None)
@given(term=TERMS, basis=BASES, price=MONEY, step=MONEY, freight=SMALL, rate=RATES)
def test_monotonic_in_price(term: str, basis: str, price: Decimal, step: Decimal,
                            freight: Decimal, rate: Decimal) -> None:
    """A higher price never gives a lower customs value (same freight, same rate)."""
    try:
        low = value_on_basis(price, term, basis, freight=freight, insurance_rate=rate)
    except InvalidInput:
        return
    high = value_on_basis(price + step, term, basis, freight=freight, insurance_rate=rate)
    assert high.value >= low.value


@settings(max_examples=200, deadline=None)
@given(term=TERMS, price=MONEY, freight=SMALL, rate=RATES)
def test_cif_basis_never_below_fob_basis(term: str, price: Decimal, freight: Decimal,
                                         rate: Decimal) -> None:
    """The CIF value includes freight and insurance that the FOB value leaves out."""
    try:
        fob = value_on_basis(price, term, "FOB", freight=freight, insurance_rate=rate)
    except InvalidInput:
        return
    cif = value_on_basis(price, term, "CIF", freight=freight, insurance_rate=rate)
    assert cif.value >= fob.value


@pytest.mark.parametrize("code", sorted(INCOTERMS))
def test_each_rule_adjusts_what_it_should(code: str) -> None:
    """Which adjustments each rule gets on each basis, spelled out."""
    term = INCOTERMS[code]
    fob = value_on_basis(Decimal(10000), code, "FOB", freight=Decimal(800),
                         insurance=Decimal(50) if term.insurance else None,
                         export_costs=Decimal(100))
    cif = value_on_basis(Decimal(10000), code, "CIF", freight=Decimal(800),
                         export_costs=Decimal(100))
    assert (fob.freight_deducted == 800) == term.main_carriage
    assert (fob.insurance_deducted == 50) == term.insurance
    assert (cif.freight_added == 800) == (not term.main_carriage)
    assert (cif.insurance_added > 0) == term.buyer_adds_insurance
    assert (cif.export_costs_added == 100) == (code == "EXW")
    if term.to_destination:
        assert cif.value == Decimal(10000)


def test_cif_price_into_fob_market_deducts_estimated_insurance() -> None:
    """CIF 10,000 with 800 freight, insurance unknown at 0.5 %: k = 0.0055,
    insurance = 10,000 × 0.0055 / 1.0055 = 54.70; FOB value = 10,000 − 800 − 54.70 = 9,145.30."""
    result = value_on_basis(Decimal(10000), "CIF", "FOB", freight=Decimal(800))
    assert result.insurance_deducted == Decimal("54.70")
    assert result.value == Decimal("9145.30")
    assert estimate_insurance_included(Decimal(10000), Decimal("0.5")) == Decimal("54.70")
    assert estimate_insurance_to_add(Decimal("9145.30") + 800, Decimal("0.5")) == Decimal("54.70")


def _same(amount: Decimal, source: str, target: str) -> Conversion:
    return Conversion(amount, amount, source, target, Decimal(1), None, None)


@settings(max_examples=100, deadline=None)
@given(term=TERMS, basis=BASES, price=MONEY, freight=SMALL, rate=RATES)
def test_calculator_uses_the_same_valuation(term: str, basis: str, price: Decimal,
                                            freight: Decimal, rate: Decimal) -> None:
    """The landed-cost calculator's customs value is the valuation function's, for every rule,
    and an estimated insurance is stated in its notes."""
    inputs = CostInputs(product="090111", origin="KEN", destination="USA", incoterm=term,
                        goods_value=price, currency="USD", as_of=date(2025, 1, 1),
                        freight=freight, insurance_rate=rate)
    expected_error = False
    try:
        expected = value_on_basis(price, term, basis, freight=freight, insurance_rate=rate)
    except InvalidInput:
        expected_error = True
    cost_basis = CostBasis(basis, "USD", AppliedDuty("MFN", parse_duty("5%")))  # type: ignore[arg-type]
    try:
        result = compute_landed_cost(inputs, cost_basis, _same)
    except InvalidInput:
        assert expected_error
        return
    assert not expected_error
    assert result.customs_value == expected.value
    if expected.insurance_estimated:
        assert any("110" in note for note in result.notes)

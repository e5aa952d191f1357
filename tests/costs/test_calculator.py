"""Landed-cost worked examples, each computed by hand in its docstring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradewind.costs.calculator import (
    AppliedDuty,
    AppliedTax,
    CostBasis,
    CostInputs,
    compute_landed_cost,
)
from tradewind.costs.incoterms import INCOTERMS, get_incoterm
from tradewind.errors import InvalidInput, NotFound
from tradewind.fx.rates import Conversion, FxRate
from tradewind.tariffs.duty import parse_duty

DAY = date(2025, 3, 3)
RATES = {("USD", "GBP"): Decimal("0.8"), ("USD", "KES"): Decimal("130")}


def fake_convert(amount: Decimal, source: str, target: str) -> Conversion:
    """Fixed rates for the examples; an unknown pair is refused like the real converter."""
    if source == target:
        return Conversion(amount, amount, source, target, Decimal(1), None, None)
    if (source, target) in RATES:
        rate = RATES[(source, target)]
    elif (target, source) in RATES:
        rate = 1 / RATES[(target, source)]
    else:
        raise NotFound(f"no exchange rate from {source} to {target}")
    leg = FxRate("USD", target, rate, date(2025, 3, 1), 7, False)
    return Conversion(amount, amount * rate, source, target, rate, date(2025, 3, 1), None,
                      (leg,), DAY)


def duty(label: str, text: str, currency: str = "USD") -> AppliedDuty:
    return AppliedDuty(label, parse_duty(text, currency))


def tax(label: str, kind: str, text: str) -> AppliedTax:
    return AppliedTax(label, kind, parse_duty(text))


def inputs(**kw: object) -> CostInputs:
    base: dict[str, object] = {"product": "090111", "origin": "KEN", "destination": "GBR",
                               "incoterm": "FOB", "goods_value": Decimal(10000),
                               "currency": "USD", "as_of": DAY}
    base.update(kw)
    return CostInputs(**base)  # type: ignore[arg-type]


def amounts(result: object) -> dict[str, Decimal | None]:
    return {line.key: line.amount for line in result.lines}  # type: ignore[attr-defined]


def test_fob_into_cif_economy_with_vat_and_currency_conversion() -> None:
    """FOB 10,000 USD to the UK, paid in GBP at 1 USD = 0.8 GBP; 500 kg.

    goods 10,000 × 0.8 = 8,000.00 GBP; freight 800 × 0.8 = 640.00; insurance 50 × 0.8 = 40.00
    customs value (CIF) = 8,000 + 640 + 40 = 8,680.00
    duty 12 % × 8,680.00 = 1,041.60
    VAT base = 8,680.00 + 1,041.60 = 9,721.60; VAT 20 % = 1,944.32
    total = 8,000 + 640 + 40 + 1,041.60 + 1,944.32 = 11,665.92; per kg = 11,665.92 / 500 = 23.33
    """
    basis = CostBasis("CIF", "GBP", duty("MFN", "12%"), taxes=(tax("VAT", "VAT", "20%"),))
    result = compute_landed_cost(
        inputs(freight=Decimal(800), insurance=Decimal(50), quantity=Decimal(500), unit="kg"),
        basis, fake_convert)
    got = amounts(result)
    assert result.currency == "GBP"
    assert got["goods"] == Decimal("8000.00")
    assert got["freight"] == Decimal("640.00") and got["insurance"] == Decimal("40.00")
    assert result.customs_value == Decimal("8680.00")
    assert got["duty"] == Decimal("1041.60")
    assert got["vat_base"] == Decimal("9721.60") and got["vat_1"] == Decimal("1944.32")
    assert result.total == Decimal("11665.92") and result.per_unit == Decimal("23.33")
    assert result.complete and not result.warnings
    assert [c.rate for c in result.conversions] == [Decimal("0.8")]
    assert "× 0.800000" in result.line("goods").formula
    assert "12% × 8,680.00 GBP" in result.line("duty").formula


def test_cif_price_into_fob_economy_deducts_freight_and_adds_specific_and_301() -> None:
    """CIF 10,000 USD into the US (FOB basis); the price includes freight 600 and insurance 40.

    customs value (FOB) = 10,000 − 600 − 40 = 9,360.00
    duty 3.4 % × 9,360.00 = 318.24; 1.2 ¢/kg × 2 t (= 2,000 kg) = 24.00; duty = 342.24
    section 301: 25 % × 9,360.00 = 2,340.00; no VAT in the US
    total = 10,000 + 342.24 + 2,340.00 = 12,682.24 (freight and insurance already in the price)
    per t = 12,682.24 / 2 = 6,341.12
    """
    basis = CostBasis("FOB", "USD", duty("MFN", "3.4% + 1.2¢/kg"),
                      additional=(duty("Section 301 (9903.88.03)", "25%"),))
    result = compute_landed_cost(
        inputs(destination="USA", origin="CHN", incoterm="CIF", freight=Decimal(600),
               insurance=Decimal(40), quantity=Decimal(2), unit="t"),
        basis, fake_convert)
    got = amounts(result)
    assert result.customs_value == Decimal("9360.00")
    assert got["duty"] == Decimal("342.24")
    assert got["additional_1"] == Decimal("2340.00")
    assert not result.line("freight").in_total and not result.line("insurance").in_total
    assert result.total == Decimal("12682.24") and result.per_unit == Decimal("6341.12")
    assert result.duties == Decimal("2682.24")
    assert result.conversions == []


def test_exw_with_default_insurance_and_euro_specific_duty() -> None:
    """EXW 5,000 EUR into Germany, export costs 200, freight 300, insurance not given; 1 t.

    insurance = 0.5 % × 110 % × (5,000 + 200 + 300) = 0.005 × 6,050.00 = 30.25
    customs value (CIF) = 5,000 + 200 + 300 + 30.25 = 5,530.25
    duty € 12.80/100 kg × 1,000 kg = 128.00
    VAT base = 5,530.25 + 128.00 = 5,658.25; VAT 19 % = 1,075.0675 → 1,075.07
    total = 5,000 + 200 + 300 + 30.25 + 128.00 + 1,075.07 = 6,733.32
    """
    basis = CostBasis("CIF", "EUR", duty("MFN", "€ 12.80/100 kg/net", "EUR"),
                      taxes=(tax("VAT (DEU)", "VAT", "19%"),))
    result = compute_landed_cost(
        inputs(destination="DEU", incoterm="EXW", goods_value=Decimal(5000), currency="EUR",
               export_costs=Decimal(200), freight=Decimal(300), quantity=Decimal(1000),
               unit="kg"),
        basis, fake_convert)
    got = amounts(result)
    assert got["insurance"] == Decimal("30.25")
    assert "0.5%" in result.line("insurance").note
    assert result.customs_value == Decimal("5530.25")
    assert got["duty"] == Decimal("128.00")
    assert got["vat_1"] == Decimal("1075.07")
    assert result.total == Decimal("6733.32")


def test_excise_goes_into_the_vat_base() -> None:
    """CIF 1,000 USD of spirits, 100 l; duty 10 %; excise 2 USD/l; VAT 16 %.

    customs value = 1,000.00 (CIF price); duty = 100.00; excise = 2 × 100 = 200.00
    VAT base = 1,000 + 100 + 200 = 1,300.00; VAT = 208.00
    total = 1,000 + 100 + 200 + 208 = 1,508.00
    """
    basis = CostBasis("CIF", "USD", duty("MFN", "10%"),
                      taxes=(tax("Excise", "excise", "$2/liter"), tax("VAT", "VAT", "16%")))
    result = compute_landed_cost(
        inputs(destination="KEN", incoterm="CIF", goods_value=Decimal(1000),
               quantity=Decimal(100), unit="l", result_currency="USD"),
        basis, fake_convert)
    got = amounts(result)
    assert got["tax_1"] == Decimal("200.00") and got["vat_base"] == Decimal("1300.00")
    assert got["vat_1"] == Decimal("208.00") and result.total == Decimal("1508.00")


def test_specific_duty_in_another_currency_is_converted_and_shown() -> None:
    """CIF 1,000 USD into Kenya paid in KES (1 USD = 130 KES); duty 0.5 USD/kg on 200 kg.

    goods = 130,000.00 KES = customs value; duty = 0.5 × 200 = 100 USD = 13,000.00 KES
    total = 143,000.00 KES
    """
    basis = CostBasis("CIF", "KES", duty("MFN", "US$0.5/kg"))
    result = compute_landed_cost(
        inputs(destination="KEN", incoterm="CIF", goods_value=Decimal(1000),
               quantity=Decimal(200), unit="kg"),
        basis, fake_convert)
    assert amounts(result)["duty"] == Decimal("13000.00")
    assert result.total == Decimal("143000.00")
    assert "13,000.00 KES" in result.line("duty").formula


def test_missing_quantity_and_unparsed_text_are_never_zero() -> None:
    """A per-kg duty without a quantity and unparseable duty text leave the total incomplete."""
    basis = CostBasis("CIF", "USD", duty("MFN", "1.5¢/kg"),
                      additional=(duty("Odd measure", "see note 7(b) to chapter 99"),))
    result = compute_landed_cost(inputs(incoterm="CIF", destination="USA"), basis, fake_convert)
    assert result.line("duty").amount is None and "kg" in result.line("duty").note
    assert result.line("additional_1").amount is None
    assert not result.complete and result.duties is None
    assert result.line("total").label.endswith("(at least)")
    assert result.total == Decimal("10000.00")
    assert len(result.warnings) == 2


def test_no_schedule_is_stated() -> None:
    result = compute_landed_cost(inputs(incoterm="CIF"), CostBasis("CIF", "USD", None),
                                 fake_convert)
    assert not result.complete and any("No tariff schedule" in w for w in result.warnings)


def test_ddp_shows_duties_but_does_not_add_them() -> None:
    """DDP 10,000 USD, other charge 150 (broker): duties 5 % = 500 shown, not added.

    total = 10,000 + 150 = 10,150.00
    """
    basis = CostBasis("CIF", "USD", duty("MFN", "5%"), taxes=(tax("VAT", "VAT", "10%"),))
    result = compute_landed_cost(
        inputs(incoterm="DDP", other_charges=(("Customs broker", Decimal(150)),)),
        basis, fake_convert)
    assert result.line("duty").amount == Decimal("500.00") and not result.line("duty").in_total
    assert result.total == Decimal("10150.00")


def test_fob_basis_warns_when_included_freight_is_unknown() -> None:
    basis = CostBasis("FOB", "USD", duty("MFN", "Free"))
    result = compute_landed_cost(inputs(incoterm="CFR", destination="USA"), basis, fake_convert)
    assert result.customs_value == Decimal("10000.00")
    assert any("deducted" in w for w in result.warnings)


def test_missing_fx_rate_is_an_error() -> None:
    basis = CostBasis("CIF", "JPY", duty("MFN", "5%"))
    with pytest.raises(NotFound):
        compute_landed_cost(inputs(incoterm="CIF"), basis, fake_convert)


@pytest.mark.parametrize("code", list(INCOTERMS))
def test_each_incoterm_adds_exactly_the_costs_it_leaves_to_the_buyer(code: str) -> None:
    """Goods 1,000, export 10, freight 100, insurance 5 (CIF basis, duty free, no VAT).

    EXW: 1,000 + 10 + 100 + 5 = 1,115; FCA/FAS/FOB: 1,105; CFR/CPT: 1,005; CIF/CIP: 1,000;
    DAP/DPU/DDP: 1,000 (delivered prices already cover transport and insurance risk).
    """
    expected = {"E": Decimal(1115), "F": Decimal(1105)}
    term = get_incoterm(code)
    want = expected.get(term.group)
    if want is None:
        want = Decimal(1005) if term.group == "C" and not term.insurance else Decimal(1000)
    result = compute_landed_cost(
        inputs(incoterm=code.lower(), goods_value=Decimal(1000), export_costs=Decimal(10),
               freight=Decimal(100), insurance=Decimal(5)),
        CostBasis("CIF", "USD", duty("MFN", "Free")), fake_convert)
    assert result.customs_value == want
    assert result.total == want


@pytest.mark.parametrize("kw", [
    {"goods_value": Decimal(0)}, {"freight": Decimal(-1)}, {"quantity": Decimal(0), "unit": "kg"},
    {"quantity": Decimal(5)}, {"other_charges": (("x", Decimal(-3)),)},
])
def test_bad_inputs_are_refused(kw: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        inputs(**kw)


def test_unknown_incoterm_lists_the_eleven() -> None:
    with pytest.raises(InvalidInput, match="EXW, FCA"):
        get_incoterm("FOR")
    assert len(INCOTERMS) == 11 and get_incoterm("Incoterms FOB").code == "FOB"

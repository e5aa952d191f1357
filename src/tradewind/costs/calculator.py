"""Landed-cost arithmetic on plain dataclasses, line by line with the formula of each line.

No database here: :func:`compute_landed_cost` receives the inputs, the tariff facts of the
destination (valuation basis, the duty applied, additional duties, taxes) and a currency
converter, so worked examples can be checked by hand in tests.  Every line is rounded to
cents and later lines use the rounded figures, as a customs declaration does.

Order of the calculation:

1. goods price, converted to the result currency;
2. costs the Incoterm leaves to the buyer (export clearance for EXW, main carriage for E/F
   rules, insurance for E/F and CFR/CPT — a default of 0.5 % on 110 % of the value when not
   given);
3. customs value on the destination's basis: CIF (price + costs to the border) or FOB
   (price without main carriage and insurance, deducted when the price includes them);
4. duty, additional duties, excise on the customs value (specific duties on the quantity);
5. VAT/GST on customs value + duties + excise;
6. other charges; total landed cost and cost per unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from tradewind.costs.incoterms import (
    DEFAULT_INSURANCE_RATE,
    Incoterm,
    estimate_insurance_to_add,
    get_incoterm,
    value_on_basis,
)
from tradewind.errors import ConflictingInput, InvalidInput, TradewindError
from tradewind.fx.rates import Conversion
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.i18n.formatting import format_number
from tradewind.tariffs.duty import Duty, Money, compute_duty

CENT = Decimal("0.01")
DEFAULT_INSURANCE_PREMIUM = DEFAULT_INSURANCE_RATE  # percent of the insured value
VAT_KINDS = ("VAT", "GST", "sales", "consumption")

#: ``converter(amount, from_ccy, to_ccy) -> Conversion``; raises when no rate is known.
Converter = Callable[[Decimal, str, str], Conversion]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | None, currency: str) -> str:
    if value is None:
        return "?"
    return f"{cents(value):,} {currency}"


@dataclass(frozen=True)
class CostInputs:
    """What the user enters.  Money amounts are in ``currency``."""

    product: str
    origin: str
    destination: str
    incoterm: str
    goods_value: Decimal
    currency: str
    as_of: date
    freight: Decimal | None = None
    insurance: Decimal | None = None
    export_costs: Decimal | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    other_charges: tuple[tuple[str, Decimal], ...] = ()
    result_currency: str | None = None
    use_preference: bool = True
    insurance_rate: Decimal = DEFAULT_INSURANCE_RATE  # percent, when insurance is estimated

    def __post_init__(self) -> None:
        if self.goods_value <= 0:
            raise InvalidInput(N_("the goods value must be more than zero"))
        for name in ("freight", "insurance", "export_costs"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidInput(N_("%(name)s cannot be negative"), name=name.replace('_', ' '))
        if self.insurance_rate < 0:
            raise InvalidInput(N_("the insurance rate cannot be negative"))
        if self.quantity is not None and self.quantity <= 0:
            raise InvalidInput(N_("the quantity must be more than zero"))
        if self.quantity is not None and not self.unit:
            raise ConflictingInput(N_("give the unit of the quantity (kg, l, pcs…)"))
        for label, amount in self.other_charges:
            if amount < 0:
                raise InvalidInput(N_("charge %(label)r cannot be negative"), label=label)


@dataclass(frozen=True)
class AppliedDuty:
    """A duty the destination applies to this product and origin."""

    label: str  # "MFN", "EU–Kenya EPA", "Section 301 (9903.88.15)"
    duty: Duty


@dataclass(frozen=True)
class AppliedTax:
    """A domestic tax charged at import (VAT/GST on the duty-paid value; excise on value or quantity)."""

    label: str
    kind: str  # VAT, GST, excise, sales, other
    rate: Duty


@dataclass(frozen=True)
class CostBasis:
    """The destination's facts the calculation needs (built from the market-access answer)."""

    valuation_basis: Literal["CIF", "FOB"]
    currency: str  # the destination's currency (default result currency)
    duty: AppliedDuty | None  # the MFN duty; None: no schedule known for this destination
    preferences: tuple[AppliedDuty, ...] = ()  # the lowest computed one is used if asked
    additional: tuple[AppliedDuty, ...] = ()
    taxes: tuple[AppliedTax, ...] = ()
    is_sample: bool = False
    notes: tuple[str, ...] = ()


@dataclass
class CostLine:
    key: str
    label: str
    amount: Decimal | None  # None: could not be computed (reason in ``note``)
    formula: str
    note: str = ""
    in_total: bool = True
    kind: str = "cost"  # cost, subtotal, duty, tax, total, info
    details: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label,
                "amount": str(self.amount) if self.amount is not None else None,
                "formula": self.formula, "note": self.note, "in_total": self.in_total,
                "kind": self.kind, "details": self.details}


@dataclass
class LandedCost:
    inputs: CostInputs
    incoterm: Incoterm
    currency: str
    valuation_basis: str
    lines: list[CostLine]
    customs_value: Decimal
    duties: Decimal | None
    taxes: Decimal | None
    total: Decimal
    per_unit: Decimal | None
    complete: bool  # False when a duty or tax could not be computed (total is then a minimum)
    conversions: list[Conversion]
    warnings: list[str]
    notes: list[str]
    is_sample: bool

    def line(self, key: str) -> CostLine:
        for item in self.lines:
            if item.key == key:
                return item
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        i = self.inputs
        return {
            "inputs": {
                "product": i.product, "origin": i.origin, "destination": i.destination,
                "incoterm": i.incoterm, "goods_value": str(i.goods_value),
                "currency": i.currency, "as_of": i.as_of.isoformat(),
                "freight": str(i.freight) if i.freight is not None else None,
                "insurance": str(i.insurance) if i.insurance is not None else None,
                "export_costs": str(i.export_costs) if i.export_costs is not None else None,
                "quantity": str(i.quantity) if i.quantity is not None else None,
                "unit": i.unit,
                "other_charges": [{"label": label, "amount": str(a)}
                                  for label, a in i.other_charges],
            },
            "incoterm": {"code": self.incoterm.code, "name": self.incoterm.name},
            "currency": self.currency,
            "valuation_basis": self.valuation_basis,
            "lines": [line.as_dict() for line in self.lines],
            "customs_value": str(self.customs_value),
            "duties": str(self.duties) if self.duties is not None else None,
            "taxes": str(self.taxes) if self.taxes is not None else None,
            "total": str(self.total),
            "per_unit": str(self.per_unit) if self.per_unit is not None else None,
            "complete": self.complete,
            "fx": [c.as_dict() for c in self.conversions],
            "warnings": self.warnings,
            "notes": self.notes,
            "sample": self.is_sample,
        }


class _Converter:
    """Remembers the conversions used so the result can show every rate and its date."""

    def __init__(self, convert: Converter) -> None:
        self.convert = convert
        self.used: dict[tuple[str, str], Conversion] = {}

    def rate(self, source: str, target: str) -> Conversion:
        key = (source, target)
        if key not in self.used:
            self.used[key] = self.convert(Decimal(1), source, target)
        return self.used[key]

    def __call__(self, amount: Decimal, source: str, target: str) -> Decimal:
        if source == target:
            return amount
        return amount * self.rate(source, target).rate


def _duty_line(key: str, label: str, applied: AppliedDuty, value: Decimal, currency: str,
               quantities: dict[str, Decimal], converter: _Converter, kind: str,
               in_total: bool) -> CostLine:
    try:
        result = compute_duty(applied.duty, Money(value, currency), quantities, converter)
    except TradewindError as exc:  # a rate needed for a specific duty is missing
        return CostLine(key, label, None, applied.duty.text, note=str(exc), kind=kind,
                        in_total=in_total)
    formula = "; ".join(result.lines) or applied.duty.formatted()
    if result.amount is None:
        note = result.problem
        if result.missing:
            note = _("this duty is charged per %(unit)s: enter the quantity in %(unit)s",
                     unit=", ".join(result.missing))
        return CostLine(key, label, None, formula or applied.duty.text, note=note, kind=kind,
                        in_total=in_total)
    return CostLine(key, label, cents(result.amount), formula, kind=kind, in_total=in_total)


def compute_landed_cost(inputs: CostInputs, basis: CostBasis, convert: Converter) -> LandedCost:
    """The landed cost of ``inputs`` given the destination's ``basis``; see the module doc."""
    term = get_incoterm(inputs.incoterm)
    currency = (inputs.result_currency or basis.currency).upper()
    converter = _Converter(convert)
    warnings: list[str] = []
    notes: list[str] = list(basis.notes)
    lines: list[CostLine] = []

    fx = converter.rate(inputs.currency, currency) if inputs.currency != currency else None

    def in_result(amount: Decimal) -> tuple[Decimal, str]:
        if fx is None:
            return cents(amount), money(amount, currency)
        return (cents(amount * fx.rate),
                f"{money(amount, inputs.currency)} × {fx.rate:.6f} = "
                f"{money(amount * fx.rate, currency)}")

    goods, goods_formula = in_result(inputs.goods_value)
    lines.append(CostLine("goods", _("Goods price (%(term)s)", term=term.code), goods,
                          goods_formula, kind="cost"))

    # --- costs the buyer adds under this Incoterm -------------------------------------------
    def buyer_cost(key: str, label: str, amount: Decimal | None, missing: str) -> Decimal:
        """A cost the buyer adds; when not given it counts as zero, with a warning."""
        if amount is None:
            warnings.append(missing)
            lines.append(CostLine(key, label, Decimal(0), _("not given"), kind="cost"))
            return Decimal(0)
        converted, formula = in_result(amount)
        lines.append(CostLine(key, label, converted, formula, kind="cost"))
        return converted

    export_costs = Decimal(0)
    if term.buyer_adds_export_costs:
        export_costs = buyer_cost(
            "export_costs", _("Export clearance and loading"), inputs.export_costs,
            _("EXW: export clearance and loading costs were not given and are counted as "
              "zero."))

    freight_added = Decimal(0)
    freight_included: Decimal | None = None  # the freight inside a C or D price, when given
    if term.buyer_adds_freight:
        freight_added = buyer_cost(
            "freight", _("Freight to the destination"), inputs.freight,
            _("Freight was not given and is counted as zero: the landed cost is understated."))
    elif inputs.freight is not None:
        freight_included, formula = in_result(inputs.freight)
        lines.append(CostLine("freight", _("Freight (included in the %(term)s price)",
                                           term=term.code),
                              freight_included, formula, kind="info", in_total=False))

    rate = inputs.insurance_rate
    rate_text = format_number(rate, 3)  # as the reader writes it (0.5 / 0,5)
    insurance_added = Decimal(0)
    insurance_given = None if inputs.insurance is None else in_result(inputs.insurance)
    if term.buyer_adds_insurance:
        if insurance_given is None:
            insurance_added = estimate_insurance_to_add(goods + export_costs + freight_added,
                                                        rate)
            formula = (f"{rate.normalize():f}% × 110% × "
                       f"({money(goods + export_costs + freight_added, currency)}) = "
                       f"{money(insurance_added, currency)}")
            lines.append(CostLine("insurance", _("Insurance (estimated)"), insurance_added,
                                  formula, kind="cost",
                                  note=_("Insurance was not given: estimated at a %(rate)s%% "
                                         "premium on 110%% of the value. Enter your quote to "
                                         "replace it.", rate=rate_text)))
            notes.append(_("Insurance estimated at %(rate)s%% of 110%% of the value.",
                           rate=rate_text))
        else:
            insurance_added, formula = insurance_given
            lines.append(CostLine("insurance", _("Insurance"), insurance_added, formula,
                                  kind="cost"))
    elif insurance_given is not None and not term.to_destination:
        lines.append(CostLine("insurance", _("Insurance (included in the %(term)s price)",
                                             term=term.code),
                              insurance_given[0], insurance_given[1], kind="info",
                              in_total=False))

    # --- customs value: one implementation of the valuation rules (costs.incoterms) -----------
    valuation = value_on_basis(
        goods, term, basis.valuation_basis,
        freight=(freight_added if term.buyer_adds_freight and inputs.freight is not None
                 else freight_included),
        insurance=insurance_given[0] if insurance_given is not None else
        (insurance_added if term.buyer_adds_insurance else None),
        export_costs=export_costs if term.buyer_adds_export_costs else None,
        insurance_rate=rate)
    customs_value = valuation.value
    if basis.valuation_basis == "FOB":
        parts = [money(goods, currency)]
        if valuation.export_costs_added:
            parts.append(money(valuation.export_costs_added, currency))
        formula = " + ".join(parts)
        for deduction in (valuation.freight_deducted, valuation.insurance_deducted):
            if deduction:
                formula += f" − {money(deduction, currency)}"
        if valuation.insurance_estimated:
            lines.append(CostLine(
                "insurance", _("Insurance (estimated, included in the %(term)s price)",
                               term=term.code),
                valuation.insurance_deducted,
                f"{money(goods, currency)} × {rate.normalize():f}% × 110% ÷ "
                f"(1 + {rate.normalize():f}% × 110%) = "
                f"{money(valuation.insurance_deducted, currency)}",
                kind="info", in_total=False,
                note=_("The insurance included in the price was not given: estimated at a "
                       "%(rate)s%% premium on 110%% of the value and deducted. Enter the "
                       "insured amount to replace it.", rate=rate_text)))
            notes.append(_("Insurance included in the %(term)s price estimated at %(rate)s%% of "
                           "110%% of the value.", term=term.code, rate=rate_text))
        if valuation.freight_missing:
            warnings.append(_("This destination values goods FOB but the %(term)s price includes "
                              "the main carriage: enter the freight (and insurance) included so "
                              "they can be deducted. The price is used as it is.",
                              term=term.code))
        label = _("Customs value (FOB basis)")
    else:
        formula = " + ".join(money(v, currency) for v in
                             (goods, export_costs, freight_added, insurance_added) if v)
        if term.to_destination:
            notes.append(_("The %(term)s price covers delivery inside the destination country; "
                           "transport after arrival may be deducted from the customs value when "
                           "it is shown separately on the invoice.", term=term.code))
        label = _("Customs value (CIF basis)")
    customs_value = cents(customs_value)
    lines.append(CostLine("customs_value", label, customs_value,
                          f"{formula} = {money(customs_value, currency)}", kind="subtotal",
                          in_total=False))

    # --- duties -------------------------------------------------------------------------------
    quantities: dict[str, Decimal] = {}
    if inputs.quantity is not None and inputs.unit:
        quantities[inputs.unit] = inputs.quantity
    seller_pays = term.import_duties
    complete = True
    duty_lines: list[CostLine] = []
    if basis.duty is None:
        complete = False
        warnings.append(_("No tariff schedule is known for this destination: the duty is "
                          "not included."))
        duty_lines.append(CostLine("duty", _("Import duty"), None, "", kind="duty",
                                   note=_("no schedule imported"), in_total=not seller_pays))
    else:
        chosen = _duty_line("duty", _("Import duty: %(label)s", label=basis.duty.label),
                            basis.duty, customs_value, currency, quantities, converter, "duty",
                            not seller_pays)
        if inputs.use_preference and basis.preferences:
            compared = [f"{basis.duty.label}: {money(chosen.amount, currency)}"]
            for pref in basis.preferences:
                option = _duty_line("duty", _("Import duty: %(label)s", label=pref.label), pref,
                                    customs_value, currency, quantities, converter, "duty",
                                    not seller_pays)
                compared.append(f"{pref.label}: {money(option.amount, currency)}")
                if option.amount is not None and (chosen.amount is None
                                                  or option.amount < chosen.amount):
                    chosen = option
            chosen.details = compared
            if chosen.label != _("Import duty: %(label)s", label=basis.duty.label):
                notes.append(_("The preferential rate applies only to goods that meet the "
                               "agreement's rules of origin, with proof of origin."))
        duty_lines.append(chosen)
    for n, extra in enumerate(basis.additional, start=1):
        duty_lines.append(_duty_line(f"additional_{n}",
                                     _("Additional duty: %(label)s", label=extra.label), extra,
                                     customs_value, currency, quantities, converter, "duty",
                                     not seller_pays))
    excise_lines: list[CostLine] = []
    vat_taxes: list[AppliedTax] = []
    n_tax = 0
    for tax in basis.taxes:
        if tax.kind in VAT_KINDS:
            vat_taxes.append(tax)
            continue
        n_tax += 1
        excise_lines.append(_duty_line(f"tax_{n_tax}", tax.label, AppliedDuty(tax.label, tax.rate),
                                       customs_value, currency, quantities, converter, "tax",
                                       not seller_pays))
    lines.extend(duty_lines)
    lines.extend(excise_lines)

    known = [line.amount for line in duty_lines + excise_lines if line.amount is not None]
    if any(line.amount is None for line in duty_lines + excise_lines):
        complete = False
        for line in duty_lines + excise_lines:
            if line.amount is None:
                warnings.append(_("%(label)s could not be computed: %(why)s", label=line.label,
                                  why=line.note or _("unknown")))
    duties_total = sum((a for a in known), Decimal(0))

    vat_lines: list[CostLine] = []
    if vat_taxes:
        vat_base = customs_value + duties_total
        base_formula = " + ".join(
            [money(customs_value, currency)]
            + [money(line.amount, currency) for line in duty_lines + excise_lines
               if line.amount])
        vat_lines.append(CostLine("vat_base", _("Base for VAT/GST (customs value + duties + "
                                                "excise)"),
                                  vat_base, f"{base_formula} = {money(vat_base, currency)}",
                                  kind="subtotal", in_total=False))
        for n, tax in enumerate(vat_taxes, start=1):
            vat_lines.append(_duty_line(f"vat_{n}", tax.label, AppliedDuty(tax.label, tax.rate),
                                        vat_base, currency, quantities, converter, "tax",
                                        not seller_pays))
        for line in vat_lines:
            if line.kind == "tax" and line.amount is None:
                complete = False
                warnings.append(_("%(label)s could not be computed: %(why)s", label=line.label,
                                  why=line.note or _("unknown")))
    lines.extend(vat_lines)
    taxes_total = sum((line.amount for line in excise_lines + vat_lines
                       if line.kind == "tax" and line.amount is not None), Decimal(0))
    duties_only = sum((line.amount for line in duty_lines if line.amount is not None), Decimal(0))
    if seller_pays:
        notes.append(_("DDP: the seller pays import duties and taxes; they are shown for "
                       "information and are not added to the price."))

    # --- other charges and total --------------------------------------------------------------
    for n, (label, amount) in enumerate(inputs.other_charges, start=1):
        value, formula = in_result(amount)
        lines.append(CostLine(f"other_{n}", label, value, formula, kind="cost"))

    total = sum((line.amount for line in lines
                 if line.in_total and line.amount is not None and line.kind in
                 ("cost", "duty", "tax")), Decimal(0))
    parts = [money(line.amount, currency) for line in lines
             if line.in_total and line.amount is not None and line.kind in ("cost", "duty", "tax")]
    lines.append(CostLine("total", _("Total landed cost") if complete
                          else _("Total landed cost (at least)"), total,
                          " + ".join(parts) + f" = {money(total, currency)}", kind="total",
                          in_total=False))
    per_unit: Decimal | None = None
    if inputs.quantity:
        per_unit = cents(total / inputs.quantity)
        lines.append(CostLine("per_unit", _("Cost per %(unit)s", unit=inputs.unit or ""),
                              per_unit,
                              f"{money(total, currency)} ÷ {inputs.quantity.normalize():f} "
                              f"{inputs.unit} = {money(total / inputs.quantity, currency)}",
                              kind="total", in_total=False))
    if vat_taxes and not seller_pays:
        notes.append(_("Importers registered for VAT/GST can usually recover it."))
    return LandedCost(
        inputs=inputs, incoterm=term, currency=currency,
        valuation_basis=basis.valuation_basis, lines=lines, customs_value=customs_value,
        duties=duties_only if complete else None, taxes=taxes_total if complete else None,
        total=total, per_unit=per_unit, complete=complete,
        conversions=list(converter.used.values()), warnings=warnings, notes=notes,
        is_sample=basis.is_sample or any(c.is_sample for c in converter.used.values()),
    )

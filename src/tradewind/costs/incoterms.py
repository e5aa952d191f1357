"""The eleven Incoterms® 2020 rules and which costs the seller's price already covers.

The landed-cost calculator uses these flags to decide which costs the buyer still adds
(export clearance and loading for EXW; main carriage and insurance for the E and F rules;
insurance for CFR/CPT) and, for economies that value goods FOB, which costs it may deduct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tradewind.errors import ConflictingInput, InvalidInput
from tradewind.i18n import lazy_noop
from tradewind.i18n import lazy_noop as N_


@dataclass(frozen=True)
class Incoterm:
    code: str
    name: str
    group: str  # E, F, C or D
    sea_only: bool  # FAS, FOB, CFR, CIF: sea and inland waterway only
    export_clearance: bool  # seller clears the goods for export (and loads, for FOB)
    main_carriage: bool  # seller pays the main (international) carriage
    insurance: bool  # seller must insure the goods (CIF: clause C, CIP: clause A)
    to_destination: bool  # the price covers delivery in the destination country (D rules)
    unloading: bool  # seller unloads at destination (DPU)
    import_duties: bool  # seller pays import clearance, duties and taxes (DDP)
    summary: str

    @property
    def buyer_adds_freight(self) -> bool:
        return not self.main_carriage

    @property
    def buyer_adds_insurance(self) -> bool:
        return not self.insurance and not self.to_destination

    @property
    def buyer_adds_export_costs(self) -> bool:
        return not self.export_clearance

    @property
    def glossary_slug(self) -> str:
        return self.code.lower()


INCOTERMS: dict[str, Incoterm] = {t.code: t for t in (
    Incoterm("EXW", "Ex Works", "E", False, False, False, False, False, False, False,
             lazy_noop("The buyer collects at the seller's premises and pays everything from there: "
                "export clearance and loading, freight, insurance, import duties and taxes.")),
    Incoterm("FCA", "Free Carrier", "F", False, True, False, False, False, False, False,
             lazy_noop("The seller clears the goods for export and hands them to the buyer's carrier; "
                "the buyer pays the main carriage, insurance, duties and taxes.")),
    Incoterm("FAS", "Free Alongside Ship", "F", True, True, False, False, False, False, False,
             lazy_noop("The seller clears for export and places the goods alongside the ship; the "
                "buyer pays loading, sea freight, insurance, duties and taxes.")),
    Incoterm("FOB", "Free On Board", "F", True, True, False, False, False, False, False,
             lazy_noop("The seller clears for export and loads the goods on board; the buyer pays "
                "sea freight, insurance, duties and taxes.")),
    Incoterm("CFR", "Cost and Freight", "C", True, True, True, False, False, False, False,
             lazy_noop("The seller pays sea freight to the port of destination; the buyer pays "
                "insurance, duties and taxes.")),
    Incoterm("CIF", "Cost, Insurance and Freight", "C", True, True, True, True, False, False,
             False,
             lazy_noop("The seller pays sea freight and minimum insurance to the port of destination; "
                "the buyer pays duties and taxes.")),
    Incoterm("CPT", "Carriage Paid To", "C", False, True, True, False, False, False, False,
             lazy_noop("The seller pays carriage to the named destination; the buyer pays insurance, "
                "duties and taxes.")),
    Incoterm("CIP", "Carriage and Insurance Paid To", "C", False, True, True, True, False,
             False, False,
             lazy_noop("The seller pays carriage and all-risks insurance to the named destination; "
                "the buyer pays duties and taxes.")),
    Incoterm("DAP", "Delivered at Place", "D", False, True, True, False, True, False, False,
             lazy_noop("The seller delivers, ready for unloading, at the named place in the "
                "destination country; the buyer pays import duties and taxes.")),
    Incoterm("DPU", "Delivered at Place Unloaded", "D", False, True, True, False, True, True,
             False,
             lazy_noop("The seller delivers and unloads at the named place in the destination "
                "country; the buyer pays import duties and taxes.")),
    Incoterm("DDP", "Delivered Duty Paid", "D", False, True, True, False, True, False, True,
             lazy_noop("The seller delivers at the named place and pays import clearance, duties and "
                "taxes: the price is the landed cost.")),
)}


def get_incoterm(code: str) -> Incoterm:
    """The rule for ``code`` (case-insensitive); InvalidInput lists the eleven valid codes."""
    key = (code or "").strip().upper()
    if key.startswith("INCOTERMS"):
        key = key.removeprefix("INCOTERMS").strip()
    try:
        return INCOTERMS[key]
    except KeyError:
        raise InvalidInput(N_("%(given)r is not an Incoterms 2020 rule: use one of %(rules)s"),
                           given=code, rules=", ".join(INCOTERMS)) from None


# --- valuation: a price under one rule, expressed on the FOB or CIF basis -----------------------

CENT = Decimal("0.01")
#: Incoterms minimum cover is 110 % of the contract value; the premium is a percentage of it.
INSURED_SHARE = Decimal("1.10")
DEFAULT_INSURANCE_RATE = Decimal("0.5")  # percent; the ``insurance_rate_percent`` setting


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def insurance_factor(rate_percent: Decimal) -> Decimal:
    """k such that insurance = k × (cost + freight): the premium on 110 % of the value."""
    return INSURED_SHARE * rate_percent / 100


def estimate_insurance_to_add(cost_and_freight: Decimal, rate_percent: Decimal) -> Decimal:
    """Insurance a buyer adds to a price without it (EXW/F rules, CFR, CPT)."""
    return _cents(_cents(cost_and_freight * INSURED_SHARE) * rate_percent / 100)


def estimate_insurance_included(insured_price: Decimal, rate_percent: Decimal) -> Decimal:
    """Insurance already inside a CIF/CIP price: the exact inverse of adding it.

    A CIF price is (C + F)(1 + k), so the insurance in it is CIF × k / (1 + k); deducting
    this from a CIF price built with the same rate gives back C + F to the cent.
    """
    k = insurance_factor(rate_percent)
    return _cents(insured_price * k / (1 + k))


@dataclass(frozen=True)
class Valuation:
    """A price under ``term`` expressed on ``basis``, with each adjustment and assumption."""

    term: str
    basis: str  # "FOB" or "CIF"
    price: Decimal
    value: Decimal
    export_costs_added: Decimal = Decimal(0)
    freight_added: Decimal = Decimal(0)
    insurance_added: Decimal = Decimal(0)
    freight_deducted: Decimal = Decimal(0)
    insurance_deducted: Decimal = Decimal(0)
    insurance_estimated: bool = False  # the insurance figure is an estimate at ``rate``
    freight_missing: bool = False  # freight was needed but not given: counted as zero
    insurance_rate: Decimal = DEFAULT_INSURANCE_RATE


def value_on_basis(price: Decimal, term: Incoterm | str, basis: str, *,
                   freight: Decimal | None = None, insurance: Decimal | None = None,
                   export_costs: Decimal | None = None,
                   insurance_rate: Decimal = DEFAULT_INSURANCE_RATE) -> Valuation:
    """``price`` (agreed under ``term``) on the FOB or CIF valuation basis.

    FOB basis: a price that includes the main carriage (C and D rules) has the freight
    deducted, and one that includes insurance (CIF, CIP) the insurance too — estimated at
    ``insurance_rate`` on 110 % of the value when not given.  CIF basis: the reverse — freight
    and insurance the price leaves to the buyer are added (insurance estimated the same way).
    EXW adds the export clearance and loading under both bases.  D-rule prices cover delivery
    inside the destination: on the CIF basis they are used as they are.
    Raises InvalidInput when the deductions exceed the price, so a value is never negative.
    """
    rule = term if isinstance(term, Incoterm) else get_incoterm(term)
    kind = basis.upper()
    if kind not in ("FOB", "CIF"):
        raise InvalidInput(N_("%(basis)r is not a valuation basis: use FOB or CIF"), basis=basis)
    if price < 0 or any(v is not None and v < 0 for v in (freight, insurance, export_costs)):
        raise InvalidInput(N_("prices, freight and insurance cannot be negative"))
    if insurance_rate < 0:
        raise InvalidInput(N_("the insurance rate cannot be negative"))
    price = _cents(price)
    extra = _cents(export_costs or Decimal(0)) if rule.buyer_adds_export_costs else Decimal(0)
    fields: dict[str, object] = {"export_costs_added": extra, "insurance_rate": insurance_rate}
    value = price + extra
    if kind == "FOB":
        if rule.main_carriage:
            if freight is None:
                fields["freight_missing"] = True
            else:
                fields["freight_deducted"] = _cents(freight)
                value -= _cents(freight)
        if rule.insurance:
            if insurance is None:
                deducted = estimate_insurance_included(price, insurance_rate)
                fields["insurance_estimated"] = True
            else:
                deducted = _cents(insurance)
            fields["insurance_deducted"] = deducted
            value -= deducted
        elif rule.to_destination and insurance is not None:
            fields["insurance_deducted"] = _cents(insurance)  # insurance shown on the invoice
            value -= _cents(insurance)
        if value < 0 or (value == 0 and price > 0):
            raise ConflictingInput(N_("the freight and insurance deducted exceed the goods price"))
    else:
        added = Decimal(0)
        if rule.buyer_adds_freight:
            if freight is None:
                fields["freight_missing"] = True
            else:
                added = _cents(freight)
                fields["freight_added"] = added
        if rule.buyer_adds_insurance:
            if insurance is None:
                ins = estimate_insurance_to_add(value + added, insurance_rate)
                fields["insurance_estimated"] = True
            else:
                ins = _cents(insurance)
            fields["insurance_added"] = ins
            added += ins
        value += added
    return Valuation(term=rule.code, basis=kind, price=price, value=_cents(value),
                     **fields)  # type: ignore[arg-type]

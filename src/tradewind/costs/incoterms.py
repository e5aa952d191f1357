"""The eleven Incoterms® 2020 rules and which costs the seller's price already covers.

The landed-cost calculator uses these flags to decide which costs the buyer still adds
(export clearance and loading for EXW; main carriage and insurance for the E and F rules;
insurance for CFR/CPT) and, for economies that value goods FOB, which costs it may deduct.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop


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
        raise InvalidInput(f"{code!r} is not an Incoterms 2020 rule: use one of "
                           + ", ".join(INCOTERMS)) from None

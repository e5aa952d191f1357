"""Turning the text people type (web forms, API query strings, CLI options) into typed requests.

Shared by the pages, the API and the CLI so that all three accept and refuse the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tradewind.costs.calculator import CostInputs
from tradewind.costs.incoterms import DEFAULT_INSURANCE_RATE, get_incoterm
from tradewind.costs.service import parse_amount
from tradewind.errors import InvalidInput
from tradewind.fx.rates import normalize_currency
from tradewind.i18n import lazy_noop as N_

MAX_CHARGES = 10


def parse_date(text: str | None) -> date:
    """``YYYY-MM-DD`` or empty (today)."""
    if text is None or not str(text).strip():
        return date.today()
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(N_("%(text)r is not a date: use YYYY-MM-DD"), text=text,
                           field="date") from None


def require(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        raise InvalidInput(N_("%(name)s is required"), name=name, field=name)
    if len(value) > 200:
        raise InvalidInput(N_("%(name)s is too long"), name=name, field=name)
    return value.strip()


@dataclass(frozen=True)
class CostForm:
    """The landed-cost form as typed; :meth:`inputs` validates it."""

    product: str | None = None
    origin: str | None = None
    destination: str | None = None
    incoterm: str | None = "FOB"
    value: str | None = None
    currency: str | None = "USD"
    freight: str | None = None
    insurance: str | None = None
    export_costs: str | None = None
    quantity: str | None = None
    unit: str | None = None
    result_currency: str | None = None
    date: str | None = None
    other_label: tuple[str, ...] = ()
    other_amount: tuple[str, ...] = ()
    preference: bool = True

    @property
    def is_empty(self) -> bool:
        return not any((self.product, self.origin, self.destination, self.value))

    def inputs(self, insurance_rate: str | Decimal | None = None) -> CostInputs:
        """Validated inputs; ``insurance_rate`` is the operator's setting (percent)."""
        goods = parse_amount(self.value, "value", required=True)
        assert goods is not None
        charges: list[tuple[str, Decimal]] = []
        for n, amount_text in enumerate(self.other_amount[:MAX_CHARGES]):
            amount = parse_amount(amount_text, "other charge")
            if amount is None:
                continue
            label = (self.other_label[n] if n < len(self.other_label) else "").strip()
            charges.append((label[:80] or f"Other charge {n + 1}", amount))
        quantity = parse_amount(self.quantity, "quantity")
        unit = (self.unit or "").strip() or None
        if unit is not None and len(unit) > 20:
            raise InvalidInput(N_("unit is too long"))
        result_currency = (normalize_currency(self.result_currency)
                           if self.result_currency and self.result_currency.strip() else None)
        return CostInputs(
            product=require(self.product, "product"), origin=require(self.origin, "origin"),
            destination=require(self.destination, "destination"),
            incoterm=get_incoterm(self.incoterm or "FOB").code, goods_value=goods,
            currency=normalize_currency(self.currency or "USD"), as_of=parse_date(self.date),
            freight=parse_amount(self.freight, "freight"),
            insurance=parse_amount(self.insurance, "insurance"),
            export_costs=parse_amount(self.export_costs, "export costs"),
            quantity=quantity, unit=unit,
            other_charges=tuple(charges),
            result_currency=result_currency, use_preference=self.preference,
            insurance_rate=(DEFAULT_INSURANCE_RATE if insurance_rate is None else
                            parse_amount(str(insurance_rate), "insurance rate", required=True)
                            or DEFAULT_INSURANCE_RATE))

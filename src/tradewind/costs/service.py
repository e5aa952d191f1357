"""Landed cost from the database: the market-access answer gives the tariff facts, the
imported exchange rates convert, :mod:`tradewind.costs.calculator` does the arithmetic."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

import pycountry
from babel.numbers import get_territory_currencies
from sqlalchemy import Connection

from tradewind.access.answer import (
    LineAnswer,
    MarketAccessAnswer,
    economy_label,
    market_access,
)
from tradewind.access.unions import union_sentences
from tradewind.costs.calculator import (
    AppliedDuty,
    AppliedTax,
    CostBasis,
    CostInputs,
    LandedCost,
    compute_landed_cost,
)
from tradewind.errors import InvalidInput, UnknownValue
from tradewind.fx.rates import Conversion, convert, normalize_currency
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.i18n.labels import label

GROUP_CURRENCIES = {"EUN": "EUR"}


def destination_currency(destination: str, as_of: date, fallback: str) -> str:
    """The currency of the destination on ``as_of`` (Babel's territory data), else ``fallback``."""
    if destination in GROUP_CURRENCIES:
        return GROUP_CURRENCIES[destination]
    country = pycountry.countries.get(alpha_3=destination)
    if country is None:
        return fallback
    try:
        currencies = get_territory_currencies(country.alpha_2, as_of)
    except Exception:  # unknown territory in Babel's data
        return fallback
    return str(currencies[0]) if currencies else fallback


def _field(name: str) -> str:
    """The form field of an amount named in messages ("export costs" → export_costs)."""
    return {"other charge": "other_amount"}.get(name, name.replace(" ", "_"))


def parse_amount(text: str | None, name: str, *, required: bool = False) -> Decimal | None:
    """A money or quantity amount typed by a person ("10 000", "10,000.50")."""
    if text is None or not str(text).strip():
        if required:
            raise InvalidInput(N_("%(name)s is required"), name=name, field=_field(name))
        return None
    cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(N_("%(name)s: %(text)r is not a number"), name=name, text=text,
                           field=_field(name)) from None
    if not value.is_finite():
        raise InvalidInput(N_("%(name)s: %(text)r is not a number"), name=name, text=text,
                           field=_field(name))
    if abs(value) > Decimal("1e15"):
        raise InvalidInput(N_("%(name)s: %(text)r is too large"), name=name, text=text,
                           field=_field(name))
    return value


def pick_line(answer: MarketAccessAnswer, national_code: str | None) -> LineAnswer | None:
    if not answer.lines:
        return None
    if national_code:
        for line in answer.lines:
            if line.national_code == national_code:
                return line
        raise UnknownValue(N_("national line %(national_code)r is not under HS %(product)s in this "
                              "schedule"), national_code=national_code, product=answer.product)
    return answer.lines[0]


def basis_from_answer(answer: MarketAccessAnswer, line: LineAnswer | None,
                      currency: str) -> CostBasis:
    """The calculator's facts from the market-access answer (one national line)."""
    notes: list[str] = []
    duty = None
    preferences: tuple[AppliedDuty, ...] = ()
    if line is not None and line.mfn is not None:
        duty = AppliedDuty(_("MFN"), line.mfn.duty)
        preferences = tuple(AppliedDuty(p.label, p.duty) for p in line.preferences)
        if len(answer.lines) > 1:
            notes.append(_("HS %(code)s has %(count)s national lines; line %(line)s (%(desc)s) "
                           "is used. Choose another line if it fits your product better.",
                           code=answer.product, count=len(answer.lines),
                           line=line.national_code, desc=line.description))
    additional = tuple(AppliedDuty(f"{a.heading} ({label(a.authority)})", a.duty)
                       for a in answer.additional)
    taxes: list[AppliedTax] = []
    seen_kinds: set[str] = set()
    for tax in answer.taxes:
        # domestic_taxes lists the most specific rate of each kind first (a reduced VAT rate
        # for this product before the standard rate): use one rate per kind, except "other".
        if tax.kind != "other" and tax.kind in seen_kinds:
            continue
        seen_kinds.add(tax.kind)
        taxes.append(AppliedTax(tax.name, tax.kind, tax.duty))
    basis: Literal["CIF", "FOB"] = "FOB" if answer.valuation.basis == "FOB" else "CIF"
    return CostBasis(valuation_basis=basis, currency=currency, duty=duty,
                     preferences=preferences, additional=additional, taxes=tuple(taxes),
                     is_sample=answer.is_sample, notes=tuple(notes))


def landed_cost(conn: Connection, inputs: CostInputs, national_code: str | None = None,
                member_state: str | None = None) -> tuple[LandedCost, MarketAccessAnswer]:
    """The landed cost of ``inputs`` (user text already parsed into numbers) and the answer used.

    For a customs-union destination, ``member_state`` chooses whose VAT and excise apply;
    without it they cannot be computed and the total is marked as a minimum.
    """
    answer = market_access(conn, inputs.product, inputs.origin, inputs.destination,
                           inputs.as_of, member_state=member_state)
    currency = normalize_currency(inputs.result_currency) if inputs.result_currency else \
        destination_currency(answer.destination, answer.as_of, normalize_currency(inputs.currency))
    resolved = replace(inputs, product=answer.product, origin=answer.origin,
                       destination=answer.destination,
                       currency=normalize_currency(inputs.currency), result_currency=currency)
    basis = basis_from_answer(answer, pick_line(answer, national_code), currency)

    def converter(amount: Decimal, source: str, target: str) -> Conversion:
        return convert(conn, amount, source, target, answer.as_of)

    result = compute_landed_cost(resolved, basis, converter)
    if answer.union_taxes is not None:
        result.complete = False
        result.taxes = None
        total = result.line("total")
        total.label = _("Total landed cost (at least)")
        result.warnings.append(_("VAT and excise depend on the member state of import: choose "
                                 "one for a complete landed cost."))
        result.notes.extend(union_sentences(answer.union_taxes,
                                            economy_label(answer.destination)))
    for conversion in result.conversions:
        if conversion.stale:
            result.warnings.append(_("The %(src)s→%(dst)s rate is from %(date)s, more than two "
                                     "weeks before the date asked.", src=conversion.from_currency,
                                     dst=conversion.to_currency,
                                     date=conversion.rate_date.isoformat()
                                     if conversion.rate_date else "?"))
    if answer.warnings:
        result.warnings.extend(w for w in answer.warnings if w not in result.warnings)
    return result, answer

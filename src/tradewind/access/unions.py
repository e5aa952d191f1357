"""Customs unions as destinations: one common external tariff, member-state taxes.

The EU (or any customs union) charges the same duty wherever the goods enter, but VAT and
excise are national.  When the destination is the union itself, the answer shows the common
duty and either the taxes of a member state the user chose or, until one is chosen, the range
of each tax across the member states (never "no VAT recorded", which would be wrong).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from tradewind.agreements.models import economy_groups
from tradewind.agreements.queries import members_of
from tradewind.countries.reference import country_name, resolve_country
from tradewind.errors import InvalidInput
from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
from tradewind.i18n.formatting import format_percent_value
from tradewind.i18n.labels import tax_kind
from tradewind.tariffs.queries import DomesticTax, domestic_taxes


def is_customs_union(conn: Connection, code: str) -> bool:
    """True when ``code`` is a group with a common external tariff (EUN, ...)."""
    row = conn.execute(select(economy_groups.c.customs_union)
                       .where(economy_groups.c.code == code)).first()
    return bool(row and row[0])


@dataclass(frozen=True)
class TaxRange:
    """One kind of tax (VAT, excise …) across the member states."""

    kind: str
    low: Decimal
    high: Decimal
    low_members: tuple[str, ...]
    high_members: tuple[str, ...]
    members_with: int  # member states that record this kind of tax
    unreadable: tuple[str, ...] = ()  # members whose rate is not a plain percentage

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "low": str(self.low), "high": str(self.high),
                "low_members": list(self.low_members),
                "high_members": list(self.high_members),
                "members_with": self.members_with, "unreadable": list(self.unreadable)}


@dataclass
class UnionTaxes:
    union: str
    members: list[str]
    by_member: dict[str, list[DomesticTax]] = field(default_factory=dict)

    def ranges(self) -> list[TaxRange]:
        kinds: dict[str, dict[str, Decimal | None]] = {}
        for member, taxes in self.by_member.items():
            seen: set[str] = set()
            for tax in taxes:  # the most specific rate of each kind comes first
                if tax.kind in seen:
                    continue
                seen.add(tax.kind)
                kinds.setdefault(tax.kind, {})[member] = (
                    tax.duty.ad_valorem_percent if tax.duty.parse_ok else None)
        out = []
        for kind, values in sorted(kinds.items()):
            readable = {m: v for m, v in values.items() if v is not None}
            unreadable = tuple(sorted(m for m, v in values.items() if v is None))
            if not readable:
                continue
            low, high = min(readable.values()), max(readable.values())
            out.append(TaxRange(kind, low, high,
                                tuple(sorted(m for m, v in readable.items() if v == low)),
                                tuple(sorted(m for m, v in readable.items() if v == high)),
                                len(values), unreadable))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"union": self.union, "members": self.members,
                "ranges": [r.as_dict() for r in self.ranges()]}


def union_taxes(conn: Connection, union: str, hs6: str, day: date) -> UnionTaxes:
    """The taxes each member state of ``union`` charges on ``hs6`` on ``day``."""
    members = members_of(conn, union, day)
    return UnionTaxes(union, members,
                      {m: domestic_taxes(conn, m, hs6, day) for m in members})


def resolve_member_state(conn: Connection, union: str, text: str, day: date) -> str:
    """ISO3 of a member state of ``union`` typed by the user; InvalidInput otherwise."""
    code = resolve_country(text)
    if code not in members_of(conn, union, day):
        raise InvalidInput(_("%(country)s is not a member state of this customs union on "
                             "%(date)s.", country=country_name(code, current_language.get()),
                             date=day.isoformat()))
    return code


def _percent(value: Decimal) -> str:
    return format_percent_value(value)


def union_sentences(taxes: UnionTaxes, union_name: str) -> list[str]:
    """Plain sentences: each tax as a range over the member states, and how to get one rate."""
    lang = current_language.get()
    out = []
    for item in taxes.ranges():
        kind = tax_kind_label(item.kind)
        if item.low == item.high:
            out.append(_("%(kind)s is charged by the member state where the goods are released: "
                         "%(rate)s in all %(count)s member states that record it.", kind=kind,
                         rate=_percent(item.low), count=item.members_with))
            continue
        out.append(_("%(kind)s is charged by the member state where the goods are released: "
                     "from %(low)s (%(low_names)s) to %(high)s (%(high_names)s).", kind=kind,
                     low=_percent(item.low), high=_percent(item.high),
                     low_names=", ".join(country_name(m, lang) for m in item.low_members),
                     high_names=", ".join(country_name(m, lang) for m in item.high_members)))
    if not out:
        out.append(_("No VAT or excise is recorded for the member states of %(union)s.",
                     union=union_name))
    out.append(_("%(union)s applies one common customs duty; choose the member state of import "
                 "for its exact VAT and excise.", union=union_name))
    return out


def tax_kind_label(kind: str) -> str:
    """The human name of a tax kind (the stored value is a code)."""
    return tax_kind(kind)


def member_state_choices(conn: Connection, day: date | None = None) -> list[tuple[str, str]]:
    """(ISO3, localised name) of every member state of a customs union, for the forms' select."""
    codes = conn.execute(select(economy_groups.c.code)
                         .where(economy_groups.c.customs_union.is_(True))).scalars().all()
    lang = current_language.get()
    members = {m for code in codes for m in members_of(conn, code, day)}
    return sorted(((m, country_name(m, lang)) for m in members), key=lambda pair: pair[1])

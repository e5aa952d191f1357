"""The origin check against the database: the agreement's most specific product rule and
the economies whose materials count as originating (the agreement's parties, groups expanded).

No rule recorded or rule text outside the notation → "cannot tell", with the reason code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from tradewind.agreements.queries import is_group, members_of, parties_of, product_rules
from tradewind.origin.rules import (
    UNKNOWN,
    Assessment,
    Material,
    RuleSyntaxError,
    assess,
    parse_rule,
)


@dataclass
class OriginCheck:
    rule_text: str | None
    rule_code: str | None  # the HS prefix the rule is recorded for
    assessment: Assessment


def cumulation_zone(conn: Connection, agreement_id: int, as_of: date | None = None) -> \
        frozenset[str]:
    """Economies taking part in the agreement on ``as_of`` (groups expanded to members)."""
    out: set[str] = set()
    for party in parties_of(conn, agreement_id):
        out.add(party.party)
        if is_group(conn, party.party):
            out.update(members_of(conn, party.party, as_of))
    return frozenset(out)


def check_origin(conn: Connection, agreement_id: int, product: str, price: Decimal,
                 materials: list[Material], wholly_obtained: bool | None,
                 tolerance: Decimal = Decimal(10), as_of: date | None = None) -> OriginCheck:
    """Assess ``product`` (HS6) under the agreement's most specific product-specific rule."""
    rules = product_rules(conn, agreement_id, product)
    if not rules:
        return OriginCheck(None, None, Assessment(UNKNOWN, [("no_rule", {})], ["rule"]))
    rule = max(rules, key=lambda r: len(r.hs_code))
    try:
        parsed = parse_rule(rule.rule_text)
    except RuleSyntaxError:
        return OriginCheck(rule.rule_text, rule.hs_code,
                           Assessment(UNKNOWN, [("rule_unparsed", {"text": rule.rule_text})]))
    zone = cumulation_zone(conn, agreement_id, as_of)
    return OriginCheck(rule.rule_text, rule.hs_code,
                       assess(parsed, product, price, materials, zone, wholly_obtained,
                              tolerance))

"""The origin check against the database: the agreement's most specific product rule, the
economies whose materials count as originating (the agreement's parties, groups expanded)
and the proofs of origin accepted.

No rule recorded or rule text outside the notation → "cannot_tell", with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from tradewind.agreements.queries import (
    get_agreement,
    is_group,
    members_of,
    origin_rules_for,
    parties_of,
    product_rules,
)
from tradewind.origin.assess import Assessment, Material, assess, proofs_of_origin


@dataclass
class OriginCheck:
    rule_text: str | None
    rule_code: str | None  # the HS prefix the rule is recorded for
    assessment: Assessment
    proofs: list[str] = field(default_factory=list)


def cumulation_zone(conn: Connection, agreement_id: int, as_of: date | None = None) -> \
        frozenset[str]:
    """Economies taking part in the agreement on ``as_of`` (groups expanded to members)."""
    out: set[str] = set()
    for party in parties_of(conn, agreement_id):
        out.add(party.party)
        if is_group(conn, party.party):
            out.update(members_of(conn, party.party, as_of))
    return frozenset(out)


def check_origin(conn: Connection, agreement_id: int, product: str, price: Decimal | None,
                 materials: Sequence[Material | Sequence[Any]], wholly_obtained: bool | None,
                 tolerance: Decimal = Decimal(10), as_of: date | None = None,
                 fallback_rule: str | None = None) -> OriginCheck:
    """Assess ``product`` (HS6) under the agreement's most specific product-specific rule;
    ``fallback_rule`` (typed by the user) is used only when none is recorded."""
    rules = product_rules(conn, agreement_id, product)
    if rules:
        best = max(rules, key=lambda r: len(r.hs_code))
        rule_text, rule_code = best.rule_text, best.hs_code
    else:
        rule_text, rule_code = fallback_rule or None, None
    zone = cumulation_zone(conn, agreement_id, as_of)
    info = get_agreement(conn, agreement_id)
    general = origin_rules_for(conn, agreement_id)
    proofs = proofs_of_origin(general.proof_of_origin if general else None,
                              info.type if info else None)
    return OriginCheck(rule_text, rule_code,
                       assess(product, price, materials, wholly_obtained, rule_text,
                              tolerance, zone), proofs)

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

from sqlalchemy import Connection, select

from tradewind.agreements.models import agreements, product_specific_rules
from tradewind.agreements.queries import (
    AgreementInfo,
    agreement_by_code,
    agreements_between,
    get_agreement,
    is_group,
    members_of,
    origin_rules_for,
    parties_of,
    product_rules,
)
from tradewind.datasets.queries import Provenance, dataset_by_id
from tradewind.errors import UnknownValue
from tradewind.i18n import lazy_noop as N_
from tradewind.origin.assess import Assessment, Material, assess, proofs_of_origin


@dataclass
class OriginCheck:
    rule_text: str | None
    rule_code: str | None  # the HS prefix the rule is recorded for
    assessment: Assessment
    proofs: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)


def _provenance(conn: Connection, agreement_id: int, rule_code: str | None) -> list[Provenance]:
    """Datasets the answer rests on: the agreement's and the product rule's."""
    ids = {conn.execute(select(agreements.c.dataset_id).where(
        agreements.c.id == agreement_id)).scalar()}
    if rule_code is not None:
        ids.add(conn.execute(select(product_specific_rules.c.dataset_id).where(
            product_specific_rules.c.agreement_id == agreement_id,
            product_specific_rules.c.hs_code == rule_code)).scalar())
    return [p for i in sorted(x for x in ids if x is not None)
            if (p := dataset_by_id(conn, i)) is not None]


def cumulation_zone(conn: Connection, agreement_id: int, as_of: date | None = None) -> \
        frozenset[str]:
    """Economies taking part in the agreement on ``as_of`` (groups expanded to members)."""
    out: set[str] = set()
    for party in parties_of(conn, agreement_id):
        out.add(party.party)
        if is_group(conn, party.party):
            out.update(members_of(conn, party.party, as_of))
    return frozenset(out)


def check_origin(conn: Connection, agreement_id: int | None, product: str,
                 price: Decimal | None, materials: Sequence[Material | Sequence[Any]],
                 wholly_obtained: bool | None, tolerance: Decimal = Decimal(10),
                 as_of: date | None = None, fallback_rule: str | None = None) -> OriginCheck:
    """Assess ``product`` (HS6) under the agreement's most specific product-specific rule;
    ``fallback_rule`` (typed by the user) is used only when none is recorded, or when no
    agreement is chosen (then only the origin's own materials count as originating)."""
    rules = product_rules(conn, agreement_id, product) if agreement_id is not None else []
    rule_text: str | None = fallback_rule or None
    rule_code: str | None = None
    if rules:
        best = max(rules, key=lambda r: len(r.hs_code))
        rule_text, rule_code = best.rule_text, best.hs_code
    zone: frozenset[str] = frozenset()
    proofs: list[str] = []
    provenance: list[Provenance] = []
    if agreement_id is not None:
        provenance = _provenance(conn, agreement_id, rule_code)
        zone = cumulation_zone(conn, agreement_id, as_of)
        info = get_agreement(conn, agreement_id)
        general = origin_rules_for(conn, agreement_id)
        proofs = proofs_of_origin(general.proof_of_origin if general else None,
                                  info.type if info else None)
    return OriginCheck(rule_text, rule_code,
                       assess(product, price, materials, wholly_obtained, rule_text,
                              tolerance, zone), proofs, provenance)


@dataclass
class OriginRequest:
    """What the page or the API asks: already validated."""

    product: str
    origin: str
    destination: str | None = None
    agreement: str | None = None  # agreement code
    price: Decimal | None = None
    wholly_obtained: bool | None = None
    # (hs, value, economy the material comes from; None: unknown)
    materials: list[tuple[str | None, Decimal, str | None]] = field(default_factory=list)
    rule: str | None = None
    tolerance_pct: Decimal = Decimal(10)


@dataclass
class OriginAnswer:
    agreement: AgreementInfo | None
    choices: list[AgreementInfo]  # agreements between origin and destination
    check: OriginCheck


def run_check(conn: Connection, req: OriginRequest) -> OriginAnswer:
    """Resolve the agreement (the code given, or the only one between origin and destination)
    and check the product; materials from the origin count as originating, from the other
    parties through cumulation.  Unknown agreement code → :class:`InvalidInput`."""
    choices: list[AgreementInfo] = []
    if req.destination:
        seen: set[int] = set()
        for link in agreements_between(conn, req.origin, req.destination):
            if link.agreement.id not in seen:
                seen.add(link.agreement.id)
                choices.append(link.agreement)
    agreement: AgreementInfo | None = None
    if req.agreement:
        agreement = agreement_by_code(conn, req.agreement)
        if agreement is None:
            raise UnknownValue(N_("Unknown agreement %(agreement)r."), agreement=req.agreement,
                               field="agreement")
    elif len(choices) == 1:
        agreement = choices[0]
    materials = [(hs, value, None if economy is None else economy == req.origin, economy)
                 for hs, value, economy in req.materials]
    check = check_origin(conn, agreement.id if agreement else None, req.product, req.price,
                         materials, req.wholly_obtained, req.tolerance_pct,
                         fallback_rule=req.rule)
    return OriginAnswer(agreement, choices, check)


def answer_as_dict(answer: OriginAnswer) -> dict[str, Any]:
    """The answer for JSON output (CLI), texts in the current language."""
    from tradewind.i18n import gettext
    from tradewind.origin.assess import explain

    a = answer.check.assessment
    texts, missing = explain(a)
    return {
        "verdict": a.verdict,
        "agreement": answer.agreement.code if answer.agreement else None,
        "agreement_name": answer.agreement.name if answer.agreement else None,
        "choices": [c.code for c in answer.choices],
        "rule": answer.check.rule_text, "rule_code": answer.check.rule_code,
        "reasons": [{"msgid": m, "params": p, "text": t}
                    for (m, p), t in zip(a.reasons, texts, strict=True)],
        "missing": list(a.missing), "missing_text": missing,
        "proofs_of_origin": [gettext(p) for p in answer.check.proofs],
        "sample": answer.check.is_sample,
        "provenance": [p.as_dict() for p in answer.check.provenance],
    }

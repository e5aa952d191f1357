"""Self-assessment of a product against a product-specific rule of origin.

The verdict is "meets", "does_not_meet" or "cannot_tell" — never a guess: any fact the rule
needs and the user did not give (material origin, HS code, price, wholly obtained) gives
"cannot_tell" with the missing item named.  Reasons are (English message id, parameters)
pairs; pages and the API translate them with gettext (catalogue ``origin.po``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tradewind.i18n import gettext
from tradewind.i18n import lazy_noop as N_
from tradewind.origin.rules import Rule, RuleSyntaxError, parse_rule

MEETS, DOES_NOT_MEET, CANNOT_TELL = "meets", "does_not_meet", "cannot_tell"

Reason = tuple[str, dict[str, str]]

MSG_WO_YES = N_("The product is wholly obtained in the origin.")
MSG_WO_NO = N_("The rule requires the product to be wholly obtained, and it is not.")
MSG_VALUE_OK = N_("Non-originating materials are %(share)s%% of the ex-works price "
                  "(at most %(limit)s%% allowed).")
MSG_VALUE_FAIL = N_("Non-originating materials are %(share)s%% of the ex-works price: "
                    "more than the %(limit)s%% allowed.")
MSG_RVC_BU_OK = N_("Originating materials are %(share)s%% of the adjusted value (build-up "
                   "method; at least %(limit)s%% required).")
MSG_RVC_BU_FAIL = N_("Originating materials are %(share)s%% of the adjusted value (build-up "
                     "method): less than the %(limit)s%% required.")
MSG_CTC_OK = N_("Every non-originating material changes classification as the rule %(rule)s "
                "requires.")
MSG_CTC_FAIL = N_("Material %(code)s does not change classification as the rule %(rule)s "
                  "requires.")
MSG_CTC_EXCLUDED = N_("Material %(code)s comes from a heading the rule %(rule)s excludes.")
MSG_TOLERANCE = N_("Materials failing the change of classification are %(share)s%% of the "
                   "price, within the %(limit)s%% tolerance.")
MSG_CUMULATION = N_("Material %(code)s from %(economy)s counts as originating (cumulation).")
MSG_UNPARSED = N_("The rule \"%(text)s\" cannot be checked automatically; read it in the "
                  "legal text.")
MSG_NO_RULE = N_("No product-specific rule is recorded for this product in this agreement.")

MISSING_LABELS = {
    "rule": N_("the product-specific rule"),
    "price": N_("the ex-works price"),
    "wholly_obtained": N_("whether the product is wholly obtained"),
    "material_origin": N_("whether each material is originating"),
    "material_hs": N_("the HS code of each non-originating material"),
}

#: Proofs of origin usually accepted, by agreement kind, when the agreement data say nothing.
GENERIC_PROOFS: dict[str, tuple[str, ...]] = {
    "customs union": (N_("No proof of preferential origin: goods in free circulation move "
                         "without duties; keep the transport and customs documents."),),
    "unilateral preference": (N_("Certificate of origin Form A or a statement on origin by a "
                                 "registered exporter (REX)"),),
    "default": (N_("Certificate of origin issued by the competent authority of the exporting "
                   "party"),
                N_("Origin declaration by the exporter on the invoice, where the agreement "
                   "allows it")),
}


_LEVEL = {"CC": 2, "CTH": 4, "CTSH": 6}


@dataclass(frozen=True)
class Material:
    """A material used: HS code, value, originating (None: unknown), optional economy."""

    hs: str | None
    value: Decimal
    originating: bool | None
    economy: str | None = None


@dataclass
class Assessment:
    verdict: str
    reasons: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict,
                "reasons": [{"msgid": m, "params": p} for m, p in self.reasons],
                "missing": list(self.missing)}


def _material(m: Material | Sequence[Any]) -> Material:
    if isinstance(m, Material):
        return m
    hs, value, originating, *rest = m
    return Material(hs, Decimal(value), originating, rest[0] if rest else None)


def assess(product_hs: str, price: Decimal | None,
           materials: Iterable[Material | Sequence[Any]] = (),
           wholly_obtained: bool | None = None, rule: Rule | str | None = None,
           tolerance_pct: Decimal | int = 10,
           cumulation_partners: Iterable[str] = ()) -> Assessment:
    """Assess ``product_hs`` at ex-works ``price`` against ``rule`` (a :class:`Rule` or text).

    ``materials``: :class:`Material` or tuples ``(hs, value, originating[, economy])``; a
    material from one of ``cumulation_partners`` counts as originating.  Non-originating
    materials failing a change of classification are ignored up to ``tolerance_pct`` of the
    price.
    """
    if rule is None:
        return Assessment(CANNOT_TELL, [(MSG_NO_RULE, {})], ["rule"])
    if isinstance(rule, str):
        text = rule
        try:
            rule = parse_rule(text)
        except RuleSyntaxError:
            return Assessment(CANNOT_TELL, [(MSG_UNPARSED, {"text": text})])
    partners = frozenset(cumulation_partners)
    mats: list[Material] = []
    cumulated: list[Reason] = []
    for raw in materials:
        m = _material(raw)
        if m.economy is not None and m.economy in partners and m.originating is not True:
            cumulated.append((MSG_CUMULATION, {"code": m.hs or "?", "economy": m.economy}))
            m = Material(m.hs, m.value, True, m.economy)
        mats.append(m)
    result = _assess(rule, product_hs, price, mats, wholly_obtained, Decimal(tolerance_pct))
    result.reasons = cumulated + result.reasons
    return result


def _assess(rule: Rule, product: str, price: Decimal | None, materials: list[Material],
            wholly_obtained: bool | None, tolerance: Decimal) -> Assessment:
    out = Assessment(CANNOT_TELL)
    if rule.kind in ("AND", "OR"):
        subs = [_assess(p, product, price, materials, wholly_obtained, tolerance)
                for p in rule.parts]
        for s in subs:
            out.reasons += s.reasons
            out.missing += [m for m in s.missing if m not in out.missing]
        verdicts = {s.verdict for s in subs}
        win, lose = (MEETS, DOES_NOT_MEET) if rule.kind == "OR" else (DOES_NOT_MEET, MEETS)
        out.verdict = win if win in verdicts else CANNOT_TELL if CANNOT_TELL in verdicts \
            else lose
        if out.verdict != CANNOT_TELL:
            out.missing = []
        return out
    if rule.kind == "WO" or wholly_obtained:
        if wholly_obtained is None:
            out.missing.append("wholly_obtained")
            return out
        out.verdict = MEETS if wholly_obtained else DOES_NOT_MEET
        out.reasons.append((MSG_WO_YES if wholly_obtained else MSG_WO_NO, {}))
        return out
    non_orig: list[Material] = []
    for m in materials:
        if m.originating is None:
            out.missing.append("material_origin")
            return out
        if not m.originating:
            non_orig.append(m)
    if rule.kind in ("MAXNOM", "RVC"):
        if price is None or price <= 0:
            out.missing.append("price")
            return out
        assert rule.percent is not None
        if rule.kind == "RVC" and rule.method == "build-up":
            # RVC = value of originating materials / adjusted value (the price) × 100
            originating = sum((m.value for m in materials if m.originating), Decimal(0))
            content = originating * 100 / price
            ok = content >= rule.percent
            out.verdict = MEETS if ok else DOES_NOT_MEET
            out.reasons.append((MSG_RVC_BU_OK if ok else MSG_RVC_BU_FAIL,
                                {"share": f"{content:.1f}", "limit": f"{rule.percent:g}"}))
            return out
        share = sum((m.value for m in non_orig), Decimal(0)) * 100 / price
        limit = rule.percent if rule.kind == "MAXNOM" else 100 - rule.percent
        ok = share <= limit
        out.verdict = MEETS if ok else DOES_NOT_MEET
        out.reasons.append((MSG_VALUE_OK if ok else MSG_VALUE_FAIL,
                            {"share": f"{share:.1f}", "limit": f"{limit:g}"}))
        return out
    level = _LEVEL[rule.kind]
    failing: list[Material] = []
    for m in non_orig:
        if m.hs is None:
            out.missing.append("material_hs")
            return out
        same = m.hs[:level] == product[:level]
        excluded = any(m.hs.startswith(e) for e in rule.exceptions)
        if same or excluded:
            failing.append(m)
            out.reasons.append((MSG_CTC_EXCLUDED if excluded and not same else MSG_CTC_FAIL,
                                {"code": m.hs, "rule": rule.kind}))
    if not failing:
        out.verdict = MEETS
        out.reasons.append((MSG_CTC_OK, {"rule": rule.kind}))
        return out
    if not tolerance:
        out.verdict = DOES_NOT_MEET
        return out
    if price is None or price <= 0:  # the tolerance depends on the price
        out.missing.append("price")
        return out
    share = sum((m.value for m in failing), Decimal(0)) * 100 / price
    if share <= tolerance:
        out.verdict = MEETS
        out.reasons.append((MSG_TOLERANCE, {"share": f"{share:.1f}", "limit": f"{tolerance:g}"}))
        return out
    out.verdict = DOES_NOT_MEET
    return out


def proofs_of_origin(recorded: str | None, agreement_type: str | None) -> list[str]:
    """Proofs accepted: the agreement's own data when imported, else the generic list for
    its kind (English message ids; translate when showing them)."""
    if recorded and recorded.strip():
        return [p.strip() for p in recorded.replace("\n", ";").split(";") if p.strip()]
    kind = (agreement_type or "").lower()
    for key, proofs in GENERIC_PROOFS.items():
        if key != "default" and key in kind:
            return list(proofs)
    return list(GENERIC_PROOFS["default"])


def explain(assessment: Assessment) -> tuple[list[str], list[str]]:
    """The reasons and the missing items in the interface language."""
    reasons = [gettext(msgid, **params) for msgid, params in assessment.reasons]
    missing = [gettext(MISSING_LABELS.get(key, key)) for key in assessment.missing]
    return reasons, missing

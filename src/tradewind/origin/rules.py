"""Product-specific rules of origin: a small model, a parser for the notation of the
``product-rules`` CSV (``CC``, ``CTH``, ``CTSH``, ``WO``, ``MaxNOM 50%``, ``RVC 40%``,
``CTH or MaxNOM 50%``, ``CTSH and RVC 40%``, ``CTH except from 0901``) and the assessment.

Reasons are (message id, parameters) pairs so that pages can translate them; the verdict is
"meets", "fails" or "unknown" (cannot tell), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

MEETS, FAILS, UNKNOWN = "meets", "fails", "unknown"


@dataclass(frozen=True)
class Rule:
    """One rule: ``kind`` in WO, CC, CTH, CTSH, MAXNOM, RVC, AND, OR."""

    kind: str
    percent: Decimal | None = None
    exceptions: tuple[str, ...] = ()  # HS prefixes whose materials may not be used
    parts: tuple[Rule, ...] = ()


class RuleSyntaxError(ValueError):
    """Rule text that the parser does not understand (the assessment says "cannot tell")."""


_WORDS = {"CC": "CC", "CTH": "CTH", "CTSH": "CTSH", "WO": "WO"}
_VALUE = re.compile(r"^(MAXNOM|RVC)\s*(\d+(?:\.\d+)?)\s*%$")
_EXCEPT = re.compile(r"^(CC|CTH|CTSH)\s+EXCEPT\s+(?:FROM\s+)?(?:HEADINGS?\s+|CHAPTERS?\s+)?"
                     r"([\d.,\s]+(?:AND\s+[\d.]+)?)$")


def parse_rule(text: str) -> Rule:
    """Parse rule text; raises :class:`RuleSyntaxError` when it is not in the notation."""
    cleaned = re.sub(r"\s+", " ", re.sub(r"\(.*?\)", "", text or "")).strip().upper()
    if not cleaned:
        raise RuleSyntaxError("empty rule")
    for word, kind in ((" OR ", "OR"), (" AND ", "AND")):
        if word in cleaned and not _EXCEPT.match(cleaned):
            return Rule(kind, parts=tuple(parse_rule(p) for p in cleaned.split(word)))
    if cleaned in _WORDS:
        return Rule(_WORDS[cleaned])
    if (m := _VALUE.match(cleaned)) is not None:
        return Rule(m.group(1), percent=Decimal(m.group(2)))
    if (m := _EXCEPT.match(cleaned)) is not None:
        codes = tuple(re.sub(r"\D", "", c) for c in re.split(r",|AND", m.group(2)))
        return Rule(m.group(1), exceptions=tuple(c for c in codes if c))
    raise RuleSyntaxError(f"rule text {text!r} is not in the supported notation")


@dataclass(frozen=True)
class Material:
    hs_code: str | None  # None: unknown
    value: Decimal
    origin: str | None  # ISO3, None: unknown


@dataclass
class Assessment:
    verdict: str
    reasons: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


_LEVEL = {"CC": 2, "CTH": 4, "CTSH": 6}


def _originating(m: Material, cumulation: frozenset[str]) -> bool | None:
    return None if m.origin is None else m.origin in cumulation


def assess(rule: Rule, product: str, price: Decimal, materials: list[Material],
           cumulation: frozenset[str], wholly_obtained: bool | None,
           tolerance: Decimal = Decimal(0)) -> Assessment:
    """Check ``rule`` for ``product`` (HS6 digits) at ex-works ``price``.

    ``cumulation``: economies whose materials count as originating (the origin itself,
    the other parties, cumulation partners).  ``tolerance``: percent of the price that
    non-originating materials failing a change of classification may reach.
    """
    out = Assessment(UNKNOWN)
    if rule.kind in ("AND", "OR"):
        subs = [assess(p, product, price, materials, cumulation, wholly_obtained, tolerance)
                for p in rule.parts]
        for s in subs:
            out.reasons += s.reasons
            out.missing += [m for m in s.missing if m not in out.missing]
        verdicts = {s.verdict for s in subs}
        if rule.kind == "OR":
            out.verdict = MEETS if MEETS in verdicts else UNKNOWN if UNKNOWN in verdicts \
                else FAILS
        else:
            out.verdict = FAILS if FAILS in verdicts else UNKNOWN if UNKNOWN in verdicts \
                else MEETS
        return out
    if rule.kind == "WO":
        if wholly_obtained is None:
            out.missing.append("wholly_obtained")
            return out
        out.verdict = MEETS if wholly_obtained else FAILS
        out.reasons.append(("wo_yes" if wholly_obtained else "wo_no", {}))
        return out
    if wholly_obtained:
        out.verdict = MEETS
        out.reasons.append(("wo_yes", {}))
        return out
    if price <= 0:
        out.missing.append("price")
        return out
    non_orig: list[Material] = []
    for m in materials:
        orig = _originating(m, cumulation)
        if orig is None:
            out.missing.append("material_origin")
            return out
        if not orig:
            non_orig.append(m)
    if rule.kind in ("MAXNOM", "RVC"):
        assert rule.percent is not None
        share = sum((m.value for m in non_orig), Decimal(0)) * 100 / price
        limit = rule.percent if rule.kind == "MAXNOM" else 100 - rule.percent
        ok = share <= limit
        out.verdict = MEETS if ok else FAILS
        out.reasons.append((f"{rule.kind.lower()}_{'ok' if ok else 'fail'}",
                            {"share": f"{share:.1f}", "limit": f"{limit:g}"}))
        return out
    level = _LEVEL[rule.kind]
    failing: list[Material] = []
    for m in non_orig:
        if m.hs_code is None:
            out.missing.append("material_hs")
            return out
        same = m.hs_code[:level] == product[:level]
        excluded = any(m.hs_code.startswith(e) for e in rule.exceptions)
        if same or excluded:
            failing.append(m)
            out.reasons.append(("ctc_fail_excluded" if excluded and not same else "ctc_fail",
                                {"code": m.hs_code, "rule": rule.kind}))
    if not failing:
        out.verdict = MEETS
        out.reasons.append(("ctc_ok", {"rule": rule.kind}))
        return out
    failing_share = sum((m.value for m in failing), Decimal(0)) * 100 / price
    if tolerance and failing_share <= tolerance:
        out.verdict = MEETS
        out.reasons.append(("tolerance_ok", {"share": f"{failing_share:.1f}",
                                             "limit": f"{tolerance:g}"}))
        return out
    out.verdict = FAILS
    return out

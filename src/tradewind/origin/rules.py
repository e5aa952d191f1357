"""Product-specific rules of origin: a small model, a parser for the notation of the
``product-rules`` CSV (``CC``, ``CTH``, ``CTSH``, ``WO``, ``MaxNOM 50%``, ``RVC 40%``,
``CTH or MaxNOM 50%``, ``CTSH and RVC 40%``, ``CTH except from 0901``).  A regional value
content is computed by the build-down method unless the rule says ``RVC 40% build-up`` (or
``BU``; ``build-down``/``BD`` may be written too).

The assessment lives in :mod:`tradewind.origin.assess`; text outside the notation raises
:class:`RuleSyntaxError` so the assessment can say "cannot tell" rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Rule:
    """One rule: ``kind`` in WO, CC, CTH, CTSH, MAXNOM, RVC, AND, OR."""

    kind: str
    percent: Decimal | None = None
    exceptions: tuple[str, ...] = ()  # HS prefixes whose materials may not be used
    parts: tuple[Rule, ...] = ()
    # RVC only: "build-down" (price minus non-originating materials, over the price) or
    # "build-up" (originating materials over the price, the adjusted value)
    method: str = "build-down"


class RuleSyntaxError(ValueError):
    """Rule text that the parser does not understand (the assessment says "cannot tell")."""


_WORDS = {"CC": "CC", "CTH": "CTH", "CTSH": "CTSH", "WO": "WO"}
_VALUE = re.compile(r"^(MAXNOM|RVC)\s*(\d+(?:\.\d+)?)\s*%"
                    r"(?:\s+(BU|BD|BUILD-UP|BUILD-DOWN|BUILDUP|BUILDDOWN))?$")
_METHODS = {"BU": "build-up", "BUILD-UP": "build-up", "BUILDUP": "build-up"}
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
        if m.group(1) == "MAXNOM" and m.group(3):
            raise RuleSyntaxError(f"rule text {text!r}: a method applies to RVC only")
        return Rule(m.group(1), percent=Decimal(m.group(2)),
                    method=_METHODS.get(m.group(3) or "", "build-down"))
    if (m := _EXCEPT.match(cleaned)) is not None:
        codes = tuple(re.sub(r"\D", "", c) for c in re.split(r",|AND", m.group(2)))
        return Rule(m.group(1), exceptions=tuple(c for c in codes if c))
    raise RuleSyntaxError(f"rule text {text!r} is not in the supported notation")

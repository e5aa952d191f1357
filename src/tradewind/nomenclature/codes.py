"""HS code input: forgiving about punctuation, strict about digits.

"0901.21", "090121", "0901 21" and "0901-21" are the same code; "0901.2x" is refused.
These functions need no database; :mod:`tradewind.nomenclature.queries` checks that a
code exists in an edition and names the nearest valid codes when it does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tradewind.errors import InvalidCode
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import DEFAULT_EDITION, EDITIONS

# Characters people put between digit groups ("0901.21", "0901 21", "0901-21", "0901/21").
_SEPARATORS = re.compile(r"[\s.\-_/,]+")
HS_LENGTHS = (2, 4, 6)
NATIONAL_LENGTHS = (8, 10)
MAX_INPUT = 40  # longer input cannot be a code; refuse before doing any work


def normalize_code(text: str, *, national: bool = False, edition: str = DEFAULT_EDITION) -> str:
    """The digits of an HS code typed by a person, or :class:`InvalidCode`.

    Separators (spaces, dots, dashes, slashes) are dropped; anything else that is not a
    digit is an error.  The result has 2, 4 or 6 digits (8 or 10 too when ``national``,
    for tariff-line codes).  An odd length such as 5 digits is refused, not guessed.
    ``edition`` only names the edition in the error message.
    """
    raw = (text or "").strip()
    if not raw:
        raise InvalidCode(code=text or "", edition=edition, reason=N_("no code was given"))
    if len(raw) > MAX_INPUT:
        raise InvalidCode(code=raw[:MAX_INPUT] + "…", edition=edition,
                          reason=N_("too long to be an HS code"))
    digits = _SEPARATORS.sub("", raw)
    bad = [ch for ch in digits if not ch.isascii() or not ch.isdigit()]
    if bad:
        raise InvalidCode(code=raw, edition=edition,
                          reason=N_("codes contain digits only, not %(char)r"),
                          reason_params={"char": bad[0]})
    allowed = HS_LENGTHS + (NATIONAL_LENGTHS if national else ())
    if len(digits) not in allowed:
        lengths = ", ".join(str(n) for n in allowed)
        raise InvalidCode(code=raw, edition=edition,
                          reason=N_("it has %(count)s digits; an HS code has %(lengths)s digits"),
                          reason_params={"count": len(digits), "lengths": lengths})
    return digits


def leading_digits(text: str) -> str:
    """The digits a malformed input starts with ("0901.2x" → "09012"), for suggestions."""
    digits = _SEPARATORS.sub("", (text or "").strip()[:MAX_INPUT])
    match = re.match(r"\d*", digits)
    return match.group(0) if match else ""


def normalize_edition(text: str | None) -> str:
    """"HS2017", "hs 2017", "2017", "HS17" → "HS2017"; unknown editions raise InvalidInput."""
    from tradewind.errors import InvalidInput

    if text is None or not str(text).strip():
        return DEFAULT_EDITION
    cleaned = re.sub(r"[\s_\-]", "", str(text)).upper().removeprefix("HS")
    if len(cleaned) == 2 and cleaned.isdigit():
        cleaned = ("19" if cleaned >= "88" else "20") + cleaned
    edition = f"HS{cleaned}"
    if edition not in EDITIONS:
        raise InvalidInput(N_("Unknown HS edition %(text)r; known editions: %(editions)s."),
                           text=text, editions=', '.join(EDITIONS))
    return edition


def format_code(code: str) -> str:
    """Display form: "090121" → "0901.21", "0901" → "0901", "09" → "09"."""
    if len(code) == 6:
        return f"{code[:4]}.{code[4:]}"
    if len(code) in (8, 10):
        return f"{code[:4]}.{code[4:6]}.{code[6:]}"
    return code


def level_of(code: str) -> int:
    """2 (chapter), 4 (heading) or 6 (subheading)."""
    return len(code)


def parent_of(code: str) -> str | None:
    """The code one level up ("090121" → "0901"); None for a chapter."""
    return code[:-2] if len(code) > 2 else None


def edit_distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions counted as one edit (typed digits swap)."""
    return int(OSA.distance(a, b))


def nearest_codes(text: str, candidates: Iterable[str], limit: int = 5) -> list[str]:
    """Valid codes closest to what was typed, most likely first.

    ``candidates`` are the codes of one edition.  Order: codes differing only in the last
    typed digit ("090129" → 0901.21, 0901.22), codes one edit away (a wrong or swapped
    digit: "091021" → 0901.21), codes sharing a prefix, then codes two edits away.  Only
    the first six digits count, so a national code suggests its HS subheading.
    """
    full = leading_digits(text)
    typed = full[:6]
    if not typed:
        return []
    target_len = min(max(len(typed) + len(typed) % 2, 2), 6)
    pool = [c for c in dict.fromkeys(candidates) if c != full]

    def common_prefix(code: str) -> int:
        n = 0
        for x, y in zip(code, typed, strict=False):
            if x != y:
                break
            n += 1
        return n

    prefix = {c: common_prefix(c) for c in pool}
    by_prefix = sorted((c for c in pool if prefix[c] >= 2),
                       key=lambda c: (-prefix[c], abs(len(c) - target_len), c))
    same_len = [c for c in pool if len(c) == target_len]
    close = process.extract(typed[:target_len], same_len, scorer=OSA.distance,
                            limit=limit * 3, score_cutoff=2)
    one_edit = [c for c, d, _i in sorted(close, key=lambda x: (x[1], x[0])) if d <= 1]
    two_edits = [c for c, d, _i in sorted(close, key=lambda x: (x[1], x[0])) if d == 2]
    very_close = [c for c in by_prefix if prefix[c] >= max(2, len(typed) - 1)]
    chosen: list[str] = []
    for group in (very_close, one_edit, by_prefix, two_edits):
        for code in group:
            if len(chosen) >= limit:
                return chosen
            if code not in chosen:
                chosen.append(code)
    return chosen

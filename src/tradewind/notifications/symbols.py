"""WTO document symbols for SPS/TBT notifications.

``G/SPS/N/EU/712``, ``G/TBT/N/USA/1964/Add.1``, ``G/SPS/N/KEN/123/Rev.2``,
``G/TBT/N/BRA/1500/Corr.1``, ``G/SPS/N/EU/712/Rev.1/Add.2``: area, member, number, then
optional ``Rev.n``, ``Add.n`` (or ``Add.n/Rev.m``) and ``Corr.n`` parts.  The base symbol is
the regular notification's (``G/SPS/N/EU/712``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_

_PATTERN = re.compile(
    r"^G/(?P<area>SPS|TBT)/N/(?P<member>[A-Z]{2,3})/(?P<number>[1-9][0-9]{0,5})"
    r"(?P<suffix>(?:/(?:Rev|Add|Corr)\.[1-9][0-9]{0,2})*)$")
_PART = re.compile(r"/(Rev|Add|Corr)\.([0-9]+)")


@dataclass(frozen=True)
class Symbol:
    area: str  # "SPS" or "TBT"
    member: str  # as written in the symbol (EU, USA, KEN…)
    number: int
    revision: int | None = None
    addendum: int | None = None
    corrigendum: int | None = None
    addendum_revision: int | None = None  # Add.n/Rev.m: a revision of an addendum

    @property
    def base(self) -> str:
        return f"G/{self.area}/N/{self.member}/{self.number}"

    @property
    def kind(self) -> str:
        """regular | revision | addendum | corrigendum (the last part decides)."""
        if self.corrigendum is not None:
            return "corrigendum"
        if self.addendum is not None:
            return "addendum"
        if self.revision is not None:
            return "revision"
        return "regular"

    def __str__(self) -> str:
        text = self.base
        if self.revision is not None:
            text += f"/Rev.{self.revision}"
        if self.addendum is not None:
            text += f"/Add.{self.addendum}"
        if self.addendum_revision is not None:
            text += f"/Rev.{self.addendum_revision}"
        if self.corrigendum is not None:
            text += f"/Corr.{self.corrigendum}"
        return text


def parse_symbol(text: str) -> Symbol:
    """Parse a symbol; raise ``InvalidInput`` naming what is wrong."""
    raw = (text or "").strip()
    m = _PATTERN.match(raw)  # already canonical (the usual case): no clean-up needed
    if m is not None and not m.group("suffix"):
        return Symbol(area=m.group("area"), member=m.group("member"),
                      number=int(m.group("number")))
    cleaned = re.sub(r"\s+", "", raw)
    cleaned = re.sub(r"(?i)/(rev|add|corr)\.?", lambda m: "/" + m.group(1).capitalize() + ".",
                     cleaned)
    cleaned = re.sub(r"(?i)^g/(sps|tbt)/n/", lambda m: f"G/{m.group(1).upper()}/N/", cleaned)
    head, sep, rest = cleaned.partition("/N/")
    if sep:
        member, slash, tail = rest.partition("/")
        cleaned = f"{head}/N/{member.upper()}{slash}{tail}"
    m = _PATTERN.match(cleaned)
    if not m:
        raise InvalidInput(
            N_("%(raw)r is not a WTO notification symbol (expected e.g. "
               "G/SPS/N/EU/712, G/TBT/N/USA/1964/Add.1 or G/SPS/N/KEN/123/Rev.2)"), raw=raw)
    values: dict[str, int | None] = {"revision": None, "addendum": None, "corrigendum": None,
                                     "addendum_revision": None}
    for part, n in _PART.findall(m.group("suffix")):
        number = int(n)
        if part == "Rev":
            if values["corrigendum"] is not None:
                raise InvalidInput(N_("%(raw)r: Rev cannot follow Corr"), raw=raw)
            if values["addendum"] is not None:
                if values["addendum_revision"] is not None:
                    raise InvalidInput(N_("%(raw)r: Rev given twice"), raw=raw)
                values["addendum_revision"] = number
            elif values["revision"] is not None:
                raise InvalidInput(N_("%(raw)r: Rev given twice"), raw=raw)
            else:
                values["revision"] = number
        elif part == "Add":
            if values["addendum"] is not None or values["corrigendum"] is not None:
                raise InvalidInput(N_("%(raw)r: Add given twice or after Corr"), raw=raw)
            values["addendum"] = number
        else:
            if values["corrigendum"] is not None:
                raise InvalidInput(N_("%(raw)r: Corr given twice"), raw=raw)
            values["corrigendum"] = number
    return Symbol(area=m.group("area"), member=m.group("member"), number=int(m.group("number")),
                  **values)


def member_code(symbol_member: str) -> str:
    """The economy code stored for a symbol's member part (EU → EUN, else as written)."""
    return {"EU": "EUN", "EEC": "EUN"}.get(symbol_member, symbol_member)

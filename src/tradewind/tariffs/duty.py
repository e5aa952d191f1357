"""Duty expressions: parse real duty text into a structure, format it back, compute amounts.

Grammar understood (case-insensitive, whitespace-tolerant, mojibake such as ``Â¢`` repaired):

* ``Free``                                   → :class:`Free`
* ``6.8%``                                   → ad valorem
* ``1.5¢/kg``, ``$1.20/doz.``, ``€ 12.80/100 kg/net``, ``US$0.5/liter``, ``2 EUR/kg``,
  ``16¢ each``, ``3.7¢/kg on drained weight``  → specific (amount, currency, per, unit, qualifier)
* ``3.4% + 1.2¢/kg`` (any number of terms)   → :class:`Sum`
* ``25%, max 5¢/kg``, ``10% min 2 EUR/kg``, ``… but not less than …`` → :class:`Bounded`
* ``the higher of 10% or 2 EUR/kg``, ``10% or 2¢/kg, whichever is greater`` → :class:`Choice`

Anything else is kept verbatim in :class:`Duty` with ``expr=None`` and a ``problem``: it is
flagged as unparsed and never computed as zero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal

# --------------------------------------------------------------------------------------
# Structure


@dataclass(frozen=True)
class AdValorem:
    """A percentage of the customs value."""

    percent: Decimal


@dataclass(frozen=True)
class Specific:
    """An amount of money per quantity: ``amount`` ``currency`` per ``per`` ``unit``."""

    amount: Decimal
    currency: str
    unit: str  # canonical unit, see UNITS
    per: Decimal = Decimal(1)
    qualifier: str = ""  # "net", "drained weight", "total sugars"…


Term = AdValorem | Specific


@dataclass(frozen=True)
class Free:
    """No duty."""


@dataclass(frozen=True)
class Sum:
    """Compound duty: the terms are added."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Bounded:
    """A duty with a minimum and/or maximum."""

    base: Sum
    minimum: Sum | None = None
    maximum: Sum | None = None


@dataclass(frozen=True)
class Choice:
    """Alternative duties: the higher (or lower) of the options applies."""

    options: tuple[Sum | Bounded, ...]
    pick: Literal["higher", "lower"] = "higher"


Expr = Free | Sum | Bounded | Choice


@dataclass(frozen=True)
class Duty:
    """A duty as found in a source: the verbatim text and, when understood, its structure."""

    text: str
    expr: Expr | None
    problem: str = ""

    @property
    def parse_ok(self) -> bool:
        return self.expr is not None

    @property
    def is_free(self) -> bool:
        return isinstance(self.expr, Free) or (
            isinstance(self.expr, Sum)
            and all(isinstance(t, AdValorem) and t.percent == 0 for t in self.expr.terms)
        )

    @property
    def ad_valorem_percent(self) -> Decimal | None:
        """The percentage when the duty is Free or purely ad valorem (for ranking rates)."""
        if isinstance(self.expr, Free):
            return Decimal(0)
        if isinstance(self.expr, Sum) and all(isinstance(t, AdValorem) for t in self.expr.terms):
            return sum((t.percent for t in self.expr.terms if isinstance(t, AdValorem)),
                       Decimal(0))
        return None

    @property
    def units_needed(self) -> set[str]:
        """Units of quantity this duty needs besides the customs value."""
        return {t.unit for t in _all_terms(self.expr) if isinstance(t, Specific)} if self.expr \
            else set()

    def formatted(self) -> str:
        """Canonical text (the verbatim text when unparsed)."""
        return format_duty(self.expr) if self.expr is not None else self.text

    def to_json(self) -> dict[str, Any] | None:
        return expr_to_json(self.expr) if self.expr is not None else None

    @classmethod
    def from_json(cls, text: str, data: Any, problem: str = "") -> Duty:
        """Rebuild from the stored text and JSON (``data`` None → unparsed)."""
        if data is None:
            if not problem:  # say why, as the parser did at import time
                problem = parse_duty(text).problem or "not understood"
            return cls(text=text, expr=None, problem=problem)
        return cls(text=text, expr=expr_from_json(data))


def _all_terms(expr: Expr | None) -> list[Term]:
    if expr is None or isinstance(expr, Free):
        return []
    if isinstance(expr, Sum):
        return list(expr.terms)
    if isinstance(expr, Bounded):
        out = list(expr.base.terms)
        for part in (expr.minimum, expr.maximum):
            if part is not None:
                out += list(part.terms)
        return out
    return [t for option in expr.options for t in _all_terms(option)]


# --------------------------------------------------------------------------------------
# Units and currencies

#: canonical unit → (dimension, factor to the dimension's base unit) for pure conversions.
UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": ("mass", Decimal(1)),
    "g": ("mass", Decimal("0.001")),
    "t": ("mass", Decimal(1000)),
    "l": ("volume", Decimal(1)),
    "hl": ("volume", Decimal(100)),
    "m3": ("volume", Decimal(1000)),
    "bbl": ("volume", Decimal("158.987294928")),
    "pcs": ("count", Decimal(1)),
    "doz": ("count", Decimal(12)),
    "gross": ("count", Decimal(144)),
    "pair": ("pair", Decimal(1)),
    "m2": ("area", Decimal(1)),
    "m": ("length", Decimal(1)),
    "pf_l": ("proof_volume", Decimal(1)),  # proof liter: depends on strength, never converted
    "l_alc": ("alcohol_volume", Decimal(1)),  # litre of pure alcohol (100% vol)
    "jewel": ("jewel", Decimal(1)),
    "kwh": ("energy", Decimal(1)),
    "carat": ("carat", Decimal(1)),
}

_UNIT_ALIASES: dict[str, str] = {
    "kg": "kg", "kgs": "kg", "kilo": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gr": "g", "gram": "g", "grams": "g",
    "t": "t", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "metric ton": "t", "mt": "t",
    "l": "l", "lt": "l", "ltr": "l", "liter": "l", "litre": "l", "liters": "l", "litres": "l",
    "hl": "hl", "hectoliter": "hl", "hectolitre": "hl",
    "m3": "m3", "m³": "m3", "cubic meter": "m3", "cubic metre": "m3",
    "bbl": "bbl", "barrel": "bbl", "barrels": "bbl",
    "pcs": "pcs", "pc": "pcs", "piece": "pcs", "pieces": "pcs", "each": "pcs", "no": "pcs",
    "no.": "pcs", "number": "pcs", "unit": "pcs", "units": "pcs", "u": "pcs", "p/st": "pcs",
    "article": "pcs", "head": "pcs", "item": "pcs", "items": "pcs",
    "doz": "doz", "doz.": "doz", "dozen": "doz", "dz": "doz",
    "gross": "gross",
    "pair": "pair", "pairs": "pair", "pr": "pair", "pr.": "pair", "prs": "pair",
    "m2": "m2", "m²": "m2", "sq m": "m2", "square meter": "m2", "square metre": "m2",
    "m": "m", "meter": "m", "metre": "m",
    "pf_l": "pf_l", "pf.liter": "pf_l", "pf. liter": "pf_l", "pf liter": "pf_l",
    "proof liter": "pf_l", "proof litre": "pf_l", "pf.l": "pf_l",
    "l_alc": "l_alc", "l alc": "l_alc", "l alc.": "l_alc", "l alc. 100%": "l_alc", "l alc 100%": "l_alc",
    "lpa": "l_alc", "litre of pure alcohol": "l_alc", "liter of pure alcohol": "l_alc",
    "jewel": "jewel", "jewels": "jewel",
    "kwh": "kwh", "carat": "carat", "ct": "carat",
}

_UNIT_PREFIX_QUALIFIERS = ("clean", "net", "gross", "dry", "drained")

_CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "c$": "CAD", "a$": "AUD",
    "r$": "BRL", "₹": "INR", "chf": "CHF", "sfr": "CHF",
}
_ISO_CURRENCY = re.compile(r"^[A-Z]{3}$")


def canonical_unit(text: str) -> str:
    """``"Liter"`` → ``"l"``; raises ``ValueError`` for an unknown unit."""
    key = re.sub(r"\s+", " ", text.strip().lower())
    if key in _UNIT_ALIASES:
        return _UNIT_ALIASES[key]
    key2 = key.rstrip(".")
    if key2 in _UNIT_ALIASES:
        return _UNIT_ALIASES[key2]
    raise ValueError(f"unknown unit {text!r}")


def convert_quantity(amount: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """Pure unit conversion (g→kg, t→kg, doz→pcs…); None when the units are not comparable."""
    a, b = UNITS.get(from_unit), UNITS.get(to_unit)
    if a is None or b is None or a[0] != b[0]:
        return None
    return amount * a[1] / b[1]


# --------------------------------------------------------------------------------------
# Parsing

_MOJIBAKE = {
    "Â¢": "¢", "Â£": "£", "â‚¬": "€", "Â ": " ", "\xa0": " ", "Â": "", "Ã©": "é",
    "Â²": "²", "Â³": "³",
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+"


def repair_text(text: str) -> str:
    """Undo common UTF-8-read-as-Latin-1 damage and normalise spaces."""
    out = text
    if any(marker in out for marker in ("Â", "â‚", "Ã")):
        try:
            out = out.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            for bad, good in _MOJIBAKE.items():
                out = out.replace(bad, good)
    out = out.replace("\xa0", " ")
    return re.sub(r"\s+", " ", out).strip()


def _number(text: str) -> Decimal:
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise _ParseError(f"bad number {text!r}") from exc
    return value


class _ParseError(Exception):
    pass


_AD_VALOREM = re.compile(rf"^(?P<n>{_NUM})\s*(?:%|percent|pct)(?:\s*ad\s*val(?:orem)?\.?)?$",
                         re.I)
_CURRENCY_PREFIX = re.compile(
    r"^(?P<cur>US\$|C\$|A\$|R\$|\$|€|£|¥|₹|[A-Z]{3}(?=\s*[\d.]))\s*"
    rf"(?P<n>{_NUM})\s*(?P<rest>.*)$")
_CURRENCY_SUFFIX = re.compile(
    rf"^(?P<n>{_NUM})\s*(?P<cur>¢|c(?=\s*/)|cents?|US\$|\$|€|£|[A-Za-z]{{3}}(?=\s*(?:/|per\b|each\b)))"
    r"\s*(?P<rest>.*)$")


def _currency(token: str, default_currency: str) -> tuple[str, Decimal]:
    """Currency code and the factor to apply to the amount (cents → 0.01)."""
    low = token.lower()
    if low in ("¢", "c", "cent", "cents"):
        return default_currency, Decimal("0.01")
    if low == "$":
        return default_currency if default_currency in ("USD", "CAD", "AUD", "NZD") \
            else "USD", Decimal(1)
    if low in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[low], Decimal(1)
    if _ISO_CURRENCY.match(token.upper()):
        return token.upper(), Decimal(1)
    raise _ParseError(f"unknown currency {token!r}")


def _parse_per_unit(rest: str) -> tuple[Decimal, str, str]:
    """``/100 kg/net`` → (100, "kg", "net"); ``each`` → (1, "pcs", "")."""
    rest = rest.strip()
    qualifier = ""
    m = re.match(r"^(?P<body>.*?)\s+(?:on|of)\s+(?:the\s+)?(?P<q>.+)$", rest, re.I)
    if m and not rest.lower().startswith(("of ", "on ")):
        rest, qualifier = m.group("body").strip(), m.group("q").strip()
    if re.fullmatch(r"each", rest, re.I):
        return Decimal(1), "pcs", qualifier
    m = re.match(r"^(?:/|per\b)\s*(?P<body>.+)$", rest, re.I)
    if not m:
        raise _ParseError(f"expected '/unit' after the amount, found {rest!r}")
    body = m.group("body").strip()
    parts = [p.strip() for p in re.split(r"\s*/\s*", body) if p.strip()]
    if not parts:
        raise _ParseError("missing unit")
    if len(parts) > 1:
        extra = " ".join(parts[1:]).lower()
        if extra not in ("net", "gross", "net drained weight", "net drained wt", "br", "dry",
                         "eq", "alc", "net dry", "dry matter"):
            raise _ParseError(f"unknown unit suffix {extra!r}")
        qualifier = (extra + (" " + qualifier if qualifier else "")).strip()
    unit_text = parts[0]
    per = Decimal(1)
    pm = re.match(rf"^(?P<n>{_NUM})\s*(?P<u>.*)$", unit_text)
    if pm:
        per = _number(pm.group("n"))
        unit_text = pm.group("u").strip()
        if per == 0:
            raise _ParseError("zero quantity in unit")
    words = unit_text.lower().split(" ")
    if len(words) > 1 and words[0] in _UNIT_PREFIX_QUALIFIERS and words[0] not in ("gross",):
        qualifier = (words[0] + (" " + qualifier if qualifier else "")).strip()
        unit_text = " ".join(words[1:])
    if unit_text.lower() in ("", "thousand"):
        if unit_text.lower() == "thousand":
            per = per * 1000
        unit = "pcs"
    else:
        try:
            unit = canonical_unit(unit_text)
        except ValueError:
            # "1,000 pins": a count of things named by the unit word
            if pm and per != 1 and re.fullmatch(r"[a-z]+", unit_text.lower()):
                unit, qualifier = "pcs", (unit_text.lower() + " " + qualifier).strip()
            else:
                raise _ParseError(f"unknown unit {unit_text!r}") from None
    return per, unit, qualifier


def _parse_term(text: str, default_currency: str) -> Term:
    text = text.strip()
    m = _AD_VALOREM.match(text)
    if m:
        return AdValorem(_norm(_number(m.group("n"))))
    m = _CURRENCY_PREFIX.match(text) or _CURRENCY_SUFFIX.match(text)
    if m:
        currency, factor = _currency(m.group("cur"), default_currency)
        amount = _number(m.group("n")) * factor
        per, unit, qualifier = _parse_per_unit(m.group("rest"))
        return Specific(amount=_norm(amount), currency=currency, unit=unit, per=_norm(per),
                        qualifier=qualifier)
    raise _ParseError(f"not a duty term: {text!r}")


def _parse_sum(text: str, default_currency: str) -> Sum:
    parts = [p for p in re.split(r"\s*\+\s*|\s+plus\s+", text.strip(), flags=re.I)]
    if any(not p.strip() for p in parts):
        raise _ParseError("empty term around '+'")
    return Sum(tuple(_parse_term(p, default_currency) for p in parts))


_BOUND_SPLIT = re.compile(
    r"\s*[,;]?\s*\b(?P<kw>min(?:imum)?|max(?:imum)?|but\s+not\s+less\s+than|"
    r"but\s+not\s+more\s+than|not\s+less\s+than|not\s+more\s+than|subject\s+to\s+a\s+"
    r"(?:minimum|maximum)\s+of)\b\.?:?\s*", re.I)


def _parse_bounded(text: str, default_currency: str) -> Sum | Bounded:
    pieces = _BOUND_SPLIT.split(text)
    base_text = pieces[0]
    if not base_text.strip():
        raise _ParseError("a minimum or maximum without a base duty")
    base = _parse_sum(base_text, default_currency)
    if len(pieces) == 1:
        return base
    minimum: Sum | None = None
    maximum: Sum | None = None
    for i in range(1, len(pieces), 2):
        keyword = pieces[i].lower()
        value = _parse_sum(pieces[i + 1], default_currency)
        is_min = "min" in keyword or "less" in keyword
        if is_min:
            if minimum is not None:
                raise _ParseError("two minimums")
            minimum = value
        else:
            if maximum is not None:
                raise _ParseError("two maximums")
            maximum = value
    return Bounded(base=base, minimum=minimum, maximum=maximum)


_CHOICE_PREFIX = re.compile(
    r"^(?:the\s+)?(?P<pick>higher|greater|highest|greatest|lower|lesser|lowest)\s+of\s*:?\s*"
    r"(?P<body>.+)$", re.I)
_CHOICE_SUFFIX = re.compile(
    r"^(?P<body>.+?)\s*,?\s*whichever\s+is\s+(?:the\s+)?(?P<pick>higher|greater|lower|less|"
    r"lesser)$", re.I)


def _parse_expr(text: str, default_currency: str) -> Expr:
    if re.fullmatch(r"free|exempt|nil", text, re.I):
        return Free()
    m = _CHOICE_PREFIX.match(text) or _CHOICE_SUFFIX.match(text)
    if m:
        pick: Literal["higher", "lower"] = (
            "lower" if m.group("pick").lower().startswith(("low", "less")) else "higher")
        body = m.group("body")
        options = [o for o in re.split(r"\s*(?:;|\bor\b)\s*", body, flags=re.I) if o.strip()]
        if len(options) < 2:
            raise _ParseError("an alternative needs at least two options")
        return Choice(tuple(_parse_bounded(o.strip().strip(","), default_currency)
                            for o in options), pick)
    if re.search(r"\bor\b", text, re.I):
        raise _ParseError("'or' without 'higher of' / 'whichever is greater'")
    return _parse_bounded(text, default_currency)


def parse_duty(text: str | None, default_currency: str = "USD") -> Duty:
    """Parse duty text; never raises.  Unparsed text comes back flagged with a problem."""
    raw = "" if text is None else str(text)
    clean = repair_text(raw)
    if not clean:
        return Duty(text=raw, expr=None, problem="no duty text")
    try:
        expr = _parse_expr(clean, default_currency.upper())
    except _ParseError as exc:
        return Duty(text=raw, expr=None, problem=str(exc))
    return Duty(text=raw, expr=expr)


def _norm(value: Decimal) -> Decimal:
    """Normalised decimal without exponent (so equal values compare and print the same)."""
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        return normalized.quantize(Decimal(1))
    return normalized


# --------------------------------------------------------------------------------------
# Formatting


def _fmt_number(value: Decimal) -> str:
    return format(_norm(value), "f")


class DutyWords:
    """How a walk of a duty expression writes its parts.

    The base class writes the canonical text that :func:`parse_duty` reads back (English
    words, a dot for decimals); :mod:`tradewind.i18n.duties` subclasses it for the reader's
    language.  :func:`render_duty` is the one walk over the structure, so a new kind of
    duty is written in both places or in neither.
    """

    def number(self, value: Decimal) -> str:
        return _fmt_number(value)

    def percent(self, value: Decimal) -> str:
        return f"{_fmt_number(value)}%"

    def qualified(self, duty: str, qualifier: str) -> str:
        return f"{duty} on {qualifier}"

    def plus(self, terms: list[str]) -> str:
        return " + ".join(terms)

    def at_least(self, duty: str, minimum: str) -> str:
        return f"{duty}, min {minimum}"

    def at_most(self, duty: str, maximum: str) -> str:
        return f"{duty}, max {maximum}"

    def free(self) -> str:
        return "Free"

    def choice(self, pick: str, options: list[str]) -> str:
        return f"the {pick} of " + " or ".join(options)


CANONICAL = DutyWords()


def _render_term(term: Term, words: DutyWords) -> str:
    if isinstance(term, AdValorem):
        return words.percent(term.percent)
    per = "" if term.per == 1 else f"{words.number(term.per)} "
    text = f"{words.number(term.amount)} {term.currency}/{per}{term.unit}"
    return words.qualified(text, term.qualifier) if term.qualifier else text


def _render_option(expr: Sum | Bounded, words: DutyWords) -> str:
    if isinstance(expr, Sum):
        return words.plus([_render_term(t, words) for t in expr.terms])
    text = _render_option(expr.base, words)
    if expr.minimum is not None:
        text = words.at_least(text, _render_option(expr.minimum, words))
    if expr.maximum is not None:
        text = words.at_most(text, _render_option(expr.maximum, words))
    return text


def render_duty(expr: Expr, words: DutyWords = CANONICAL) -> str:
    """A parsed duty written with ``words`` (canonical text by default)."""
    if isinstance(expr, Free):
        return words.free()
    if isinstance(expr, Choice):
        return words.choice(expr.pick, [_render_option(o, words) for o in expr.options])
    return _render_option(expr, words)


def format_term(term: Term) -> str:
    return _render_term(term, CANONICAL)


def format_duty(expr: Expr | Duty) -> str:
    """Canonical text that :func:`parse_duty` reads back to the same structure."""
    if isinstance(expr, Duty):
        return expr.formatted()
    return render_duty(expr)


# --------------------------------------------------------------------------------------
# JSON (stored in tariff_rates.duty_json)


def _term_to_json(term: Term) -> dict[str, Any]:
    if isinstance(term, AdValorem):
        return {"t": "av", "pct": str(term.percent)}
    return {"t": "sp", "amt": str(term.amount), "cur": term.currency, "per": str(term.per),
            "unit": term.unit, "q": term.qualifier}


def _term_from_json(data: dict[str, Any]) -> Term:
    if data["t"] == "av":
        return AdValorem(Decimal(data["pct"]))
    return Specific(amount=Decimal(data["amt"]), currency=data["cur"], unit=data["unit"],
                    per=Decimal(data.get("per", "1")), qualifier=data.get("q", ""))


def expr_to_json(expr: Expr) -> dict[str, Any]:
    if isinstance(expr, Free):
        return {"k": "free"}
    if isinstance(expr, Sum):
        return {"k": "sum", "terms": [_term_to_json(t) for t in expr.terms]}
    if isinstance(expr, Bounded):
        return {"k": "bounded", "base": expr_to_json(expr.base),
                "min": expr_to_json(expr.minimum) if expr.minimum else None,
                "max": expr_to_json(expr.maximum) if expr.maximum else None}
    return {"k": "choice", "pick": expr.pick, "options": [expr_to_json(o) for o in expr.options]}


def expr_from_json(data: dict[str, Any]) -> Expr:
    kind = data["k"]
    if kind == "free":
        return Free()
    if kind == "sum":
        return Sum(tuple(_term_from_json(t) for t in data["terms"]))
    if kind == "bounded":
        base = expr_from_json(data["base"])
        minimum = expr_from_json(data["min"]) if data.get("min") else None
        maximum = expr_from_json(data["max"]) if data.get("max") else None
        assert isinstance(base, Sum)
        assert minimum is None or isinstance(minimum, Sum)
        assert maximum is None or isinstance(maximum, Sum)
        return Bounded(base, minimum, maximum)
    if kind == "choice":
        options = tuple(expr_from_json(o) for o in data["options"])
        assert all(isinstance(o, Sum | Bounded) for o in options)
        return Choice(options, data["pick"])  # type: ignore[arg-type]
    raise ValueError(f"unknown duty JSON kind {kind!r}")


# --------------------------------------------------------------------------------------
# Computation


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


#: ``converter(amount, from_currency, to_currency) -> amount``; raise a TradewindError when
#: no rate is known (never guess).
CurrencyConverter = Callable[[Decimal, str, str], Decimal]


@dataclass
class DutyAmount:
    """The duty owed, or ``amount=None`` with the reason (unparsed text, missing quantity)."""

    amount: Decimal | None
    currency: str
    lines: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # quantities needed but not given
    problem: str = ""

    @property
    def complete(self) -> bool:
        return self.amount is not None


_CENT = Decimal("0.01")


def _money(value: Decimal) -> str:
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


class _Missing(Exception):
    def __init__(self, unit: str) -> None:
        super().__init__(unit)
        self.unit = unit


def _quantity(unit: str, quantities: Mapping[str, Decimal], lines: list[str]) -> Decimal:
    if unit in quantities:
        return Decimal(quantities[unit])
    for have, amount in quantities.items():
        converted = convert_quantity(Decimal(amount), have, unit)
        if converted is not None:
            lines.append(f"{_fmt_number(Decimal(amount))} {have} = "
                         f"{_fmt_number(converted)} {unit}")
            return converted
    raise _Missing(unit)


def _term_amount(term: Term, value: Money, quantities: Mapping[str, Decimal],
                 converter: CurrencyConverter | None, lines: list[str]) -> Decimal:
    if isinstance(term, AdValorem):
        amount = value.amount * term.percent / 100
        lines.append(f"{_fmt_number(term.percent)}% × {_money(value.amount)} {value.currency}"
                     f" = {_money(amount)} {value.currency}")
        return amount
    qty = _quantity(term.unit, quantities, lines)
    if term.qualifier:
        lines.append(f"(rate applies on {term.qualifier}; the {term.unit} quantity given is "
                     "taken as that measure)")
    amount = term.amount * qty / term.per
    per = "" if term.per == 1 else f"{_fmt_number(term.per)} "
    text = (f"{_fmt_number(term.amount)} {term.currency}/{per}{term.unit} × "
            f"{_fmt_number(qty)} {term.unit} = {_money(amount)} {term.currency}")
    if term.currency != value.currency:
        if converter is None:
            raise _NoRate(term.currency, value.currency)
        converted = converter(amount, term.currency, value.currency)
        text += f" = {_money(converted)} {value.currency}"
        amount = converted
    lines.append(text)
    return amount


class _NoRate(Exception):
    def __init__(self, src: str, dst: str) -> None:
        super().__init__(f"no exchange rate from {src} to {dst}")


def _sum_amount(expr: Sum, value: Money, quantities: Mapping[str, Decimal],
                converter: CurrencyConverter | None, lines: list[str]) -> Decimal:
    total = sum((_term_amount(t, value, quantities, converter, lines) for t in expr.terms),
                Decimal(0))
    if len(expr.terms) > 1:
        lines.append(f"sum = {_money(total)} {value.currency}")
    return total


def _option_amount(expr: Sum | Bounded, value: Money, quantities: Mapping[str, Decimal],
                   converter: CurrencyConverter | None, lines: list[str]) -> Decimal:
    if isinstance(expr, Sum):
        return _sum_amount(expr, value, quantities, converter, lines)
    amount = _sum_amount(expr.base, value, quantities, converter, lines)
    if expr.minimum is not None:
        low = _sum_amount(expr.minimum, value, quantities, converter, lines)
        if amount < low:
            lines.append(f"below the minimum: {_money(low)} {value.currency} applies")
            amount = low
    if expr.maximum is not None:
        high = _sum_amount(expr.maximum, value, quantities, converter, lines)
        if amount > high:
            lines.append(f"above the maximum: {_money(high)} {value.currency} applies")
            amount = high
    return amount


def compute_duty(duty: Duty, customs_value: Money, quantities: Mapping[str, Decimal] | None = None,
                 currency_converter: CurrencyConverter | None = None) -> DutyAmount:
    """Duty owed on ``customs_value`` (in its currency), with explanation lines.

    ``quantities`` maps units (any alias: "kg", "liter", "doz"…) to amounts; pure unit
    conversions are applied (g→kg, t→kg, doz→pcs).  A needed quantity that is missing, an
    unknown exchange rate or unparsed duty text give ``amount=None`` with the reason.
    """
    currency = customs_value.currency
    lines: list[str] = []
    if duty.expr is None:
        return DutyAmount(None, currency, [f"duty text not understood: {duty.text!r}"],
                          problem=f"unparsed duty text ({duty.problem})")
    normalized: dict[str, Decimal] = {}
    for unit, amount in (quantities or {}).items():
        try:
            normalized[canonical_unit(unit)] = Decimal(amount)
        except ValueError:
            normalized[unit] = Decimal(amount)
    if customs_value.amount < 0:
        return DutyAmount(None, currency, problem="negative customs value")
    expr = duty.expr
    try:
        if isinstance(expr, Free):
            lines.append("Free: no duty")
            amount = Decimal(0)
        elif isinstance(expr, Choice):
            values = []
            for option in expr.options:
                values.append(_option_amount(option, customs_value, normalized,
                                             currency_converter, lines))
            amount = max(values) if expr.pick == "higher" else min(values)
            lines.append(f"the {expr.pick} applies: {_money(amount)} {currency}")
        else:
            amount = _option_amount(expr, customs_value, normalized, currency_converter, lines)
    except _Missing as exc:
        return DutyAmount(None, currency, lines, missing=[exc.unit],
                          problem=f"the quantity in {exc.unit} is needed")
    except _NoRate as exc:
        return DutyAmount(None, currency, lines, problem=str(exc))
    amount = max(amount, Decimal(0))
    return DutyAmount(amount, currency, lines)

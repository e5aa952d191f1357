"""Duties written as the reader's language writes them ("12,8 %", "0,015 USD/kg", "le plus
élevé de …").

Why: :func:`tradewind.tariffs.duty.format_duty` gives the canonical text the parser reads back
(English words, a dot for decimals): right for CSV/JSON and the database, wrong in a French
sentence.  Pages and sentences use :func:`reader_duty`; downloads keep the canonical text.
"""

from __future__ import annotations

from decimal import Decimal

from tradewind.i18n import gettext as _
from tradewind.i18n.formatting import format_number, format_percent_value
from tradewind.tariffs.duty import AdValorem, Bounded, Choice, Duty, Free, Sum, Term


def _number(value: Decimal) -> str:
    return format_number(value, digits=6)


def _term(term: Term) -> str:
    if isinstance(term, AdValorem):
        return format_percent_value(term.percent, digits=4)
    per = "" if term.per == 1 else f"{_number(term.per)} "
    text = f"{_number(term.amount)} {term.currency}/{per}{term.unit}"
    if term.qualifier:
        text = _("%(duty)s on %(what)s", duty=text, what=term.qualifier)
    return text


def _sum(expr: Sum) -> str:
    return " + ".join(_term(t) for t in expr.terms)


def _option(expr: Sum | Bounded) -> str:
    if isinstance(expr, Sum):
        return _sum(expr)
    text = _sum(expr.base)
    if expr.minimum is not None:
        text = _("%(duty)s, at least %(minimum)s", duty=text, minimum=_sum(expr.minimum))
    if expr.maximum is not None:
        text = _("%(duty)s, at most %(maximum)s", duty=text, maximum=_sum(expr.maximum))
    return text


def reader_duty(duty: Duty) -> str:
    """The duty in the current language; the verbatim source text when it was not understood."""
    expr = duty.expr
    if expr is None:
        return duty.text
    if isinstance(expr, Free):
        return _("free")
    if isinstance(expr, Choice):
        options = [_option(o) for o in expr.options]
        joined = _(" or ").join(options)
        return (_("the higher of %(options)s", options=joined) if expr.pick == "higher"
                else _("the lower of %(options)s", options=joined))
    return _option(expr)

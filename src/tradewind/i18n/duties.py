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
from tradewind.tariffs.duty import Duty, DutyWords, render_duty


class ReaderWords(DutyWords):
    """The parts of a duty in the current language; the walk is :func:`render_duty`'s."""

    def number(self, value: Decimal) -> str:
        return format_number(value, digits=6)

    def percent(self, value: Decimal) -> str:
        return format_percent_value(value, digits=4)

    def qualified(self, duty: str, qualifier: str) -> str:
        return _("%(duty)s on %(what)s", duty=duty, what=qualifier)

    def at_least(self, duty: str, minimum: str) -> str:
        return _("%(duty)s, at least %(minimum)s", duty=duty, minimum=minimum)

    def at_most(self, duty: str, maximum: str) -> str:
        return _("%(duty)s, at most %(maximum)s", duty=duty, maximum=maximum)

    def free(self) -> str:
        return _("free")

    def choice(self, pick: str, options: list[str]) -> str:
        joined = _(" or ").join(options)
        return (_("the higher of %(options)s", options=joined) if pick == "higher"
                else _("the lower of %(options)s", options=joined))


READER = ReaderWords()


def reader_duty(duty: Duty) -> str:
    """The duty in the current language; the verbatim source text when it was not understood."""
    if duty.expr is None:
        return duty.text
    return render_duty(duty.expr, READER)

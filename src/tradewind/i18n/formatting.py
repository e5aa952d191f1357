"""Numbers, percentages, money and dates as a reader of each language writes them (Babel/CLDR).

Pages use these (``12,8 %`` in French, ``12.8%`` in English); downloads (CSV/JSON) never do:
they keep one machine format (``.`` decimal point, ISO dates) so that a file reads the same in
every language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

from tradewind.i18n import current_language

#: The Babel locale of each interface language.
LOCALES = {"en": "en_GB", "fr": "fr_FR", "es": "es_ES"}


def locale_of(lang: str | None = None) -> str:
    return LOCALES.get(lang or current_language.get(), "en_GB")


def format_number(value: Decimal | float | int, digits: int = 2, lang: str | None = None) -> str:
    """A number with at most ``digits`` decimals, grouped as the language does."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return _babel_decimal(value, format=pattern, locale=locale_of(lang))


def format_percent_value(value: Decimal | float, digits: int = 2,
                         lang: str | None = None) -> str:
    """``value`` is in percent (12.8 → "12.8%" / "12,8 %")."""
    rounded = round(Decimal(str(value)), digits).normalize()
    if rounded == rounded.to_integral():
        rounded = rounded.quantize(Decimal(1))
    # the locale's own pattern gives the spacing ("12,8 %" in French, "12.8%" in English)
    return _babel_percent(rounded / 100, locale=locale_of(lang), decimal_quantization=False)


def format_money(value: Decimal | float, currency: str, lang: str | None = None) -> str:
    return _babel_currency(value, currency, locale=locale_of(lang))


def format_day(value: date, lang: str | None = None) -> str:
    """A date written out (3 mars 2025); the ISO form stays in ``<time datetime>``."""
    return _babel_date(value, format="long", locale=locale_of(lang))

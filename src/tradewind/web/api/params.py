"""The JSON API's parameters with their real constraints, declared once.

FastAPI enforces what these declare (a 422 problem) and the OpenAPI document publishes it, so
the schema refuses exactly what the API refuses.  What a pattern cannot know — whether a
well-formed country, code or currency exists here — the library answers with a 404
(:class:`tradewind.errors.UnknownValue`, or an :class:`~tradewind.errors.InvalidCode` marked
``missing``).  ``tests/web/test_api_contract.py`` checks both directions with schemathesis.
"""

from __future__ import annotations

from typing import Any

from fastapi import Path, Query

from tradewind.nomenclature.models import EDITIONS

#: A country or economy as typed: an ISO code (KEN, KE, 404), a group (EUN) or an English
#: name ("Kenya", "Côte d'Ivoire"): letters (Latin-1), digits, spaces and . , ' ’ ( ) & -
ECONOMY_PATTERN = r"^[A-Za-z0-9À-ÖØ-öø-ÿ][A-Za-z0-9À-ÖØ-öø-ÿ .,'’()&-]{0,59}$"
ISO3_PATTERN = r"^[A-Za-z]{3}$"
#: An HS chapter, heading or subheading: 2, 4 or 6 digits ("09", "0901", "0901.21", "090121").
HS_PATTERN = r"^[0-9]{2}([0-9]{2}([. ]?[0-9]{2})?)?$"
#: A six-digit subheading ("090121" or "0901.21").
HS6_PATTERN = r"^[0-9]{4}[. ]?[0-9]{2}$"
#: A subheading or a national tariff line (6, 8 or 10 digits): "0901.21", "0901.21.00.10".
HS_LINE_PATTERN = r"^[0-9]{4}[. ]?[0-9]{2}([. ]?[0-9]{2}){0,2}$"
#: A calendar day, YYYY-MM-DD, between 1900 and 2199 (the years the data can have).
DATE_PATTERN = r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"
CURRENCY_PATTERN = r"^[A-Za-z]{3}$"
#: A non-negative amount, at most 15 digits before the decimal point and 6 after.
AMOUNT_PATTERN = r"^[0-9]{1,15}([.][0-9]{1,6})?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^(en|fr|es)$"
EDITION_PATTERN = "^(" + "|".join(EDITIONS) + ")$"
#: A token from a mailed link (secrets.token_urlsafe).
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{1,200}$"
MAX_ID = 2**31 - 1
DATE_SCHEMA: dict[str, Any] = {"format": "date"}


def economy(default: Any = ..., *, description: str = "ISO3 code, group (EUN) or English name",
            alias: str | None = None, example: str = "KEN") -> Any:
    return Query(default, alias=alias, min_length=1, max_length=60, pattern=ECONOMY_PATTERN,
                 description=description + "; unknown: 404", examples=[example])


def iso3(default: Any = ..., *, description: str = "ISO3 code", example: str = "KEN") -> Any:
    return Query(default, min_length=3, max_length=3, pattern=ISO3_PATTERN,
                 description=description, examples=[example])


def iso3_path(description: str = "ISO3 code; unknown: 404") -> Any:
    return Path(..., min_length=3, max_length=3, pattern=ISO3_PATTERN, description=description,
                examples=["KEN"])


def hs_code(default: Any = ..., *, pattern: str = HS_PATTERN,
            description: str = "HS code: 2, 4 or 6 digits, `0901.21` or `090121`",
            example: str = "0901.21") -> Any:
    return Query(default, min_length=2, max_length=16, pattern=pattern,
                 description=description + "; not in HS 2022: 404", examples=[example])


def hs6(default: Any = ..., *, description: str = "HS 2022 six-digit subheading") -> Any:
    return hs_code(default, pattern=HS6_PATTERN, description=description, example="090111")


def day(default: Any = None, *, description: str = "YYYY-MM-DD (default: today)",
        alias: str | None = None) -> Any:
    return Query(default, alias=alias, min_length=10, max_length=10, pattern=DATE_PATTERN,
                 description=description, json_schema_extra=DATE_SCHEMA,
                 examples=["2025-01-31"])


def currency(default: Any = ..., *, alias: str | None = None,
             description: str = "ISO 4217 code; no rate known: 404") -> Any:
    return Query(default, alias=alias, min_length=3, max_length=3, pattern=CURRENCY_PATTERN,
                 description=description, examples=["USD"])


def amount(default: Any = ..., *, description: str = "amount, e.g. 1000 or 1250.50") -> Any:
    return Query(default, min_length=1, max_length=22, pattern=AMOUNT_PATTERN,
                 description=description, examples=["1000"])


def language(default: str = "en") -> Any:
    return Query(default, pattern=LANGUAGE_PATTERN, description="en, fr or es",
                 examples=["fr"])


def edition(default: Any = "HS2022", *, alias: str | None = None,
            description: str = "HS edition; not loaded: 404") -> Any:
    return Query(default, alias=alias, pattern=EDITION_PATTERN, description=description,
                 examples=["HS2017"])


def slug() -> Any:
    return Path(..., min_length=1, max_length=120, pattern=SLUG_PATTERN,
                description="lower-case words joined by hyphens; unknown: 404")


def token(description: str = "token from the mailed link; unknown: 404") -> Any:
    return Query(..., min_length=1, max_length=200, pattern=TOKEN_PATTERN,
                 description=description)


def list_id() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="watch list id; unknown: 404")

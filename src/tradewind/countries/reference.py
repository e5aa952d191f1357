"""Country reference data from pycountry (offline), with localised names."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from sqlalchemy import Connection, delete, insert, select

from tradewind.countries.models import countries
from tradewind.errors import InvalidInput, UnknownValue
from tradewind.i18n import lazy_noop as N_


def iter_pycountry_rows() -> list[dict[str, str]]:
    rows = []
    for c in pycountry.countries:
        rows.append({
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "numeric": c.numeric,
            "name": getattr(c, "common_name", None) or c.name,
            "official_name": getattr(c, "official_name", "") or "",
            "region": "",
        })
    return rows


def load_countries(conn: Connection) -> int:
    """(Re)load the ISO 3166 list; returns the number of countries."""
    rows = iter_pycountry_rows()
    conn.execute(delete(countries))
    conn.execute(insert(countries), rows)
    return len(rows)


def all_countries(conn: Connection) -> list[dict[str, str]]:
    return [dict(r._mapping) for r in conn.execute(select(countries).order_by(countries.c.name))]


def resolve_country(value: str) -> str:
    """ISO3 for an ISO2/ISO3/numeric code or an English name; raises InvalidInput."""
    text = value.strip()
    if not text:
        raise InvalidInput(N_("a country is required"))
    found = None
    if text.isdigit():
        found = pycountry.countries.get(numeric=text.zfill(3))
    elif len(text) == 2:
        found = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        found = pycountry.countries.get(alpha_3=text.upper())
    if found is None:
        try:
            found = pycountry.countries.lookup(text)
        except LookupError:
            found = None
    if found is None:
        raise UnknownValue(N_("unknown country %(value)r: use an ISO code such as KEN or a name"),
                           value=value)
    return str(found.alpha_3)


@lru_cache(maxsize=8)
def _translator(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


def country_name(iso3: str, lang: str = "en") -> str:
    """The country's name in ``lang`` (English when pycountry has no translation)."""
    c = pycountry.countries.get(alpha_3=iso3.upper())
    if c is None:
        return iso3
    english = getattr(c, "common_name", None) or c.name
    return _translator(lang).gettext(english) if lang != "en" else english

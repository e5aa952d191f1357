"""Reconcile the country codes of every trade source to ISO 3166, and to small integer ids.

Flow tables store an economy as a SMALLINT: its ISO 3166-1 numeric code (840 for the USA),
or, for the few entities without one (Kosovo, the Channel Islands), a code from ISO's
user-assigned range 900-999 fixed here.  The mapping needs no database, so importers and
queries agree on it without a join.

Sources use their own conventions, reconciled by :func:`from_un_numeric` (BACI and UN
Comtrade: 251 France incl. Monaco, 579 Norway incl. Svalbard, 699 India, 757 Switzerland
incl. Liechtenstein, 842 USA incl. Puerto Rico, 490 "Other Asia, nes" = Taiwan) and
:func:`from_alpha3` (World Bank XKX/CHI, GeoDist ROM/ZAR/TMP/PAL/YUG).
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Entities without an ISO 3166-1 numeric code, given ids in the user-assigned range.
EXTRA_ECONOMIES: dict[str, tuple[int, str]] = {
    "XKX": (901, "Kosovo"),
    "CHI": (902, "Channel Islands"),
}

# Old or non-standard alpha-3 codes found in sources → current ISO 3166 alpha-3.
ALPHA3_ALIASES: dict[str, str] = {
    "ROM": "ROU",  # Romania (GeoDist, old UN code)
    "ZAR": "COD",  # Zaire → DR Congo
    "TMP": "TLS",  # East Timor → Timor-Leste
    "PAL": "PSE",  # Palestine
    "KSV": "XKX",  # Kosovo (IMF style)
    "YUG": "SRB",  # Yugoslavia → Serbia (successor state in GeoDist and BACI)
    "SCG": "SRB",  # Serbia and Montenegro → Serbia
    "ANT": "CUW",  # Netherlands Antilles → Curaçao (main successor)
    "SUN": "RUS",  # USSR → Russia
    "CSK": "CZE",  # Czechoslovakia → Czechia
    "DDR": "DEU",
    "BLX": "BEL",
}

# UN M49 / BACI / Comtrade numeric codes that differ from ISO 3166-1 numeric.
UN_NUMERIC_SPECIALS: dict[int, str] = {
    251: "FRA",  # France, Monaco
    579: "NOR",  # Norway, Svalbard and Jan Mayen
    699: "IND",  # India (UN code used by BACI/Comtrade)
    757: "CHE",  # Switzerland, Liechtenstein
    842: "USA",  # USA, Puerto Rico and US Virgin Islands
    490: "TWN",  # "Other Asia, not elsewhere specified": Taiwan in UN trade statistics
    58: "BEL",  # Belgium-Luxembourg (before 1999)
    711: "ZAF",  # Southern African Customs Union (before 2000)
    736: "SDN",  # Former Sudan
    280: "DEU",  # Former Federal Republic of Germany
    530: "CUW",  # Netherlands Antilles
    891: "SRB",  # Serbia and Montenegro
    890: "SRB",  # Former Yugoslavia
    810: "RUS",  # Former USSR
    200: "CZE",  # Czechoslovakia
    849: "UMI",  # US Miscellaneous Pacific Islands
    412: "XKX",  # Kosovo (used by some UN datasets)
    680: "CHI",  # Sark / Channel Islands in some UN datasets
}


@lru_cache(maxsize=1)
def _iso_tables() -> tuple[dict[str, int], dict[int, str], dict[str, str]]:
    by_iso3: dict[str, int] = {}
    by_id: dict[int, str] = {}
    names: dict[str, str] = {}
    for c in pycountry.countries:
        number = int(c.numeric)
        by_iso3[c.alpha_3] = number
        by_id[number] = c.alpha_3
        names[c.alpha_3] = getattr(c, "common_name", None) or c.name
    for iso3, (number, name) in EXTRA_ECONOMIES.items():
        by_iso3[iso3] = number
        by_id[number] = iso3
        names[iso3] = name
    return by_iso3, by_id, names


def economy_id(iso3: str) -> int:
    """The SMALLINT id of an ISO3 economy (raises KeyError when unknown)."""
    return _iso_tables()[0][iso3.upper()]


def economy_iso3(economy: int) -> str:
    """The ISO3 code of a SMALLINT economy id (raises KeyError when unknown)."""
    return _iso_tables()[1][int(economy)]


def economy_name(iso3: str) -> str:
    return _iso_tables()[2].get(iso3.upper(), iso3.upper())


def all_economies() -> list[tuple[int, str, str]]:
    """Every known economy as (id, iso3, English name), for the ``economies`` table."""
    by_iso3, _, names = _iso_tables()
    return sorted((number, iso3, names[iso3]) for iso3, number in by_iso3.items())


def from_alpha3(code: str) -> str | None:
    """ISO3 for an alpha-3 code as written by a source (None when it matches nothing)."""
    text = code.strip().upper()
    text = ALPHA3_ALIASES.get(text, text)
    return text if text in _iso_tables()[0] else None


def from_un_numeric(code: int, alpha3_hint: str = "") -> str | None:
    """ISO3 for a UN/BACI/Comtrade numeric code; the source's own alpha-3 is a fallback."""
    if code in UN_NUMERIC_SPECIALS:
        return UN_NUMERIC_SPECIALS[code]
    found = _iso_tables()[1].get(code)
    if found is not None:
        return found
    return from_alpha3(alpha3_hint) if alpha3_hint else None

"""Economy codes for parties: ISO 3166 alpha-3 plus group codes (EUN) and WTO spellings."""

from __future__ import annotations

import pycountry

from tradewind.countries.reference import resolve_country
from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_

#: Names used by the WTO, WITS and DESTA that pycountry does not resolve, and group names.
ALIASES: dict[str, str] = {
    "european union": "EUN", "eu": "EUN", "eun": "EUN", "european communities": "EUN",
    "european community": "EUN", "ec": "EUN", "eu-27": "EUN", "eu27": "EUN", "eu-28": "EUN",
    "sacu": "SAC", "southern african customs union": "SAC",
    "chinese taipei": "TWN", "separate customs territory of taiwan, penghu, kinmen and matsu":
        "TWN", "hong kong, china": "HKG", "hong kong": "HKG", "macao, china": "MAC",
    "macao": "MAC", "korea, republic of": "KOR", "republic of korea": "KOR", "korea": "KOR",
    "kosovo": "XKX", "türkiye": "TUR", "turkey": "TUR", "turkiye": "TUR",
    "united states of america": "USA", "united states": "USA", "us": "USA",
    "russia": "RUS", "russian federation": "RUS", "viet nam": "VNM", "vietnam": "VNM",
    "kyrgyz republic": "KGZ", "slovak republic": "SVK", "czech republic": "CZE",
    "lao people's democratic republic": "LAO", "moldova, republic of": "MDA",
    "bolivia, plurinational state of": "BOL", "venezuela, bolivarian republic of": "VEN",
    "saudi arabia, kingdom of": "SAU", "bahrain, kingdom of": "BHR",
    "kuwait, the state of": "KWT", "the gambia": "GMB", "gambia": "GMB", "eswatini": "SWZ",
    "swaziland": "SWZ", "cabo verde": "CPV", "cape verde": "CPV", "north macedonia": "MKD",
    "macedonia": "MKD", "former yugoslav republic of macedonia": "MKD",
    "côte d'ivoire": "CIV", "cote d'ivoire": "CIV", "congo, democratic republic of the": "COD",
    "democratic republic of the congo": "COD", "congo": "COG", "iran": "IRN",
    "united kingdom": "GBR", "uk": "GBR", "tanzania": "TZA", "syria": "SYR",
}

GROUP_CODES = {"EUN", "SAC"}


def economy_code(text: str) -> str:
    """ISO3 or group code for a code or English name; raises InvalidInput when unknown."""
    value = text.strip()
    key = value.lower().replace("’", "'")
    if key in ALIASES:
        return ALIASES[key]
    if value.upper() in GROUP_CODES or value.upper() == "XKX":
        return value.upper()
    try:
        return resolve_country(value)
    except InvalidInput:
        try:
            historic = pycountry.historic_countries.lookup(value)
        except LookupError:
            raise InvalidInput(N_("unknown economy %(text)r"), text=text) from None
        return str(historic.alpha_3)

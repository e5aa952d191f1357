"""Country names inside sentences: the article and preposition each language needs.

French and Spanish put a different word before a country depending on its gender, number and
first letter: *en France, au Kenya, aux États-Unis, à Singapour; de France, du Kenya, des
États-Unis, d'Italie*; *en España, en los Estados Unidos, a los Estados Unidos, del Reino
Unido*.  Names come from CLDR (Babel), which gives the short forms people use ("Russie", not
"Russie, Fédération de"); gender and number come from the rules below plus a small project
table of exceptions.  ``tests/i18n/test_grammar.py`` checks every economy in the database.

Three phrases are offered, each including the preposition:

* ``in``   — where something is made or sold: in Kenya / au Kenya / en Kenia
* ``to``   — where goods go: to Kenya / au Kenya / a Kenia
* ``from`` — where goods come from: from Kenya / du Kenya / de Kenia
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pycountry
from babel import Locale

from tradewind.i18n import current_language

Case = Literal["in", "to", "from"]
VOWELS = "aeiouàâäéèêëîïôöùûüœæ"  # French elides before a vowel (and the mute h below)
#: Names starting with a mute h (d'Haïti); other h- names are aspirated (du Honduras).
FR_MUTE_H = ("Haïti",)

#: Short names where CLDR's standard one is an official form.
SHORT_NAMES: dict[str, dict[str, str]] = {
    "en": {"HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar", "PS": "Palestine",
           "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo"},
    "fr": {"HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar", "VA": "Vatican",
           "PS": "Palestine", "CD": "République démocratique du Congo", "CG": "Congo"},
    "es": {"HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar", "PS": "Palestina"},
}
#: Economy groups (not ISO countries) with their names.
GROUPS: dict[str, dict[str, str]] = {
    "EUN": {"en": "European Union", "fr": "Union européenne", "es": "Unión Europea"},
    "SAC": {"en": "Southern African Customs Union",
            "fr": "Union douanière d'Afrique australe",
            "es": "Unión Aduanera de África Austral"},
}

# --- French -------------------------------------------------------------------------------
#: Masculine names ending in -e (the rule makes -e names feminine).
FR_MASCULINE_E = {"MX", "KH", "MZ", "ZW", "BZ", "SR", "GB"}
#: Feminine names not ending in -e.
FR_FEMININE_OTHER: set[str] = set()
#: Plural names (aux, des), besides those starting with "Îles" or "Terres".
FR_PLURAL = {"US", "NL", "PH", "AE", "KM", "MV", "SC", "BS", "FJ", "BM", "PW", "TO", "WS",
             "KI", "TK", "BQ", "AS", "UM", "TF"}
#: Names used without article (cities, many islands): à Singapour, de Singapour, d'Israël.
FR_NO_ARTICLE = {"SG", "MC", "MT", "CY", "CU", "MG", "HT", "IL", "BH", "OM", "TW", "HK", "MO",
                 "MU", "AW", "CW", "GU", "PR", "RE", "YT", "MS", "AI", "GI", "JE", "GG", "NU",
                 "NR", "TV", "SX", "BL", "MF", "LC", "KN", "VC", "TT", "AG", "ST", "WF", "PM",
                 "SH", "SM"}
#: Feminine islands taking "à la" (à la Barbade, à la Grenade, à la Dominique).
FR_A_LA = {"BB", "GD", "DM"}
#: Singular island names starting with "Île" (à l'île de Man, de l'île de Man).
FR_ISLAND_PREFIX = ("Île ",)
FR_PLURAL_PREFIX = ("Îles ", "Terres ", "Samoa américaines")

# --- Spanish ------------------------------------------------------------------------------
#: Names used with an article in running text: en los Estados Unidos, del Reino Unido.
ES_ARTICLE = {"US": "los", "GB": "el", "NL": "los", "AE": "los", "EUN": "la", "PH": "",
              "BQ": "el", "EH": "el", "VA": "la",
              "IN": "", "BS": "las", "MV": "las", "SC": "las"}
ES_ARTICLE_PREFIX = {"Islas ": "las", "Isla ": "la", "República ": "la"}


@dataclass(frozen=True)
class CountryForm:
    """How one language writes one economy inside a sentence."""

    name: str
    article: str  # "", "le", "la", "l'", "les" (fr); "", "el", "la", "los", "las" (es)
    in_phrase: str
    to_phrase: str
    from_phrase: str
    rule: str  # which rule decided (shown by the test when a form looks wrong)

    def phrase(self, case: Case) -> str:
        return {"in": self.in_phrase, "to": self.to_phrase, "from": self.from_phrase}[case]


def _alpha2(code: str) -> str | None:
    if code in GROUPS:
        return None
    if len(code) == 2:
        return code.upper()
    found = pycountry.countries.get(alpha_3=code.upper())
    return str(found.alpha_2) if found else None


@lru_cache(maxsize=4096)
def short_name(code: str, lang: str) -> str:
    """The CLDR short name of an ISO3 (or group) code in ``lang``."""
    if code in GROUPS:
        return GROUPS[code][lang]
    a2 = _alpha2(code)
    if a2 is None:
        return code
    override = SHORT_NAMES.get(lang, {}).get(a2)
    if override:
        return override
    name = Locale.parse(lang).territories.get(a2)
    if name:
        return str(name)
    found = pycountry.countries.get(alpha_2=a2)
    return str(getattr(found, "common_name", None) or found.name) if found else code


def _elide(word: str) -> bool:
    return word[:1].lower() in VOWELS or word.startswith(FR_MUTE_H)


def _french(code: str) -> CountryForm:
    name = short_name(code, "fr")
    a2 = _alpha2(code) or code
    low = name[:1].lower() + name[1:]
    if code in GROUPS:
        return CountryForm(name, "l'", f"dans l'{name}", f"vers l'{name}", f"de l'{name}",
                           "group")
    if name.startswith(FR_PLURAL_PREFIX) or a2 in FR_PLURAL:
        inner = low if name.startswith(("Îles ", "Terres ")) else name  # les îles Caïmans
        return CountryForm(name, "les", f"aux {inner}", f"aux {inner}", f"des {inner}",
                           "plural")
    if name.startswith("République "):
        return CountryForm(name, "la", f"en {name}", f"en {name}", f"de la {name}",
                           "république")
    if name.startswith(FR_ISLAND_PREFIX):
        return CountryForm(name, "l'", f"à l'{low}", f"à l'{low}", f"de l'{low}", "island")
    if a2 in FR_A_LA:
        return CountryForm(name, "la", f"à la {name}", f"à la {name}", f"de la {name}",
                           "island with article")
    if a2 in FR_NO_ARTICLE or name.startswith(("Saint-", "Sainte-", "Sao ")):
        of = f"d'{name}" if _elide(name) else f"de {name}"
        return CountryForm(name, "", f"à {name}", f"à {name}", of, "no article")
    first = name.split(" ")[0].split("-")[0]
    feminine = (a2 not in FR_MASCULINE_E and first.endswith("e")) or a2 in FR_FEMININE_OTHER
    if feminine:
        of = f"d'{name}" if _elide(name) else f"de {name}"
        return CountryForm(name, "la" if not _elide(name) else "l'", f"en {name}", f"en {name}",
                           of, "feminine")
    if _elide(name):
        return CountryForm(name, "l'", f"en {name}", f"en {name}", f"d'{name}",
                           "masculine, vowel")
    return CountryForm(name, "le", f"au {name}", f"au {name}", f"du {name}", "masculine")


def _spanish(code: str) -> CountryForm:
    name = short_name(code, "es")
    a2 = _alpha2(code) or code
    article = "la" if code in GROUPS else ES_ARTICLE.get(a2)
    rule = "article table" if article is not None else "no article"
    if article is None:
        article = next((art for prefix, art in ES_ARTICLE_PREFIX.items()
                        if name.startswith(prefix)), "")
        rule = "island article" if article else rule
    name_in = name
    if not article:
        return CountryForm(name, "", f"en {name}", f"a {name}", f"de {name}", rule)
    to = "al" if article == "el" else f"a {article}"
    of = "del" if article == "el" else f"de {article}"
    return CountryForm(name, article, f"en {article} {name_in}", f"{to} {name_in}",
                       f"{of} {name_in}", rule)


def _english(code: str) -> CountryForm:
    name = short_name(code, "en")
    a2 = _alpha2(code) or code
    the = a2 in {"US", "GB", "NL", "PH", "AE", "BS", "MV", "SC", "KM", "CD", "CG"} or \
        code in GROUPS or name.endswith(" Islands") or name.startswith("Isle of ")
    text = f"the {name}" if the else name
    return CountryForm(name, "the" if the else "", f"in {text}", f"to {text}", f"from {text}",
                       "article" if the else "no article")


@lru_cache(maxsize=4096)
def country_form(code: str, lang: str) -> CountryForm:
    """The name and phrases of ``code`` (ISO3 or group) in ``lang`` (en, fr, es)."""
    if lang == "fr":
        return _french(code)
    if lang == "es":
        return _spanish(code)
    return _english(code)


def country_phrase(code: str, case: Case, lang: str | None = None) -> str:
    """"au Kenya", "aux États-Unis", "del Reino Unido" …: the phrase including the preposition."""
    return country_form(code, lang or current_language.get()).phrase(case)

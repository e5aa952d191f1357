"""Country names in French and Spanish sentences: article, preposition, elision, agreement.

The class of fault: a sentence template gluing a bare name after a fixed preposition ("en
Kenya", "de États-Unis", "a el Reino Unido").  Every economy in the database gets a phrase that
is checked for form, and a table of hand-checked phrases pins the rules.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tradewind.agreements.models import economy_groups
from tradewind.countries.models import countries
from tradewind.db import Database
from tradewind.i18n.grammar import country_form, country_phrase

KNOWN = {
    ("FRA", "fr"): ("en France", "en France", "de France"),
    ("KEN", "fr"): ("au Kenya", "au Kenya", "du Kenya"),
    ("USA", "fr"): ("aux États-Unis", "aux États-Unis", "des États-Unis"),
    ("SGP", "fr"): ("à Singapour", "à Singapour", "de Singapour"),
    ("ITA", "fr"): ("en Italie", "en Italie", "d'Italie"),
    ("IRN", "fr"): ("en Iran", "en Iran", "d'Iran"),
    ("MEX", "fr"): ("au Mexique", "au Mexique", "du Mexique"),
    ("GBR", "fr"): ("au Royaume-Uni", "au Royaume-Uni", "du Royaume-Uni"),
    ("HND", "fr"): ("au Honduras", "au Honduras", "du Honduras"),
    ("HTI", "fr"): ("à Haïti", "à Haïti", "d'Haïti"),
    ("YEM", "fr"): ("au Yémen", "au Yémen", "du Yémen"),
    ("CYM", "fr"): ("aux îles Caïmans", "aux îles Caïmans", "des îles Caïmans"),
    ("EUN", "fr"): ("dans l'Union européenne", "vers l'Union européenne",
                    "de l'Union européenne"),
    ("ESP", "es"): ("en España", "a España", "de España"),
    ("USA", "es"): ("en los Estados Unidos", "a los Estados Unidos", "de los Estados Unidos"),
    ("GBR", "es"): ("en el Reino Unido", "al Reino Unido", "del Reino Unido"),
    ("KEN", "es"): ("en Kenia", "a Kenia", "de Kenia"),
    ("SLV", "es"): ("en El Salvador", "a El Salvador", "de El Salvador"),
    ("EUN", "es"): ("en la Unión Europea", "a la Unión Europea", "de la Unión Europea"),
    ("USA", "en"): ("in the United States", "to the United States", "from the United States"),
    ("KEN", "en"): ("in Kenya", "to Kenya", "from Kenya"),
}

FR_OK = re.compile(r"^(en|au|aux|à|à la|à l'|dans l'|vers l') ?\S")
FR_FROM_OK = re.compile(r"^(de|du|des|d'|de la|de l') ?\S")
ES_OK = re.compile(r"^en (el |la |los |las )?\S")
ES_TO_OK = re.compile(r"^(a|al|a la|a los|a las) \S")
ES_FROM_OK = re.compile(r"^(de|del|de la|de los|de las) \S")
FR_FORBIDDEN = re.compile(r"\b(de le|de les|à le|à les|en le|en les)\b|"
                          r"\bde [AEIOUÉÈÊÎÔ]|\bd'[^aeiouhAEIOUHÉÈÊÎÔÂÀäëïöü]|  ")
ES_FORBIDDEN = re.compile(r"\b(a el|de el) [a-zñáéíóú]|  ")


@pytest.mark.parametrize(("key", "expected"), sorted(KNOWN.items()))
def test_known_phrases(key: tuple[str, str], expected: tuple[str, str, str]) -> None:
    code, lang = key
    assert (country_phrase(code, "in", lang), country_phrase(code, "to", lang),
            country_phrase(code, "from", lang)) == expected


def _economies(db: Database) -> list[str]:
    with db.connect() as conn:
        codes = list(conn.execute(select(countries.c.iso3)).scalars())
        codes += list(conn.execute(select(economy_groups.c.code)).scalars())
    return sorted(set(codes))


def test_every_economy_in_the_database_has_a_well_formed_phrase(hs_db: Database) -> None:
    economies = _economies(hs_db)
    assert len(economies) > 240
    problems = []
    for code in economies:
        fr, es = country_form(code, "fr"), country_form(code, "es")
        en = country_form(code, "en")
        for form in (fr, es, en):
            if form.name == code or not form.name:  # fell back to the code: no CLDR name
                problems.append(f"{code}: no name ({form.rule})")
        checks = [(FR_OK, FR_FORBIDDEN, fr.in_phrase, fr.rule),
                  (FR_OK, FR_FORBIDDEN, fr.to_phrase, fr.rule),
                  (FR_FROM_OK, FR_FORBIDDEN, fr.from_phrase, fr.rule),
                  (ES_OK, ES_FORBIDDEN, es.in_phrase, es.rule),
                  (ES_TO_OK, ES_FORBIDDEN, es.to_phrase, es.rule),
                  (ES_FROM_OK, ES_FORBIDDEN, es.from_phrase, es.rule)]
        for pattern, forbidden, phrase, rule in checks:
            if not pattern.match(phrase) or forbidden.search(phrase):
                problems.append(f"{code}: {phrase!r} ({rule})")
        # agreement between the French phrases: au/du, aux/des, en/de go together
        pairs = {"au": ("du",), "aux": ("des",), "en": ("de", "d'", "de la"),
                 "à": ("de", "d'"), "à la": ("de la",), "à l'": ("de l'",),
                 "dans l'": ("de l'",)}
        head = next(p for p in sorted(pairs, key=len, reverse=True)
                    if fr.in_phrase.startswith(p + (" " if not p.endswith("'") else "")))
        if not fr.from_phrase.startswith(pairs[head]):
            problems.append(f"{code}: {fr.in_phrase!r} but {fr.from_phrase!r}")
        if fr.name not in fr.in_phrase and fr.name[1:] not in fr.in_phrase:
            problems.append(f"{code}: the French phrase lost the name")
    assert not problems, "\n".join(problems)


def test_sentences_use_the_phrases(hs_db: Database) -> None:
    """The market-access answer says "au Kenya" and "aux États-Unis", never "en Kenya"."""
    from datetime import date

    from tradewind.access import market_access
    from tradewind.i18n import current_language

    token = current_language.set("fr")
    try:
        with hs_db.connect() as conn:
            answer = market_access(conn, "090111", "KEN", "USA", date(2025, 6, 1))
    finally:
        current_language.reset(token)
    text = " ".join(answer.sentences)
    assert "au Kenya" in text and "aux États-Unis" in text
    assert "en Kenya" not in text and "à États-Unis" not in text and "de Kenya" not in text

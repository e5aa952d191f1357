"""Attribute families the guided finder can ask about, found in the nomenclature's own words.

Each family is one short question ("Is it roasted?", "What is it mainly made of?"); each
value is found in a subheading's text (its own description and its heading's) by a
pattern on the English nomenclature wording.  Patterns are tried in order and a matched
span is removed before the next, so "not knitted or crocheted" counts as woven and never
as knitted, and "women's" never as "men's".  Phrases that name a word only to leave it
open ("whether or not roasted") or to exclude it ("other than cotton") are removed first.

The lexicon knows words, not products: which family is asked, with which options, is
decided per search from the candidates' texts (see :mod:`tradewind.finder.guided`).
Labels are marked for translation (``finder.po``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tradewind.finder.text import fold
from tradewind.i18n import lazy_noop as N_


@dataclass(frozen=True)
class Value:
    id: str
    label: str  # English, translated when shown
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Family:
    id: str
    question: str  # English, translated when shown
    values: tuple[Value, ...]


def _v(value_id: str, label: str, pattern: str) -> Value:
    return Value(value_id, label, re.compile(pattern))


FAMILIES: tuple[Family, ...] = (
    Family("roast", N_("Is it roasted?"), (
        _v("not-roasted", N_("Not roasted"), r"\bnot roasted\b|\bunroasted\b|\bgreen coffee\b"),
        _v("roasted", N_("Roasted"), r"\broasted\b"),
    )),
    Family("caffeine", N_("Is it decaffeinated?"), (
        _v("not-decaf", N_("Not decaffeinated"), r"\bnot decaffeinated\b"),
        _v("decaf", N_("Decaffeinated"), r"\bdecaffeinated\b"),
    )),
    Family("state", N_("In what state is it sold?"), (
        _v("fresh", N_("Fresh or chilled"), r"\bfresh\b|\bchilled\b|\blive\b"),
        _v("frozen", N_("Frozen"), r"\bfrozen\b"),
        _v("dried", N_("Dried"), r"\bdried\b|\bdehydrated\b|\bdry\b"),
        _v("salted", N_("Salted, in brine or smoked"), r"\bsalted\b|\bin brine\b|\bsmoked\b"),
        _v("prepared", N_("Cooked, prepared or preserved"),
           r"\bcooked\b|\bprepared\b|\bpreserved\b|\bpreparations?\b"),
    )),
    Family("construction", N_("Is it knitted (or crocheted), or woven?"), (
        _v("woven", N_("Woven or otherwise not knitted"),
           r"\bnot knitted\b(?: or crocheted)?|\bwoven\b"),
        _v("knitted", N_("Knitted or crocheted"), r"\bknitted\b|\bcrocheted\b"),
    )),
    Family("wearer", N_("Who is it for?"), (
        _v("women", N_("Women or girls"), r"\bwomen'?s?\b|\bgirls'?\b|\bwoman\b"),
        _v("men", N_("Men or boys"), r"\bmen'?s?\b|\bboys'?\b|\bman\b"),
        _v("babies", N_("Babies"), r"\bbabies'?\b|\binfants?\b"),
    )),
    Family("material", N_("What is it mainly made of?"), (
        _v("cotton", N_("Cotton"), r"\bcotton\b"),
        _v("wool", N_("Wool or fine animal hair"), r"\bwool\b|\bfine animal hair\b"),
        _v("synthetic", N_("Synthetic or artificial fibres"),
           r"\bsynthetic\b|\bartificial\b|\bman-?made\b|\bpolyester\b|\bnylon\b"),
        _v("silk", N_("Silk"), r"\bsilk\b"),
        _v("flax", N_("Flax or linen"), r"\bflax\b|\blinen\b"),
        _v("leather", N_("Leather"), r"\bleather\b"),
        _v("rubber", N_("Rubber"), r"\brubber\b"),
        _v("plastics", N_("Plastics"), r"\bplastics?\b|\bpolymers?\b"),
        _v("wood", N_("Wood"), r"\bwood\b|\bwooden\b|\bbamboo\b"),
        _v("paper", N_("Paper or paperboard"), r"\bpaper\b|\bpaperboard\b"),
        _v("glass", N_("Glass"), r"\bglass\b"),
        _v("ceramic", N_("Ceramic or porcelain"), r"\bceramic\b|\bporcelain\b|\bchina\b"),
        _v("steel", N_("Iron or steel"), r"\biron\b|\bsteel\b"),
        _v("aluminium", N_("Aluminium"), r"\balumini?um\b"),
        _v("copper", N_("Copper"), r"\bcopper\b"),
        _v("precious", N_("Precious metal"), r"\bprecious metal\b|\bgold\b|\bsilver\b|\bplatinum\b"),
        _v("textile", N_("Other textile materials"), r"\btextile materials?\b"),
    )),
    Family("power", N_("Does it work with electricity?"), (
        _v("non-electric", N_("No, not electric"),
           r"\bnon-?electric\w*\b|\bnot electric\w*\b|\bhand-?operated\b|\bmanual\b"),
        _v("electric", N_("Yes, electric"), r"\belectric\w*\b|\bbattery\b|\bmotor\b"),
    )),
    Family("use", N_("What is it mainly used for?"), (
        _v("household", N_("Household or domestic use"), r"\bhousehold\b|\bdomestic\b"),
        _v("industrial", N_("Industrial use"), r"\bindustrial\b"),
        _v("vehicles", N_("Vehicles"), r"\bvehicles?\b|\bcars?\b"),
        _v("medical", N_("Medical or surgical use"), r"\bmedical\b|\bsurgical\b|\bdental\b"),
        _v("sport", N_("Sport"), r"\bsports?\b|\bathletic\b|\bgymnastics\b"),
        _v("food", N_("Food or drink"), r"\bfood\b|\bbeverages?\b|\bedible\b"),
    )),
    Family("packing", N_("How is it packed?"), (
        _v("bulk", N_("In bulk, not for retail sale"),
           r"\bnot (?:put up )?for retail sale\b|\bin bulk\b"),
        _v("retail", N_("Packed for retail sale"),
           r"\bfor retail sale\b|\bretail packings?\b"),
    )),
)

BY_ID = {f.id: f for f in FAMILIES}

# Phrases that mention a word without saying the good has it.
_OPEN = re.compile(r"\bwhether or not [a-z' ,-]+?(?=[;:(]|$)|\bother than [a-z' ,-]+?(?=[;:(]|$)"
                   r"|\bexcluding [a-z' ,-]+?(?=[;:(]|$)|\bexcept [a-z' ,-]+?(?=[;:(]|$)")


def clean(text: str) -> str:
    """Lower-cased, accent-folded text with open or excluding phrases removed."""
    return _OPEN.sub(" ", fold(text).lower())


def values_in(text: str, family: Family) -> frozenset[str]:
    """The values of ``family`` that ``text`` (already :func:`clean`) asserts."""
    found: list[str] = []
    rest = text
    for value in family.values:
        if value.pattern.search(rest):
            found.append(value.id)
            rest = value.pattern.sub(" ", rest)
    return frozenset(found)


@lru_cache(maxsize=20000)
def features(text: str) -> dict[str, frozenset[str]]:
    """Family id → the values a (raw) text asserts, for every family it says anything about."""
    cleaned = clean(text)
    out = {}
    for family in FAMILIES:
        found = values_in(cleaned, family)
        if found:
            out[family.id] = found
    return out

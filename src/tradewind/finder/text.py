"""Query and document normalisation: the same steps on both sides so words meet.

Why its own module: plurals, inflection, quantities ("1kg bags", "pack of 12") and
marketing noise are what make plain-language product names miss the nomenclature's
wording; every index and every query goes through :func:`analyse`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")

# Irregular plurals the Snowball stemmer leaves apart from their singular.
IRREGULAR = {
    "knives": "knife", "leaves": "leaf", "loaves": "loaf", "shelves": "shelf",
    "halves": "half", "wolves": "wolf", "calves": "calf", "women": "woman", "men": "man",
    "children": "child", "teeth": "tooth", "feet": "foot", "mice": "mouse",
    "geese": "goose", "oxen": "ox", "dice": "die", "lice": "louse", "wives": "wife",
    "thieves": "thief", "scarves": "scarf", "hooves": "hoof", "potatoes": "potato",
    "tomatoes": "tomato", "mangoes": "mango", "womens": "woman", "mens": "man",
    "ladies": "woman", "lady": "woman", "gents": "man", "boys": "boy", "girls": "girl",
    "kids": "child", "kid": "child", "babies": "infant", "baby": "infant",
    "jewelry": "jewellery", "colour": "color", "aluminum": "aluminium",
    "grey": "gray", "tyre": "tire", "tyres": "tire", "fibre": "fiber", "fibres": "fiber",
    "centre": "center", "sulphur": "sulfur", "sulphate": "sulfate", "sulphide": "sulfide",
    "moulds": "mold", "mould": "mold", "moulded": "molded", "jewellry": "jewellery",
}

# Words that never decide a product: grammar, marketing, condition, selling noise.
STOPWORDS = frozenset(["a", "an", "the", "and", "or", "of", "for", "with", "without", "in", "on", "at", "to", "by", "from", "into", "onto", "as", "per", "than", "then", "this", "that", "these", "those", "it", "its", "is", "are", "be", "been", "being", "was", "were", "which", "who", "whom", "whose", "not", "no", "nor", "other", "n", "e", "c", "nec", "such", "kind", "kinds", "like", "including", "include", "includes", "whether", "etc", "thereof", "therein", "new", "brand", "branded", "genuine", "original", "authentic", "premium", "quality", "high", "best", "top", "great", "super", "deluxe", "luxury", "hot", "sale", "sales", "free", "shipping", "fast", "offer", "discount", "cheap", "item", "items", "product", "products", "goods", "piece", "pieces", "pcs", "pc", "pce", "unit", "units", "lot", "lots", "set", "sets", "assorted", "assortment", "various", "mixed", "misc", "miscellaneous", "stuff", "thing", "things", "style", "styled", "fashion", "fashionable", "design", "designer", "designed", "model", "models", "type", "types", "version", "edition", "series", "collection", "size", "sizes", "small", "medium", "large", "xl", "xxl", "xs", "s", "m", "l", "big", "mini", "color", "colors", "colour", "colours", "gift", "gifts", "present", "presents", "used", "second", "hand", "handmade", "100", "percent", "pure", "natural", "real", "made", "make", "x", "kg", "g", "gr", "gram", "grams", "kilo", "kilos", "kilogram", "kilograms", "lb", "lbs", "oz", "ounce", "ounces", "ml", "l", "ltr", "litre", "litres", "liter", "liters", "cl", "cm", "mm", "m", "inch", "inches", "ft", "pack", "packs", "packet", "packets", "pkt", "box", "boxes", "carton", "cartons", "case", "cases", "dozen", "doz", "bundle", "bundles", "qty", "quantity", "pair", "pairs", "pk", "pck", "sz", "sample", "samples", "approx", "approximately", "about", "each", "total"])

# Colours, number words and selling adjectives common in shop titles.
STOPWORDS = STOPWORDS | frozenset(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "hundred", "multicolor", "multicolour", "colorful", "colourful", "daily", "popular", "generic", "universal", "professional", "portable", "trend", "trendy", "trending", "arrival", "arrivals", "vintage", "classic", "casual", "cute", "fancy", "elegant", "simple", "modern", "unisex", "adult", "adults"])

# Words that look like noise in shop titles but name products here ("phone case",
# "gift box", "hand tools", "natural rubber", "tank top") stay in the query; the
# ambiguous ones count little on their own (see LOW_WEIGHT_WORDS) but still complete
# synonym phrases.
STOPWORDS = STOPWORDS - frozenset(["case", "cases", "box", "boxes", "carton", "cartons", "hand",
                                   "natural", "top"])

# Packaging words dropped only right after a quantity ("1kg bags", "12 bottles"):
# on their own they can be the product itself (bags, bottles, boxes).
PACKAGING = frozenset(["bag", "bags", "bottle", "bottles", "jar", "jars", "can", "cans", "tin", "tins", "box", "boxes", "carton", "cartons", "pack", "packs", "packet", "packets", "sachet", "sachets", "pouch", "pouches", "tube", "tubes", "roll", "rolls", "sack", "sacks", "tray", "trays", "pcs", "pieces", "piece", "units", "unit", "pairs", "pair", "sets", "set", "tubs", "tub", "case", "cases", "bundle", "bundles"])

_QTY = re.compile(r"^\d+([.,]\d+)?[a-z]{0,6}$|^[a-z]?\d+[a-z]?\d*$|^x\d+$|^\d+x$")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_GLUED_QTY = re.compile(r"^(\d+x)([a-z]{3,})$")


_TSHIRT = re.compile(r"\bt[\s-]?shirts?\b")
_MANMADE = re.compile(r"\bman[\s-]made\b")


def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped, so "crème" and "creme" meet; "T-shirt" kept whole."""
    if text.isascii():  # most text: nothing to decompose
        folded = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _MANMADE.sub("manmade", _TSHIRT.sub("tshirt", folded))


def raw_tokens(text: str) -> list[str]:
    """Lower-cased word tokens, possessives dropped ("men's" → "men")."""
    out = []
    for tok in _TOKEN.findall(fold(text).replace("’", "'")):
        if tok.endswith("'s"):
            tok = tok[:-2]
        tok = tok.replace("'", "")
        glued = _GLUED_QTY.match(tok)
        if glued:  # "4xpillows", "2xquilted": a count glued to the word
            out.append(glued.group(1))
            tok = glued.group(2)
        if tok:
            out.append(tok)
    return out


def is_quantity(token: str) -> bool:
    """"1kg", "500ml", "12", "x12", "2x" – quantities and sizes, never product words."""
    return bool(_QTY.match(token)) and any(ch.isdigit() for ch in token)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The token's stem (irregular plurals first, then Snowball English)."""
    token = IRREGULAR.get(token, token)
    if len(token) <= 3:
        return token
    return str(_STEMMER.stemWord(token))


_SEGMENT_BREAK = re.compile(r"[,;:()\[\]|]|\s[-\u2013\u2014]\s|\bwith\b")


def segmented_tokens(text: str) -> list[tuple[str, int]]:
    """Raw tokens with the number of the comma/bracket/"with" segment they stand in.

    The first segment of a description names the product ("tiles, laboratory, ceramic";
    "mug with handle"); later segments qualify it.
    """
    out: list[tuple[str, int]] = []
    for seg, part in enumerate(_SEGMENT_BREAK.split(fold(text))):
        out.extend((tok, seg) for tok in raw_tokens(part))
    return out


def weighted_tokens(text: str) -> list[tuple[str, float]]:
    """Content words with a weight: words naming what the product is used *for* count less.

    In "a dresser used in welding lines" or "charger for phones" the product is named
    before the purpose, so words after "used", "for", "fits"… are context (weight 0.4).
    Quantities, packaging right after a quantity ("1kg bags", "pack of 12") and noise
    words are dropped.
    """
    return [(tok, w) for tok, w, _seg in tagged_tokens(text)]


def tagged_tokens(text: str) -> list[tuple[str, float, int]]:
    """:func:`weighted_tokens` with each word's segment number (see :func:`segmented_tokens`)."""
    tagged = segmented_tokens(text)
    toks = [tok for tok, _seg in tagged]
    out: list[tuple[str, float, int]] = []
    after_qty = False
    weight = 1.0
    for i, tok in enumerate(toks):
        if is_quantity(tok):
            # a count or measure ("12", "1kg", "x6") makes a following "bags" packaging;
            # a model number ("s23", "a4") is dropped but does not
            after_qty = tok[0].isdigit() or tok.startswith("x")
            continue
        if after_qty and tok in PACKAGING:
            continue
        if tok == "of" and i > 0 and toks[i - 1] in PACKAGING:
            # "pack of 12", "box of 6": the quantity follows, the packaging word is noise
            if out and out[-1][0] in PACKAGING:
                out.pop()
            after_qty = True
            continue
        after_qty = False
        if (i + 1 < len(toks) and toks[i + 1] in ABSENCE_WORDS and tok not in STOPWORDS
                and (i + 2 >= len(toks) or toks[i + 2] not in _FREE_SELLING)):
            continue  # "bpa free", "gluten-free", "sugar free": that word is absent
        if tok in CONTEXT_MARKERS and out:
            weight = CONTEXT_WEIGHT
            continue
        if tok in STOPWORDS or len(tok) < 2:
            continue
        out.append((tok, weight * LOW_WEIGHT if tok in LOW_WEIGHT_WORDS else weight,
                    tagged[i][1]))
    return out


_GRAMMAR = frozenset(["a", "an", "the", "and", "or", "of", "for", "with", "without", "in", "on",
                      "at", "to", "by", "from", "into", "as", "per", "it", "its", "is", "are",
                      "be", "other", "not", "n", "e", "c", "nec", "etc", "over"])


def noise_words(term: str) -> frozenset[str]:
    """Stems of the words of a synonym term that query analysis drops but that change
    its meaning ("hot" in "hot water bottle")."""
    return frozenset(stem(t) for t in raw_tokens(term) if t in STOPWORDS and t not in _GRAMMAR)


def content_tokens(text: str) -> list[str]:
    """Raw tokens with quantities, packaging-after-quantity and stopwords removed."""
    return [tok for tok, _w in weighted_tokens(text)]


CONTEXT_WEIGHT = 0.4
ABSENCE_WORDS = frozenset(["free"])
# "wallet free shipping": there "free" belongs to the selling noise that follows it.
_FREE_SELLING = frozenset(["shipping", "delivery", "postage", "post", "returns", "gift", "p"])  # "sugar free", "cordless" is one word
# Colours rarely decide a code but sometimes do (green tea, white sugar): they count little.
LOW_WEIGHT = 0.3
LOW_WEIGHT_WORDS = frozenset(["case", "cases", "box", "boxes", "carton", "cartons", "top", "hand", "natural",
                              "black", "white", "red", "blue", "green", "yellow", "pink", "purple", "beige", "navy", "khaki", "brown", "gray", "orange"])
CONTEXT_MARKERS = frozenset(["for", "used", "use", "uses", "designed", "intended", "suitable", "compatible", "fits", "fit", "fitting", "replacement", "replace", "replaces", "applicable", "purpose", "purposes", "ideal", "perfect"])


def analyse(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (duplicates kept)."""
    return [stem(tok) for tok in content_tokens(text)]


def analyse_document(text: str) -> list[str]:
    """Stems of nomenclature text: only grammar words are removed (sizes there are real)."""
    return [stem(tok) for tok in raw_tokens(text)
            if tok not in _DOC_STOP and len(tok) > 1 and not tok.isdigit()]


_DOC_STOP = frozenset(["a", "an", "the", "and", "or", "of", "for", "with", "without", "in", "on", "at", "to", "by", "from", "into", "as", "its", "it", "is", "are", "be", "not", "no", "nor", "other", "n", "e", "c", "nec", "such", "whether", "thereof", "than", "their", "this", "that", "those", "these", "which", "including", "heading", "headings", "subheading", "chapter", "note", "notes", "excluding", "except"])

_NEG_START = frozenset({"not", "nor", "excluding", "except", "without"})
_CLAUSE_END = re.compile(r"[;,()]")


def document_terms(text: str) -> tuple[list[str], set[str]]:
    """Stems of nomenclature text, and the stems it mentions only to exclude.

    "Coffee; roasted, not decaffeinated" names decaffeination to rule it out, so a
    query for decaffeinated coffee must not count it as a match.
    """
    positive: list[str] = []
    negated: set[str] = set()
    folded = fold(text)
    for inner in _PAREN.findall(folded):
        toks = raw_tokens(inner)
        if toks and (toks[0] in _NEG_START or toks[:2] == ["other", "than"]):
            negated.update(stem(t) for t in toks if t not in _DOC_STOP and len(t) > 1)
    for clause in _CLAUSE_END.split(_PAREN_NEG.sub(" ; ", folded)):
        toks = raw_tokens(clause)
        neg = False
        for i, tok in enumerate(toks):
            if tok in _NEG_START or (tok == "other" and i + 1 < len(toks) and toks[i + 1] == "than"):
                neg = True
                continue
            if tok in _DOC_STOP or len(tok) < 2 or tok.isdigit():
                continue
            if neg:
                negated.add(stem(tok))
            else:
                positive.append(stem(tok))
    return positive, negated - set(positive)


_PAREN = re.compile(r"\(([^)]*)\)")
_PAREN_NEG = re.compile(r"\((?:\s*(?:not|other than|excluding|except)\b)[^)]*\)")


# The nomenclature names fibres and materials by class; people name the fibre itself.
# Each query stem here also searches for the class words (at a lower weight).
_EXPANSIONS_RAW: dict[str, tuple[str, ...]] = {
    "polyester": ("synthetic", "manmade"), "nylon": ("synthetic", "manmade", "polyamide"),
    "acrylic": ("synthetic", "manmade"), "spandex": ("synthetic", "elastomeric"),
    "elastane": ("synthetic", "elastomeric"), "lycra": ("synthetic", "elastomeric"),
    "polyamide": ("synthetic", "manmade"), "microfiber": ("synthetic", "manmade"),
    "microfibre": ("synthetic", "manmade"), "fleece": ("synthetic",),
    "viscose": ("artificial", "manmade"), "rayon": ("artificial", "manmade"),
    "modal": ("artificial", "manmade"), "lyocell": ("artificial", "manmade"),
    "bamboo": ("artificial",), "cashmere": ("kashmir", "fine", "animal", "hair"),
    "merino": ("wool",), "alpaca": ("fine", "animal", "hair"), "mohair": ("fine", "animal", "hair"),
    "denim": ("cotton",), "jean": ("cotton", "trousers"), "jeans": ("cotton", "trousers"),
    "pvc": ("polyvinyl", "chloride", "plastics"),
    "silicone": ("silicones",), "pu": ("polyurethane", "plastics"), "abs": ("plastics",),
    "pp": ("polypropylene", "plastics"), "pe": ("polyethylene", "plastics"),
    "plastic": ("plastics",), "stainless": ("steel",), "inox": ("stainless", "steel"),
    "aluminium": ("aluminium",), "alloy": ("alloy",), "brass": ("copper",),
    "bronze": ("copper",), "tin": ("tin",), "porcelain": ("china",), "ceramic": ("ceramics",),
    "faux": ("artificial", "imitation"), "fake": ("artificial", "imitation"),
    "synthetic": ("manmade",), "kids": ("child",), "girl": ("woman",), "boy": ("man",),
    "pants": ("trousers",), "trouser": ("trousers",), "sneaker": ("footwear",),
    "shoe": ("footwear",), "boot": ("footwear",), "sandal": ("footwear",),
    "slipper": ("footwear",), "heel": ("footwear",), "sofa": ("seats", "upholstered"),
    "couch": ("seats", "upholstered"), "chair": ("seats",), "stool": ("seats",),
    "lamp": ("luminaires", "light"), "light": ("luminaires",), "bulb": ("lamps",),
    "phone": ("telephone",), "smartphone": ("telephone", "cellular"), "laptop": ("portable", "data", "processing"),
    "computer": ("data", "processing"), "toy": ("toys",), "wooden": ("wood",),
    "leather": ("leather",), "rubber": ("rubber",), "glass": ("glass",),
}
QUERY_EXPANSION_WEIGHT = 0.5


@lru_cache(maxsize=1)
def expansions() -> dict[str, tuple[str, ...]]:
    """Query stem → extra stems to search (class words of the nomenclature)."""
    out: dict[str, tuple[str, ...]] = {}
    for word, extra in _EXPANSIONS_RAW.items():
        src = stem(word)
        targets = tuple(dict.fromkeys(stem(e) for e in extra if stem(e) != src))
        if targets:
            out[src] = targets
    return out


_VOWELS = frozenset("aeiou")


def skeleton(word: str) -> str:
    """Consonants of a word with doubled letters collapsed: "cherry" → "chry", "body" → "bdy"."""
    out: list[str] = []
    for ch in word:
        if ch in _VOWELS or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out)

"""French and Spanish product descriptions → English search words.

Why: the HS nomenclature text and the synonym list are English, so "chaussures en cuir"
or "zapatos de cuero" match nothing. Rather than translate the whole nomenclature, the
query is turned into English words with the project's own bilingual lexicons
(``lexicon/fr.yaml``, ``lexicon/es.yaml``) before the English engine runs.

How: fold accents and case; match lexicon phrases first (longest match, each word tried
in its plural/feminine-stripped forms; "pomme de terre" keeps its "de"); drop the other
function words (de, du, para, con…); look up single words, accented spelling first
("sucré" ≠ "sucre"); keep numbers and unknown words (brands). Word order follows English:
materials and processing words go before their noun ("café torréfié" → "roasted coffee"),
a noun after "de" becomes a noun modifier ("confiture de mangue" → "mango jam") and a few
words stay after it ("en grains" → "coffee beans").
English queries are recognised and passed through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tradewind.finder.index import load_synonyms
from tradewind.finder.text import IRREGULAR, STOPWORDS

LEXICON_DIR = Path(__file__).with_name("lexicon")
LANGUAGES = ("fr", "es")
MAX_PHRASE = 6

_TOKEN = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"^\d+([.,]\d+)?[a-z]{0,4}$")


@dataclass(frozen=True)
class Translation:
    """A query as English search words, the language it was read as, and words not known."""

    english: str
    language: str | None
    unknown: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: English words and whether they qualify a noun (go before it)."""

    english: str
    kind: str  # "term" (a noun), "modifier" (goes before it), "suffix" (after it), "people"


@dataclass(frozen=True)
class Lexicon:
    """A loaded bilingual lexicon, keys folded (phrases keep their function words)."""

    language: str
    function_words: frozenset[str]
    words: dict[str, Entry]  # folded single words (first listed wins a folding clash)
    exact: dict[str, Entry]  # single words with accents: "sucré" ≠ "sucre", "haché" ≠ "hache"
    # first word → phrases starting with it (longest first): (words, entry)
    phrases: dict[str, list[tuple[tuple[str, ...], Entry]]]

    def __len__(self) -> int:
        return len(self.words) + sum(len(v) for v in self.phrases.values())


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (a silent overwrite hides a lexicon error)."""


def _construct_unique(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ValueError(f"duplicate lexicon key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique)


def fold(text: str) -> str:
    """Lower-case ASCII without accents, apostrophes split ("d'orange" → "d orange")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def raw_words(text: str) -> list[str]:
    """Lower-case word tokens with their accents; hyphens and apostrophes separate words."""
    return _TOKEN.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Folded word tokens (no accents); hyphens and apostrophes separate words."""
    return [fold(w) for w in raw_words(text)]


@lru_cache(maxsize=65536)
def lemma_candidates(word: str, language: str) -> tuple[str, ...]:
    """The forms a word may be listed under, most likely first: itself, singular, masculine."""
    forms = [word]
    if language == "fr":
        if word.endswith("aux") and len(word) > 4:
            forms += [word[:-3] + "al", word[:-1]]
        elif word.endswith(("s", "x")) and len(word) > 3:
            forms.append(word[:-1])
        for base in list(forms):
            if base.endswith(("ee", "ée")):
                forms.append(base[:-1])
            elif base.endswith("euse"):
                forms.append(base[:-4] + "eur")
            elif base.endswith("ive"):
                forms.append(base[:-3] + "if")
            elif base.endswith(("elle", "enne", "ette")):
                forms.append(base[:-2])
            if base.endswith("e") and len(base) > 3:
                forms.append(base[:-1])
    else:
        if word.endswith("ces") and len(word) > 4:
            forms.append(word[:-3] + "z")
        if word.endswith("s") and len(word) > 3:
            forms.append(word[:-1])
            if word.endswith("es") and len(word) > 4:
                forms.append(word[:-2])
        for base in list(forms):
            if base.endswith("a") and len(base) > 3:
                forms.append(base[:-1] + "o")
            if base.endswith("ora"):
                forms.append(base[:-1])
    return tuple(dict.fromkeys(forms))


@lru_cache(maxsize=4)
def load_lexicon(language: str) -> Lexicon:
    """Read ``lexicon/<language>.yaml`` once; raises ``ValueError`` on a malformed entry."""
    path = LEXICON_DIR / f"{language}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
    function_words = frozenset(fold(str(w)) for w in data.get("function_words") or [])
    words: dict[str, Entry] = {}
    exact: dict[str, Entry] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    sections = (("term", "terms"), ("modifier", "modifiers"), ("suffix", "suffixes"),
                ("people", "people"))
    for kind, section in sections:
        for key, value in (data.get(section) or {}).items():
            if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
                raise ValueError(f"{path.name} [{section}]: bad entry {key!r}: {value!r}")
            parts = tuple(tokens(key))
            if not parts:
                raise ValueError(f"{path.name} [{section}]: {key!r} has no word")
            entry = Entry(value.strip().lower(), kind)
            if len(parts) == 1:
                exact.setdefault(raw_words(key)[0], entry)
                if parts[0] not in function_words:  # "dé" (dice) only when written with its accent
                    words.setdefault(parts[0], entry)
            else:
                phrases.setdefault(parts[0], []).append((parts[:MAX_PHRASE], entry))
    for options in phrases.values():
        options.sort(key=lambda item: -len(item[0]))
    return Lexicon(language, function_words, words, exact, phrases)


@lru_cache(maxsize=1)
def english_lookalikes() -> frozenset[str]:
    """English words spelt like a lexicon entry ("pin", "robe", "papa"): no evidence either way."""
    words: set[str] = set()
    for language in LANGUAGES:
        data = yaml.safe_load((LEXICON_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
        words.update(fold(str(w)) for w in data.get("english_lookalikes") or [])
    return frozenset(words)


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """Words that read as English: synonym terms, English stopwords, lexicon translations.

    French and Spanish function words of two letters or more are taken out (a synonym such
    as "eau de parfum" must not make "de" English), unless English uses them too.
    """
    vocab: set[str] = set(STOPWORDS) | set(IRREGULAR) | set(IRREGULAR.values())
    for term, _codes in load_synonyms():
        vocab.update(tokens(term))
    for language in LANGUAGES:
        lex = load_lexicon(language)
        entries = list(lex.words.values()) + [e for opts in lex.phrases.values() for _, e in opts]
        for entry in entries:
            vocab.update(tokens(entry.english))
    vocab.update(w + "s" for w in list(vocab) if w.isalpha() and len(w) > 2)
    grammar = {w for lang in LANGUAGES for w in load_lexicon(lang).function_words if len(w) > 1}
    return frozenset((vocab - grammar) | english_lookalikes() | STOPWORDS)


def _known(lex: Lexicon, word: str) -> bool:
    return any(form in lex.words or form in lex.phrases for form in lemma_candidates(word, lex.language))


def _phrase_hits(lex: Lexicon, words: list[str]) -> int:
    """How many lexicon phrases of two words or more the query contains."""
    hits = 0
    forms = [lemma_candidates(w, lex.language) for w in words]
    for i in range(len(words)):
        for form in forms[i]:
            if any(i + len(parts) <= len(words)
                   and all(parts[k] in forms[i + k] for k in range(1, len(parts)))
                   for parts, _entry in lex.phrases.get(form, [])):
                hits += 1
                break
    return hits


@dataclass
class _Evidence:
    content: int = 0  # product words only this language knows
    grammar: int = 0  # function words ("de", "pour", "para") and accented spellings


def detect_language(query: str) -> str | None:
    """'fr', 'es' or None (English or undecided), from evidence only one side gives.

    A French or Spanish reading needs at least one product word English does not have
    ("chaussures", "zapatos") and, unless the query holds no English word at all, either
    a second such word or grammar ("de", "pour", "para", an accented spelling); it must
    also outweigh the English words. Shop titles full of brands stay English.
    """
    raws = raw_words(query)
    words = [fold(w) for w in raws]
    if not words:
        return None
    english = english_vocabulary()
    lookalikes = english_lookalikes()
    lexicons = [load_lexicon(lang) for lang in LANGUAGES]
    evidence = {lex.language: _Evidence() for lex in lexicons}
    english_score = 0
    for raw, word in zip(raws, words, strict=True):
        if _NUMBER.match(word):
            continue
        grammar = [lex for lex in lexicons if word in lex.function_words
                   and ((len(word) > 1 and word not in english) or raw != word)]
        for lex in grammar:
            evidence[lex.language].grammar += 1
        accented = [lex for lex in lexicons if raw != word and raw in lex.exact]
        for lex in accented:  # "câble", "café", "algodón": the accent says it is not English
            evidence[lex.language].grammar += 1
            evidence[lex.language].content += 1
        if grammar or accented or word in lookalikes or word[:-1] in lookalikes:
            continue
        known = [lex for lex in lexicons if _known(lex, word)]
        # English grammar ("the", "for") always counts; a listed selling word that a
        # lexicon also knows ("portable") counts for neither side.
        if (word in STOPWORDS and (not known or len(word) <= 3)) or (word in english and not known):
            english_score += 1
        elif word not in english:
            for lex in known:
                evidence[lex.language].content += 1
    for lex in lexicons:  # a whole phrase ("taille-crayon", "pomme de terre") is evidence
        evidence[lex.language].content += _phrase_hits(lex, words)
    candidates = {}
    for language, ev in evidence.items():
        score = ev.content + ev.grammar
        if ev.content >= 1 and (ev.grammar >= 1 or ev.content >= 2 or english_score == 0) \
                and score > english_score:
            candidates[language] = (score, ev.content)
    if not candidates:
        return None
    # Shared words (de, en, chocolate…) count for both; ties go to the one with more
    # product words, then French.
    return max(candidates, key=lambda lang: (*candidates[lang], lang == "fr"))


def _lookup(lex: Lexicon, raw: str, word: str) -> Entry | None:
    """The entry for one word: accented forms first (they tell sucré from sucre), then folded."""
    if raw != word:
        for form in lemma_candidates(raw, lex.language):
            if form in lex.exact:
                return lex.exact[form]
    for form in lemma_candidates(word, lex.language):
        if form in lex.words:
            return lex.words[form]
    return None


# "of" words: "confiture de mangue" is "mango jam", the second noun goes first in English.
_OF_WORDS = {"fr": frozenset({"de", "du", "des", "d"}), "es": frozenset({"de", "del"})}


@dataclass
class _Item:
    """One noun (or kept word) of the English output and the words that go around it."""

    text: str
    adjectives: list[str] = field(default_factory=list)
    nouns: list[str] = field(default_factory=list)  # "mango" in "mango jam"
    after: list[str] = field(default_factory=list)  # "beans" in "coffee beans"

    def words(self) -> list[str]:
        return [*self.adjectives, *self.nouns, self.text, *self.after]


def translate(query: str, language: str) -> Translation:
    """Translate a query known to be in ``language`` word by word, phrases first."""
    lex = load_lexicon(language)
    raws = raw_words(query)
    words = [fold(w) for w in raws]
    forms = [set(lemma_candidates(w, language)) for w in words]
    items: list[_Item] = []
    last_noun: _Item | None = None
    of_pending = False
    pending: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        entry: Entry | None = None
        width = 1
        for form in forms[i]:
            for parts, candidate in lex.phrases.get(form, []):
                n = len(parts)
                if n > width and i + n <= len(words) and all(
                        parts[k] in forms[i + k] for k in range(1, n)):
                    entry, width = candidate, n
        word = words[i]
        if entry is None and raws[i] != word and raws[i] in lex.exact:
            entry = lex.exact[raws[i]]  # "dé" (dice) is not the function word "de"
        if entry is None and word in lex.function_words:
            of_pending = of_pending or (word in _OF_WORDS[language] and last_noun is not None
                                        and items[-1] is last_noun)
            i += 1
            continue
        if entry is None:
            entry = _lookup(lex, raws[i], word)
        i += width
        if entry is None:
            items.append(_Item(word))
            if not _NUMBER.match(word):
                unknown.append(word)
        elif entry.kind in ("modifier", "suffix") and last_noun is not None:
            (last_noun.adjectives if entry.kind == "modifier" else last_noun.after).append(
                entry.english)
        elif entry.kind in ("modifier", "suffix"):
            pending.append(entry.english)
        elif entry.kind == "term" and of_pending and last_noun is not None:
            last_noun.nouns.append(entry.english)
        elif entry.kind == "term":
            last_noun = _Item(entry.english, adjectives=pending)
            items.append(last_noun)
            pending = []
        else:
            items.append(_Item(entry.english))
        of_pending = False
    out = [w for item in items for w in item.words()] + pending
    english = " ".join(dict.fromkeys(out))
    return Translation(english=english, language=language, unknown=unknown)


def to_english(query: str) -> Translation:
    """English search words for a French, Spanish or English product description.

    English (or undecidable) queries come back unchanged with ``language=None``.
    """
    language = detect_language(query)
    if language is None:
        return Translation(english=query, language=None, unknown=[])
    return translate(query, language)


__all__ = ["Translation", "detect_language", "load_lexicon", "to_english", "translate"]

"""French and Spanish product descriptions → English search words.

Why: the HS nomenclature text and the synonym list are English, so "chaussures en cuir"
or "zapatos de cuero" match nothing. Rather than translate the whole nomenclature, the
query is turned into English words with the project's own bilingual lexicons
(``lexicon/fr.yaml``, ``lexicon/es.yaml``) before the English engine runs.

How: fold accents and case, drop function words (de, du, para, con…), match lexicon
phrases first (longest match, every word tried in its plural/feminine-stripped forms),
then single words; numbers and unknown words (brands) are kept. French and Spanish put
materials and processing words after the noun ("café torréfié"), English before
("roasted coffee"): lexicon *modifiers* are moved in front of the noun they follow.
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

_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"^\d+([.,]\d+)?[a-z]{0,4}$")
# Letters that only one of the two languages writes (é and ü are shared or rare).
_ACCENT_HINTS = {"fr": frozenset("àâçèêëîïôœùûÿ"), "es": frozenset("áíñóú¿¡")}


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
    kind: str  # "term" (a noun), "modifier" (material/process/quality), "people"


@dataclass(frozen=True)
class Lexicon:
    """A loaded bilingual lexicon, keys folded and function words removed."""

    language: str
    function_words: frozenset[str]
    words: dict[str, Entry]
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


def tokens(text: str) -> list[str]:
    """Folded word tokens; hyphens and apostrophes separate words."""
    return _TOKEN.findall(fold(text))


def lemma_candidates(word: str, language: str) -> list[str]:
    """The forms a word may be listed under, most likely first: itself, singular, masculine."""
    forms = [word]
    if language == "fr":
        if word.endswith("aux") and len(word) > 4:
            forms += [word[:-3] + "al", word[:-1]]
        elif word.endswith(("s", "x")) and len(word) > 3:
            forms.append(word[:-1])
        for base in list(forms):
            if base.endswith("ee"):
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
    seen: dict[str, None] = dict.fromkeys(forms)
    return list(seen)


@lru_cache(maxsize=None)
def load_lexicon(language: str) -> Lexicon:
    """Read ``lexicon/<language>.yaml`` once; raises ``ValueError`` on a malformed entry."""
    path = LEXICON_DIR / f"{language}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
    function_words = frozenset(fold(str(w)) for w in data.get("function_words") or [])
    words: dict[str, Entry] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for kind, section in (("term", "terms"), ("modifier", "modifiers"), ("people", "people")):
        for key, value in (data.get(section) or {}).items():
            if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
                raise ValueError(f"{path.name} [{section}]: bad entry {key!r}: {value!r}")
            parts = tuple(t for t in tokens(key) if t not in function_words)
            if not parts:
                raise ValueError(f"{path.name} [{section}]: {key!r} has only function words")
            entry = Entry(value.strip().lower(), kind)
            if len(parts) == 1:
                words.setdefault(parts[0], entry)
            else:
                phrases.setdefault(parts[0], []).append((parts[:MAX_PHRASE], entry))
    for options in phrases.values():
        options.sort(key=lambda item: -len(item[0]))
    return Lexicon(language, function_words, words, phrases)


@lru_cache(maxsize=1)
def english_vocabulary() -> frozenset[str]:
    """Words that read as English: synonym terms, English stopwords, lexicon translations."""
    vocab: set[str] = set(STOPWORDS) | set(IRREGULAR) | set(IRREGULAR.values())
    for term, _codes in load_synonyms():
        vocab.update(tokens(term))
    for language in LANGUAGES:
        lex = load_lexicon(language)
        entries = list(lex.words.values()) + [e for opts in lex.phrases.values() for _, e in opts]
        for entry in entries:
            vocab.update(tokens(entry.english))
    vocab.update(w + "s" for w in list(vocab) if w.isalpha() and len(w) > 2)
    return frozenset(vocab)


def _known(lex: Lexicon, word: str) -> bool:
    return any(form in lex.words or form in lex.phrases for form in lemma_candidates(word, lex.language))


def detect_language(query: str) -> str | None:
    """'fr', 'es' or None (English or unknown), by words only one side of the pair knows."""
    words = tokens(query)
    if not words:
        return None
    english = english_vocabulary()
    raw = query.lower()
    scores: dict[str, float] = {}
    for language in LANGUAGES:
        lex = load_lexicon(language)
        score = 0.0
        for word in words:
            if word in lex.function_words and word not in STOPWORDS:
                score += 1
            elif word not in english and _known(lex, word):
                score += 1
        score += 0.5 * any(ch in _ACCENT_HINTS[language] for ch in raw)
        scores[language] = score
    english_score = sum(1 for w in words if w in english
                        and not any(w in load_lexicon(lang).function_words for lang in LANGUAGES)
                        and not any(_known(load_lexicon(lang), w) for lang in LANGUAGES))
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    if scores[best] < 1 or scores[best] <= english_score:
        return None
    others = [scores[lang] for lang in LANGUAGES if lang != best]
    if others and max(others) == scores[best]:
        # A tie between French and Spanish: shared words (de, en, chocolate…) decide
        # nothing, so count only words the other lexicon does not know.
        only = {lang: sum(1 for w in words if _known(load_lexicon(lang), w)
                          and not any(_known(load_lexicon(o), w) for o in LANGUAGES if o != lang))
                for lang in LANGUAGES}
        best = max(LANGUAGES, key=lambda lang: (only[lang], lang == "fr"))
    return best


def _lookup(lex: Lexicon, word: str) -> Entry | None:
    for form in lemma_candidates(word, lex.language):
        if form in lex.words:
            return lex.words[form]
    return None


def translate(query: str, language: str) -> Translation:
    """Translate a query known to be in ``language`` word by word, phrases first."""
    lex = load_lexicon(language)
    words = [w for w in tokens(query) if w not in lex.function_words]
    forms = [set(lemma_candidates(w, language)) for w in words]
    # Items: [kind, modifiers-before, text]; modifiers attach to the last noun seen.
    items: list[tuple[str, list[str], str]] = []
    last_noun: int | None = None
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
        if entry is None:
            entry = _lookup(lex, words[i])
        word = words[i]
        i += width
        if entry is None:
            items.append(("plain", [], word))
            if not _NUMBER.match(word) and not word.isdigit():
                unknown.append(word)
        elif entry.kind == "modifier":
            if last_noun is not None:
                items[last_noun][1].append(entry.english)
            else:
                pending.append(entry.english)
        elif entry.kind == "term":
            items.append(("term", pending, entry.english))
            pending = []
            last_noun = len(items) - 1
        else:
            items.append(("people", [], entry.english))
    out: list[str] = []
    for _kind, mods, text in items:
        out.extend(dict.fromkeys(mods))
        out.append(text)
    out.extend(pending)
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

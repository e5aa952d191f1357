"""The in-memory finder index, built from ``hs_codes`` rows, the synonym list and references.

Why in memory: HS 2022 has ~5,600 subheadings, so the whole index is a few MB and builds
in about a second from the same rows on SQLite and PostgreSQL; nothing backend-specific
(no FTS5 / tsvector) is needed, so both backends rank identically.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, func, select

from tradewind.db import Database
from tradewind.finder.text import (
    analyse,
    document_terms,
    noise_words,
    raw_tokens,
    skeleton,
    stem,
)
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes, hs_sections
from tradewind.nomenclature.translations import all_translated
from tradewind.nomenclature.translations import signature as translations_signature

SYNONYMS_FILE = Path(__file__).with_name("synonyms.yaml")

# Weight of a query word found in each field of a subheading's document.
W_SUB = 1.0  # the subheading's own text
W_HEAD = 0.55  # its heading's text
W_CHAP = 0.25  # its chapter's text
W_SYN = 1.1  # a synonym attached to the subheading or its heading
W_CHAPSYN = 0.5  # a synonym attached to the chapter
W_REF = 0.9  # an imported search reference
W_TRANSLATED = 0.6  # an imported French/Spanish description of the code or its heading


@dataclass
class Synonym:
    """One plain-language term and the codes (2, 4 or 6 digits) it points to."""

    term: str
    stems: tuple[str, ...]
    codes: tuple[str, ...]
    source: str  # "Tradewind synonyms" or the dataset name of imported references
    # Words of the term that queries drop as noise ("hot", "used", "x"): the query must
    # still contain them for the whole phrase to count, or "hot water bottle" would
    # match every "water bottle".
    required: frozenset[str] = frozenset()


@dataclass
class FinderIndex:
    """Everything a query needs, precomputed."""

    edition: str
    codes: list[str] = field(default_factory=list)  # HS6 codes, position = doc id
    descriptions: dict[str, str] = field(default_factory=dict)  # every code level
    sections: dict[str, str] = field(default_factory=dict)  # roman numeral → name
    section_of: dict[str, str] = field(default_factory=dict)  # chapter → section
    doc_of: dict[str, int] = field(default_factory=dict)
    children: dict[str, list[int]] = field(default_factory=dict)  # 2/4-digit → HS6 doc ids
    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    sub_postings: dict[str, set[int]] = field(default_factory=dict)
    negated: dict[str, set[int]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    sub_len: list[int] = field(default_factory=list)
    residual: set[int] = field(default_factory=set)  # "n.e.c." / "other" subheadings
    parts: set[int] = field(default_factory=set)  # "parts" subheadings
    # Heading documents: the heading's text plus all its subheadings' text (stem sets).
    head_postings: dict[str, set[str]] = field(default_factory=dict)  # stem → headings
    head_idf: dict[str, float] = field(default_factory=dict)
    synonyms: list[Synonym] = field(default_factory=list)
    synonyms_by_stem: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: dict[str, str] = field(default_factory=dict)  # surface word → stem
    vocab_by_len: dict[int, list[str]] = field(default_factory=dict)
    skeletons: dict[str, str] = field(default_factory=dict)  # consonant skeleton → word
    signature: str = ""
    build_seconds: float = 0.0
    reference_count: int = 0
    reranker: Any = None  # a trained finder.rerank.Reranker, loaded with the index
    semantic: Any = None  # a finder.sentence.SemanticIndex when finder_semantic is on
    # Imported descriptions by language (tradewind import hs-descriptions): lang → code →
    # text, section numerals included; shown in results for readers of that language.
    localised: dict[str, dict[str, str]] = field(default_factory=dict)

    def heading_of(self, doc: int) -> str:
        return self.codes[doc][:4]


def load_synonyms(path: Path = SYNONYMS_FILE) -> list[tuple[str, list[str]]]:
    """The project's synonym list as (term, codes) pairs.

    The file maps a code (2, 4 or 6 digits, as a string) to a list of plain-language terms.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs: dict[str, list[str]] = defaultdict(list)
    for code, terms in data.items():
        code = str(code).strip()
        for term in terms or []:
            key = str(term).strip().lower()
            if key and code not in pairs[key]:
                pairs[key].append(code)
    return list(pairs.items())


def _signature(conn: Connection, edition: str, *, model: bool = True) -> str:
    """Cheap fingerprint of the index inputs: rebuild when codes or references change."""
    from tradewind.finder.models import finder_references

    n, top = conn.execute(
        select(func.count(), func.max(hs_codes.c.id)).where(hs_codes.c.edition == edition)
    ).one()
    rn, rtop = conn.execute(select(func.count(), func.max(finder_references.c.id))).one()
    stat = SYNONYMS_FILE.stat()
    translated = translations_signature(conn, edition)
    raw = f"{edition}|{n}|{top}|{rn}|{rtop}|{stat.st_mtime_ns}|{stat.st_size}|{translated}"
    if rerank_enabled():
        inputs = _model_inputs(conn)
        raw += "|" + "|".join(map(str, inputs if model else inputs[1:]))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def rerank_enabled() -> bool:
    """The ``finder_rerank`` setting (read when an index is built)."""
    from tradewind.settings import Settings

    return bool(Settings.load().finder_rerank)


def _model_inputs(conn: Connection) -> tuple[object, ...]:
    """Newest model, imported schedule and ruling ids: a retrain or an import reloads it.

    SAMPLE schedules are left out (the reranker never reads them).
    """
    from tradewind.finder.models import finder_models, finder_rulings
    from tradewind.tariffs.models import tariff_schedules

    return (conn.execute(select(func.max(finder_models.c.id))).scalar(),
            conn.execute(select(func.max(tariff_schedules.c.id), func.count())
                         .where(tariff_schedules.c.source_format != "sample")).one()[:],
            conn.execute(select(func.max(finder_rulings.c.id), func.count())).one()[:])


def build_index(conn: Connection, edition: str = DEFAULT_EDITION, *,
                with_model: bool = True) -> FinderIndex:
    """Build the index from the database rows (any backend) and the synonym file."""
    from tradewind.datasets.models import datasets
    from tradewind.finder.models import finder_references

    started = time.perf_counter()
    index = FinderIndex(edition=edition, signature=_signature(conn, edition))
    for sec in conn.execute(select(hs_sections.c.section, hs_sections.c.name)
                            .where(hs_sections.c.edition == edition)):
        index.sections[sec.section] = sec.name
    rows = conn.execute(
        select(hs_codes.c.code, hs_codes.c.level, hs_codes.c.section, hs_codes.c.description)
        .where(hs_codes.c.edition == edition).order_by(hs_codes.c.code)
    ).all()
    for row in rows:
        index.descriptions[row.code] = row.description
        if row.level == 2:
            index.section_of[row.code] = row.section
    level_terms: dict[str, set[str]] = {}
    for row in rows:
        if row.level in (2, 4):
            pos, _neg = document_terms(row.description)
            level_terms[row.code] = set(pos)
    for row in rows:
        if row.level != 6:
            continue
        doc = len(index.codes)
        index.codes.append(row.code)
        index.doc_of[row.code] = doc
        index.children.setdefault(row.code[:4], []).append(doc)
        index.children.setdefault(row.code[:2], []).append(doc)

    # Synonyms: the project's list, then imported references (with their dataset name).
    syn_fields: dict[int, set[str]] = defaultdict(set)
    chapsyn_fields: dict[int, set[str]] = defaultdict(set)
    ref_fields: dict[int, set[str]] = defaultdict(set)
    for term, codes in load_synonyms():
        valid = tuple(c for c in codes if c in index.descriptions and len(c) in (2, 4, 6))
        stems = tuple(analyse(term))
        if not valid or not stems:
            continue
        index.synonyms.append(Synonym(term, stems, valid, "Tradewind synonyms",
                                      noise_words(term)))
        for code in valid:
            targets = [index.doc_of[code]] if len(code) == 6 else index.children.get(code, [])
            bucket = chapsyn_fields if len(code) == 2 else syn_fields
            for doc in targets:
                bucket[doc].update(stems)
    names = {r.id: r.name for r in conn.execute(
        select(datasets.c.id, datasets.c.name).where(datasets.c.kind == "search-references"))}
    refs: dict[str, tuple[set[str], str]] = {}
    for ref in conn.execute(select(finder_references.c.term, finder_references.c.code,
                                   finder_references.c.dataset_id)):
        if ref.code not in index.doc_of:
            continue
        entry = refs.setdefault(ref.term.lower(), (set(), names.get(ref.dataset_id, "references")))
        entry[0].add(ref.code)
        index.reference_count += 1
    for term, (codes_set, source) in refs.items():
        stems = tuple(analyse(term))
        if not stems:
            continue
        index.synonyms.append(Synonym(term, stems, tuple(sorted(codes_set)), source,
                                      noise_words(term)))
        for code in codes_set:
            ref_fields[index.doc_of[code]].update(stems)
    tr_fields = _translated_fields(conn, index)
    for i, syn in enumerate(index.synonyms):
        for s in set(syn.stems):
            index.synonyms_by_stem.setdefault(s, []).append(i)

    # Postings: weight of each stem in each subheading's document, all fields together.
    df: dict[str, int] = defaultdict(int)
    by_code = {row.code: row for row in rows}
    for doc, code in enumerate(index.codes):
        pos, neg = document_terms(by_code[code].description)
        sub = set(pos)
        index.sub_len.append(len(sub))
        if _is_residual(by_code[code].description, code):
            index.residual.add(doc)
        if _PARTS.search(by_code[code].description):
            index.parts.add(doc)
        weights: dict[str, float] = defaultdict(float)
        for s in sub:
            weights[s] += W_SUB
            index.sub_postings.setdefault(s, set()).add(doc)
        for s in level_terms.get(code[:4], set()):
            weights[s] += W_HEAD
        for s in level_terms.get(code[:2], set()):
            weights[s] += W_CHAP
        for s in syn_fields.get(doc, set()):
            weights[s] += W_SYN
        for s in chapsyn_fields.get(doc, set()):
            weights[s] += W_CHAPSYN
        for s in ref_fields.get(doc, set()):
            weights[s] += W_REF
        for s in tr_fields.get(doc, set()):
            if s not in weights:  # a French word spelt like an English one adds nothing
                weights[s] += W_TRANSLATED
        for s in neg:
            if s not in weights:
                index.negated.setdefault(s, set()).add(doc)
        for s, w in weights.items():
            index.postings.setdefault(s, {})[doc] = w
            df[s] += 1
    head_docs: dict[str, set[str]] = defaultdict(set)
    for doc, code in enumerate(index.codes):
        pos, _neg = document_terms(by_code[code].description)
        head_docs[code[:4]].update(pos)
        head_docs[code[:4]].update(syn_fields.get(doc, set()))
    for head, terms in head_docs.items():
        terms.update(level_terms.get(head, set()))
        for s in terms:
            index.head_postings.setdefault(s, set()).add(head)
    nh = len(head_docs) or 1
    index.head_idf = {s: math.log(1.0 + nh / (len(hs) + 0.5))
                      for s, hs in index.head_postings.items()}
    n = len(index.codes) or 1
    index.idf = {s: math.log(1.0 + n / (d + 0.5)) for s, d in df.items()}

    # Surface vocabulary for typo correction: words of the nomenclature and the synonyms.
    texts = [r.description for r in rows] + [s.term for s in index.synonyms]
    for text in texts:
        for tok in raw_tokens(text):
            if len(tok) >= 3 and tok.isalpha() and tok not in index.vocabulary:
                st = stem(tok)
                if st in index.postings:
                    index.vocabulary[tok] = st
    for word in index.vocabulary:
        index.vocab_by_len.setdefault(len(word), []).append(word)
    # Vowel-dropped abbreviations of parcel and till lines ("bdy wsh" = body wash): map
    # each consonant skeleton to its most frequent word.
    best_df: dict[str, int] = {}
    for word, st in index.vocabulary.items():
        sk = skeleton(word)
        if len(sk) < 3:
            continue
        df_word = len(index.postings.get(st, ()))
        if df_word > best_df.get(sk, -1):
            best_df[sk] = df_word
            index.skeletons[sk] = word
    if with_model and rerank_enabled():
        from tradewind.finder.rerank import load_reranker

        index.reranker = load_reranker(conn, edition)
    index.build_seconds = time.perf_counter() - started
    return index


def _translated_fields(conn: Connection, index: FinderIndex) -> dict[int, set[str]]:
    """Stems of the imported French/Spanish descriptions of each subheading and its heading.

    A French or Spanish query is read through the lexicons into English first; the words the
    lexicons do not know are kept (folded) and meet these stems, so an operator's import makes
    the FR/ES finder find codes by their official French/Spanish wording.
    """
    from tradewind.finder.multilingual import LANGUAGES, load_lexicon, tokens

    fields: dict[int, set[str]] = defaultdict(set)
    for lang in LANGUAGES:
        texts = all_translated(conn, index.edition, lang)
        if not texts:
            continue
        index.localised[lang] = texts
        grammar = load_lexicon(lang).function_words
        stems_of = {code: {stem(t) for t in tokens(text)
                           if t not in grammar and len(t) > 2 and not t.isdigit()}
                    for code, text in texts.items() if code.isdigit()}
        for doc, code in enumerate(index.codes):
            fields[doc].update(stems_of.get(code, set()))
            fields[doc].update(stems_of.get(code[:4], set()))
    return fields


_PARTS = re.compile(r"\bparts?\b(?! of a kind)", re.IGNORECASE)


def _is_residual(description: str, code: str) -> bool:
    """Catch-all subheadings: "n.e.c.", "other", or a code ending in 9 / 90 / 00."""
    text = description.lower()
    return ("n.e.c" in text or text.startswith("other") or "; other" in text
            or code.endswith("90") or code.endswith("99") or code.endswith("00"))


_CACHE: dict[tuple[str, str], tuple[FinderIndex, float]] = {}
_LOCK = threading.Lock()
CHECK_EVERY = 2.0  # seconds between fingerprint checks of a cached index


def get_index(db: Database, edition: str = DEFAULT_EDITION, *, force: bool = False) -> FinderIndex:
    """The index for ``db``, built once per process and rebuilt when its inputs change."""
    key = (db.url, edition)
    now = time.monotonic()
    cached = _CACHE.get(key)
    if cached and not force and now - cached[1] < CHECK_EVERY:
        return cached[0]
    with _LOCK:
        cached = _CACHE.get(key)
        with db.connect() as conn:
            sig = _signature(conn, edition)
            if cached and not force and cached[0].signature == sig:
                _CACHE[key] = (cached[0], now)
                return cached[0]
            index = build_index(conn, edition)
        from tradewind.finder.sentence import attach_semantic

        attach_semantic(index)
        _CACHE[key] = (index, now)
        return index


def forget_index(db: Database) -> None:
    """Drop cached indexes of ``db`` (after an import in the same process)."""
    for key in [k for k in _CACHE if k[0] == db.url]:
        _CACHE.pop(key, None)

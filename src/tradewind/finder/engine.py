"""Ranking: plain words (or a code) in, HS 2022 subheadings with reasons and roll-ups out.

Scoring is a field-weighted BM25 variant over each subheading's document (its own text,
its heading's and chapter's text, synonyms, imported references), plus a bonus for whole
synonym phrases, then evidence is pooled upwards into headings and chapters, whose
strength feeds back into the subheading ranking (hierarchical reasoning).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from tradewind.errors import InvalidCode, InvalidInput
from tradewind.finder.index import FinderIndex
from tradewind.finder.text import (
    CONTEXT_WEIGHT,
    QUERY_EXPANSION_WEIGHT,
    expansions,
    is_quantity,
    raw_tokens,
    skeleton,
    stem,
    tagged_tokens,
)
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.codes import format_code

MAX_QUERY_CHARS = 500
TYPO_MIN_LEN = 5
K_SAT = 1.2  # saturation of a word's field weight
LEN_PENALTY = 0.035  # prefer subheadings whose text the query covers
PHRASE_BONUS = 0.8  # a whole synonym phrase found in the query
HEAD_FEEDBACK = 0.6  # share of the heading's pooled evidence added to its subheadings
CHAP_FEEDBACK = 0.15
EXPAND = True
POSITION_DECAY = 0.03  # later words in long titles weigh a little less
POSITION_FLOOR = 0.5
HEAD_BOOST = 1.8  # the head noun of the first segment ("honey presses" → presses)
COMPOUNDS = True  # split run-together words ("boardgames") into known words
SPLIT_MIN_TAIL = 5
HEAD_MIN_WEIGHT = 0.45  # purpose words ("for …") and colours are never the head
HEAD_FLOOR = 0.6  # a low-weight word that is the head ("phone *case*") counts this much
# Heads naming machines and instruments: the words before them say what they work on.
MACHINE_HEADS = frozenset(stem(w) for w in (
    "machine", "machines", "machinery", "apparatus", "equipment", "appliance", "appliances",
    "plant", "instrument", "instruments", "meter", "meters", "press", "presses", "device"))
MACHINE_MODIFIER = 0.6
ACCESSORY_HEADS = frozenset(stem(w) for w in (
    "case", "cover", "charger", "cable", "strap", "holder", "stand", "protector", "sleeve",
    "mount", "skin", "adapter", "bag", "pouch", "battery", "lens", "band"))
DEVICE_WORDS = frozenset(stem(w) for w in (
    "phone", "iphone", "smartphone", "samsung", "galaxy", "ipad", "tablet", "laptop",
    "macbook", "notebook", "camera", "watch", "smartwatch", "airpods", "kindle", "console",
    "switch", "playstation", "xbox", "gopro", "drone", "computer", "pixel"))
# Shop titles put describing words after the product ("camera bag waterproof").
_ADJECTIVE = re.compile(r"(proof|able|ible|less|ful|ous)$")
# Words that weigh little alone but name the product when they end the phrase.
HEADABLE = frozenset({"case", "box", "carton", "top"})
PARTS_FACTOR = 0.6  # "parts" subheadings when the query does not ask for parts
PART_WORDS = frozenset({"part", "spare", "compon", "accessori", "replac", "repair", "kit"})
CORRECTED_WEIGHT = 0.7  # a spelling-corrected word counts a little less
ABBREVIATIONS = True
SUBSUME = False  # longest synonym match wins (measured: no gain, off)
HEAD_DOC_WEIGHT = 1.0  # weight of heading documents in the heading evidence
RESIDUAL_SLOT: int | None = 4  # 0-based place given to the top heading's "other" subheading
RESIDUAL_BONUS = 0.0  # share of the heading evidence given to catch-alls (measured: off)
RESIDUAL_TIE = 1.02  # edge of a catch-all over siblings that match only via their heading
UNMATCHED_LEN = 4  # length penalty (in words) of subheadings none of whose own words match
DIVERSIFY_HEADINGS = 5  # ambiguous queries: this many distinct headings first
AMBIGUOUS_BELOW = 0.5
SHORT_QUERY_WORDS = 2  # queries this short always get alternatives from distinct headings
DIVERSIFY_LONG = 3  # longer but ambiguous queries: this many distinct headings first  # top heading confidence under which a query counts as ambiguous
_CODE_LIKE = re.compile(r"^\d[\d\s.\-/]*[a-z]{0,2}$", re.IGNORECASE)  # "0901.21", "0901.2x"


@dataclass
class PathStep:
    """One level of a code's path: section › chapter › heading › subheading."""

    level: str
    code: str
    description: str


@dataclass
class Candidate:
    """One ranked HS 2022 subheading."""

    code: str
    description: str
    score: float
    path: list[PathStep]
    reason: str
    matched: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Rulings and advisors' confirmations that back this code (finder/evidence.py).
    evidence: list[Any] = field(default_factory=list)
    semantic: float | None = None  # cosine similarity of the dense retrieval (issue 15)

    @property
    def display(self) -> str:
        return format_code(self.code)


@dataclass
class Rollup:
    """Pooled evidence for a heading or chapter; ``confidence`` is its share (0–1)."""

    code: str
    description: str
    confidence: float
    best: str  # best subheading under it


@dataclass
class FinderResult:
    """What a search returns: candidates, roll-ups, and notes for the person asking."""

    query: str
    candidates: list[Candidate]
    headings: list[Rollup]
    chapters: list[Rollup]
    terms: list[str]  # words used, after normalisation and spelling fixes
    corrections: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    is_code: bool = False
    ambiguous: bool = False
    notes: list[str] = field(default_factory=list)


def _path(index: FinderIndex, code: str) -> list[PathStep]:
    chapter = code[:2]
    section = index.section_of.get(chapter, "")
    steps = [PathStep("section", section, index.sections.get(section, ""))]
    for level, n in (("chapter", 2), ("heading", 4), ("subheading", 6)):
        if len(code) >= n:
            part = code[:n]
            steps.append(PathStep(level, part, index.descriptions.get(part, "")))
    return steps


def _correct(index: FinderIndex, word: str) -> str | None:
    """The nomenclature word a misspelt query word most likely meant, if any is close."""
    if len(word) < TYPO_MIN_LEN or not word.isalpha():
        return None
    max_dist = 1 if len(word) < 10 else 2
    best: tuple[int, float, str] | None = None
    for length in range(len(word) - max_dist, len(word) + max_dist + 1):
        for cand in index.vocab_by_len.get(length, ()):
            if cand[0] != word[0]:
                continue
            d = DamerauLevenshtein.distance(word, cand, score_cutoff=max_dist)
            if d > max_dist:
                continue
            df = len(index.postings.get(index.vocabulary[cand], ()))
            key = (d, -df, cand)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _expand_abbreviation(index: FinderIndex, word: str) -> str | None:
    """A vowel-dropped abbreviation ("bdy", "wsh", "chrry") → its most frequent word."""
    if not ABBREVIATIONS or len(word) < 3 or not word.isalpha():
        return None
    if any(ch in "aeiou" for ch in word):  # real words ("grid") are not abbreviations
        return None
    return index.skeletons.get(skeleton(word))


@dataclass
class _Parsed:
    stems: list[str]
    corrections: dict[str, str]
    ignored: list[str]
    weights: dict[str, float] = field(default_factory=dict)  # stem → query weight
    n_words: int = 0  # distinct stems typed (before expansion)
    typed: frozenset[str] = frozenset()  # stems typed (expansions excluded)
    head: str | None = None  # stem of the word that names the product, if found


def parse_query(index: FinderIndex, query: str) -> _Parsed:
    """Content words → known stems; misspellings corrected; unknown words (brands) ignored."""
    stems: list[str] = []
    corrections: dict[str, str] = {}
    ignored: list[str] = []
    weights: dict[str, float] = {}
    known: list[tuple[str, float, int]] = []  # (stem, weight, segment)
    adjectives: set[int] = set()  # positions in ``known`` of words that describe, not name
    for pos, (tok, weight, seg) in enumerate(tagged_tokens(query)):
        weight *= max(POSITION_FLOOR, 1.0 - POSITION_DECAY * pos)
        st = stem(tok)
        if st not in index.postings and st not in index.synonyms_by_stem:
            parts = _split_compound(index, tok, need_both=True)
            if parts:  # "boardgames", "bodywash", "ballpens": two known words run together
                corrections[tok] = " ".join(parts)
                known.extend((stem(p), weight, seg) for p in parts)
                continue
            fixed = _correct(index, tok) or _expand_abbreviation(index, tok)
            if not fixed:
                parts = _split_compound(index, tok, need_both=False)
                if not parts:
                    ignored.append(tok)
                    continue
                # "amperemeters", "cardioscopes": the known ending names the kind of thing
                corrections[tok] = parts[-1]
                known.append((stem(parts[-1]), weight * CORRECTED_WEIGHT, seg))
                continue
            corrections[tok] = fixed
            st = index.vocabulary[fixed]
            weight *= CORRECTED_WEIGHT
        known.append((st, weight, seg))
        if _ADJECTIVE.search(tok):
            adjectives.add(len(known) - 1)
    # "iPhone 15 case", "laptop charger": a device named before an accessory word is what
    # the accessory fits, not the good itself (as if "for" stood between them).
    acc = next((i for i, k in enumerate(known) if k[0] in ACCESSORY_HEADS), None)
    if acc is not None:
        known = [(st, w * CONTEXT_WEIGHT if i < acc and st in DEVICE_WORDS else w, seg)
                 for i, (st, w, seg) in enumerate(known)]
    head = _head_word(known, adjectives)
    machine = head is not None and known[head][0] in MACHINE_HEADS
    for i, (st, weight, _seg) in enumerate(known):
        if i == head:
            weight = max(weight, HEAD_FLOOR) * HEAD_BOOST
        elif machine:
            # "honey extracting machines": honey is what the machine works on, not the good
            weight *= MACHINE_MODIFIER
        stems.append(st)
        weights[st] = max(weights.get(st, 0.0), weight)
    typed = frozenset(stems)
    n_words = len(typed)
    if EXPAND:
        table = expansions()
        for st in list(dict.fromkeys(stems)):
            for extra in table.get(st, ()):
                if extra in index.postings and extra not in weights:
                    weights[extra] = weights[st] * QUERY_EXPANSION_WEIGHT
                    stems.append(extra)
    return _Parsed(stems, corrections, ignored, weights, n_words, typed,
                   known[head][0] if head is not None else None)


def _known(index: FinderIndex, word: str) -> bool:
    st = stem(word)
    return st in index.postings or st in index.synonyms_by_stem


def _split_compound(index: FinderIndex, word: str, *, need_both: bool) -> list[str] | None:
    """Split a run-together word into known words ("boardgames" → board, games).

    With ``need_both`` both halves must be known words (the longest such split wins);
    otherwise only a known ending of at least :data:`SPLIT_MIN_TAIL` letters is kept,
    since English compounds end in their head ("amperemeters" → meters).
    """
    if not COMPOUNDS or len(word) < 6 or not word.isalpha():
        return None
    if need_both:
        best: tuple[int, list[str]] | None = None
        for i in range(3, len(word) - 2):
            left, right = word[:i], word[i:]
            if _known(index, left) and _known(index, right):
                key = min(len(left), len(right))
                if best is None or key > best[0]:
                    best = (key, [left, right])
        return best[1] if best else None
    for i in range(2, len(word) - SPLIT_MIN_TAIL + 1):
        tail = word[i:]
        if (_known(index, tail) and tail in index.vocabulary) or (
                tail.endswith("s") and tail[:-1] in index.vocabulary):
            return [word[:i], tail]
    return None


def _head_word(known: list[tuple[str, float, int]], adjectives: set[int]) -> int | None:
    """Position of the word that names the product: the last full-weight known word of
    the first segment ("honey *presses*", "laptop *sleeves*", "ties, leather").

    English noun phrases put the head noun last; words before it say what it is made of
    or used for. Purpose words ("for …") and low-weight words never count as the head.
    """
    if HEAD_BOOST == 1.0 or len(known) < 2:
        return None
    first_seg = min(seg for _st, _w, seg in known)
    head = None
    for i, (st, weight, seg) in enumerate(known):
        if seg != first_seg:
            break
        if (weight >= HEAD_MIN_WEIGHT or st in HEADABLE) and i not in adjectives:
            head = i
    return head


def _softmax_shares(scores: dict[str, float], temperature: float) -> dict[str, float]:
    if not scores:
        return {}
    top = max(scores.values())
    exp = {k: math.exp((v - top) / temperature) for k, v in scores.items()}
    total = sum(exp.values())
    return {k: v / total for k, v in exp.items()}


@dataclass
class Scored:
    """The lexical engine's evidence for one query, kept for the learned reranker.

    ``raw`` is the field-weighted BM25 (+ synonym phrases) of each subheading before
    hierarchical feedback; ``final`` adds the heading and chapter evidence (the lexical
    ranking); ``ranked`` is ``final`` sorted, best first.
    """

    text: str
    parsed: _Parsed
    raw: dict[int, float]
    matched: dict[int, list[str]]
    syn_hits: dict[int, list[int]]
    syn_strength: dict[int, float]
    head_ev: dict[str, float]
    chap_ev: dict[str, float]
    head_doc: dict[str, float]  # coverage of the query by each heading document
    final: dict[int, float]
    ranked: list[tuple[int, float]]
    extra: dict[str, Any] = field(default_factory=dict)  # what a reranker found, for reasons


def _check(text: str) -> None:
    if not text:
        raise InvalidInput(N_("Please type a product description, e.g. “roasted coffee beans”."))
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(N_("The description is too long (%(count)s characters); please keep it "
                              "under %(max_query_chars)s characters."),
                           count=len(text), max_query_chars=MAX_QUERY_CHARS)


def is_code_query(text: str) -> bool:
    return bool(_CODE_LIKE.match(text)) and sum(ch.isdigit() for ch in text) >= 2


def score_query(index: FinderIndex, text: str, parsed: _Parsed | None = None) -> Scored | None:
    """Lexical evidence for a (non-code) description; None when no word is known."""
    parsed = parsed or parse_query(index, text)
    q = parsed.stems
    if not q:
        return None
    qset = list(dict.fromkeys(q))
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, list[str]] = defaultdict(list)
    for s in qset:
        idf = index.idf.get(s, 0.0) * parsed.weights.get(s, 1.0)
        for doc, w in index.postings.get(s, {}).items():
            scores[doc] += idf * (w * (K_SAT + 1.0) / (w + K_SAT))
            matched[doc].append(s)
        for doc in index.negated.get(s, ()):  # the text names this word only to exclude it
            scores[doc] -= 0.5 * idf
    wants_parts = bool(PART_WORDS & set(qset))
    for doc in list(scores):
        # A catch-all's long text ("n.e.c. in heading …") is not a mismatch: when only
        # heading-level words match, the catch-all rather than the shortest sibling wins.
        if RESIDUAL_TIE and not any(doc in index.sub_postings.get(s, ()) for s in matched[doc]):
            # Nothing typed is in this subheading's own text: siblings are equal, and
            # the catch-all is the answer rather than the sibling with the shortest text.
            scores[doc] /= 1.0 + LEN_PENALTY * UNMATCHED_LEN
            if doc in index.residual:
                scores[doc] *= RESIDUAL_TIE
        else:
            scores[doc] /= 1.0 + LEN_PENALTY * max(0, index.sub_len[doc] - len(matched[doc]))
        if not wants_parts and doc in index.parts:
            scores[doc] *= PARTS_FACTOR

    # Whole synonym phrases found in the query; a phrase inside a longer matched phrase
    # ("phone" inside "phone case") gives way to it, as in a dictionary's longest match.
    qstems = parsed.typed  # class words added by expansion do not complete phrases
    qraw = frozenset(stem(t) for t in raw_tokens(text))
    syn_hits: dict[int, list[int]] = defaultdict(list)
    syn_strength: dict[int, float] = defaultdict(float)
    found: dict[int, frozenset[str]] = {}
    for s in qset:
        for si in index.synonyms_by_stem.get(s, ()):
            if si not in found:
                stems_of = frozenset(index.synonyms[si].stems)
                if stems_of <= qstems and index.synonyms[si].required <= qraw:
                    found[si] = stems_of
    phrases = set(found.values())
    for si, stems_of in found.items():
        if SUBSUME and any(stems_of < other for other in phrases):
            continue
        syn = index.synonyms[si]
        strength = PHRASE_BONUS * sum(index.idf.get(t, 1.0) * min(1.0, parsed.weights.get(t, 1.0))
                                      for t in stems_of)
        strength *= 1.0 + 0.25 * (len(stems_of) - 1)
        for code in syn.codes:
            docs = [index.doc_of[code]] if len(code) == 6 else index.children.get(code, [])
            share = 1.0 if len(code) == 6 else (0.8 if len(code) == 4 else 0.45)
            for doc in docs:
                scores[doc] += strength * share
                syn_strength[doc] += strength * share
                syn_hits[doc].append(si)

    if not scores:
        return None
    # Hierarchical feedback: pooled heading/chapter evidence lifts their subheadings.
    pool = sorted(scores.items(), key=lambda kv: -kv[1])[:300]
    head_ev: dict[str, float] = defaultdict(float)
    chap_ev: dict[str, float] = defaultdict(float)
    head_best: dict[str, float] = {}
    for doc, sc in pool:
        h = index.codes[doc][:4]
        head_best[h] = max(head_best.get(h, 0.0), sc)
    for h, best in head_best.items():
        head_ev[h] = best
        chap_ev[h[:2]] = max(chap_ev[h[:2]], best)
    hscore: dict[str, float] = defaultdict(float)
    if HEAD_DOC_WEIGHT:
        # Heading documents (heading + all its subheadings' words): coverage of the query.
        for s in qset:
            w = index.head_idf.get(s, 0.0) * parsed.weights.get(s, 1.0)
            for h in index.head_postings.get(s, ()):
                hscore[h] += w
        for h in head_ev:
            head_ev[h] += HEAD_DOC_WEIGHT * hscore.get(h, 0.0)
    final = {doc: sc + HEAD_FEEDBACK * head_ev[index.codes[doc][:4]]
             + CHAP_FEEDBACK * chap_ev[index.codes[doc][:2]] for doc, sc in pool}
    if RESIDUAL_BONUS:
        # A heading's catch-all subheading is the right answer when nothing more specific
        # in that heading matches: give it a share of its heading's evidence.
        for doc in list(final):
            if doc in index.residual:
                final[doc] += RESIDUAL_BONUS * head_ev[index.codes[doc][:4]]
    ranked = sorted(final.items(), key=lambda kv: (-kv[1], index.codes[kv[0]]))
    return Scored(text, parsed, dict(scores), matched, syn_hits, syn_strength, head_ev, chap_ev,
                  hscore, final, ranked)


def search_index(index: FinderIndex, query: str, limit: int = 10, *,
                 rerank: bool = True, semantic: bool = True,
                 dense_k: int | None = None) -> FinderResult:
    """Rank subheadings for ``query`` (text or a code) against a built index.

    When the index carries a trained reranker (``index.reranker``) and ``rerank`` is on,
    the lexical candidates are re-ordered by it; otherwise the lexical ranking is returned.
    """
    text = (query or "").strip()
    _check(text)
    limit = max(1, min(int(limit), 50))
    if is_code_query(text):
        return _code_query(index, text, limit)

    parsed = parse_query(index, text)
    q = parsed.stems
    if not q:
        return FinderResult(query=text, candidates=[], headings=[], chapters=[], terms=[],
                            corrections=parsed.corrections, ignored=parsed.ignored,
                            notes=[_("No word of this description appears in the nomenclature "
                                     "or our synonym list; try a more general product name.")])
    scored = score_query(index, text, parsed)
    if scored is None:
        return FinderResult(query=text, candidates=[], headings=[], chapters=[], terms=q,
                            corrections=parsed.corrections, ignored=parsed.ignored)
    final, ranked = scored.final, scored.ranked
    matched, syn_hits = scored.matched, scored.syn_hits
    reranker = getattr(index, "reranker", None) if rerank else None
    if reranker is not None:
        final, ranked = reranker.rerank(index, scored)
        final = dict(final)
    sem = getattr(index, "semantic", None) if semantic and reranker is None else None
    sem_ev = None
    if sem is not None:
        from tradewind.finder.fusion import fuse_semantic

        sem_ev = (fuse_semantic(index, sem, scored, text) if dense_k is None
                  else fuse_semantic(index, sem, scored, text, dense_k=dense_k))
        final, ranked = dict(sem_ev.final), sem_ev.ranked

    # Roll-ups: shares of the pooled evidence per heading and chapter.
    top_score = ranked[0][1] or 1.0
    temperature = max(0.15 * top_score, 1e-6)
    head_scores: dict[str, float] = {}
    chap_scores: dict[str, float] = {}
    best_in: dict[str, str] = {}
    for doc, sc in ranked[:200]:
        code = index.codes[doc]
        for key, table in ((code[:4], head_scores), (code[:2], chap_scores)):
            if key not in table:
                table[key] = sc
                best_in[key] = code
    head_share = _softmax_shares(head_scores, temperature)
    chap_share = _softmax_shares(chap_scores, temperature)
    headings = [Rollup(h, index.descriptions.get(h, ""), round(p, 3), best_in[h])
                for h, p in sorted(head_share.items(), key=lambda kv: -kv[1])[:8]]
    chapters = [Rollup(c, index.descriptions.get(c, ""), round(p, 3), best_in[c])
                for c, p in sorted(chap_share.items(), key=lambda kv: -kv[1])[:5]]
    ambiguous = parsed.n_words <= 1 or (headings[0].confidence < AMBIGUOUS_BELOW if headings
                                   else True)

    # Short or ambiguous queries: show the main alternatives (one per heading first).
    order = [doc for doc, _ in ranked]
    if reranker is not None or sem_ev is not None:
        pass  # learned or fused scores already weigh residual and alternative subheadings
    elif ambiguous:
        firsts: list[int] = []
        rest: list[int] = []
        seen_heads: set[str] = set()
        for doc in order:
            h = index.codes[doc][:4]
            (rest if h in seen_heads else firsts).append(doc)
            seen_heads.add(h)
        short = parsed.n_words <= SHORT_QUERY_WORDS
        n_first = DIVERSIFY_HEADINGS if short else DIVERSIFY_LONG
        order = firsts[:n_first] + sorted(firsts[n_first:] + rest, key=lambda d: -final[d])
    else:  # a clear heading: its catch-all subheading is one of the answers to show
        order = _with_residual(index, order, final)
    candidates = []
    for doc in order[:limit]:
        cand = _candidate(index, doc, final[doc], matched.get(doc, []),
                          syn_hits.get(doc, []), parsed)
        if reranker is not None:
            extra = reranker.explain(index, scored, doc)
            if extra:
                cand.reason = f"{cand.reason}; {extra}" if cand.reason else extra
        if sem_ev is not None:
            _explain_semantic(cand, doc, sem_ev)
        candidates.append(cand)
    notes = []
    if parsed.corrections:
        fixed = ", ".join(f"“{a}” → “{b}”" for a, b in parsed.corrections.items())
        notes.append(_("Spelling corrected or abbreviation expanded: %(fixed)s.", fixed=fixed))
    if ambiguous:
        notes.append(_("This description could fit several kinds of product; "
                       "the main alternatives are shown first."))
    return FinderResult(query=text, candidates=candidates, headings=headings, chapters=chapters,
                        terms=q, corrections=parsed.corrections, ignored=parsed.ignored,
                        ambiguous=ambiguous, notes=notes)


def _explain_semantic(cand: Candidate, doc: int, sem_ev: Any) -> None:
    """Say how close in meaning the candidate's text is (sentence-encoder evidence)."""
    sim = sem_ev.similarity.get(doc)
    if sim is None:
        return
    cand.semantic = round(sim, 3)
    why = _("similar in meaning to the description (similarity %(similarity)s)",
            similarity=f"{sim:.2f}")
    cand.reason = why if doc in sem_ev.dense_only else f"{cand.reason}; {why}"


def _with_residual(index: FinderIndex, order: list[int], final: dict[int, float]) -> list[int]:
    """Keep the top heading's catch-all ("other") subheading within the first few.

    When a description names the heading's product but none of its specific kinds, the
    answer is the catch-all; the first place stays with the best match.
    """
    if RESIDUAL_SLOT is None or not order:
        return order
    head = index.codes[order[0]][:4]
    catch_all = [d for d in index.children.get(head, []) if d in index.residual]
    if not catch_all or any(d in order[:RESIDUAL_SLOT + 1] for d in catch_all):
        return order
    best = max(catch_all, key=lambda d: (final.get(d, 0.0), index.codes[d]))
    final.setdefault(best, final[order[RESIDUAL_SLOT - 1]] if len(order) >= RESIDUAL_SLOT
                     else final[order[-1]])
    rest = [d for d in order if d != best]
    return [*rest[:RESIDUAL_SLOT], best, *rest[RESIDUAL_SLOT:]]


def _candidate(index: FinderIndex, doc: int, score: float, matched: list[str],
               syn_ids: list[int], parsed: _Parsed) -> Candidate:
    code = index.codes[doc]
    sub_words = [s for s in matched if doc in index.sub_postings.get(s, ())]
    other = [s for s in matched if s not in sub_words]
    syns = list(dict.fromkeys(index.synonyms[i].term for i in syn_ids))
    sources = sorted({index.synonyms[i].source for i in syn_ids})
    parts = []
    if sub_words:
        parts.append(_("words in the subheading: %(words)s",
                       words=", ".join(_surface(index, s, parsed) for s in sub_words)))
    if other:
        parts.append(_("words in its heading, chapter or synonyms: %(words)s",
                       words=", ".join(_surface(index, s, parsed) for s in other)))
    if syns:
        parts.append(_("synonym: %(terms)s", terms=", ".join(f"“{s}”" for s in syns[:3])))
        refs = [s for s in sources if s != "Tradewind synonyms"]
        if refs:
            parts.append(_("from imported references: %(sources)s", sources=", ".join(refs)))
    return Candidate(code=code, description=index.descriptions[code], score=round(score, 4),
                     path=_path(index, code), reason="; ".join(parts) or _("related heading"),
                     matched=matched, synonyms=syns, sources=sources)


def _surface(index: FinderIndex, st: str, parsed: _Parsed) -> str:
    """A readable form of a stem: a vocabulary word with that stem, else the stem."""
    for word, fixed in parsed.corrections.items():
        if index.vocabulary.get(fixed) == st:
            return _("%(fixed)s (for “%(word)s”)", fixed=fixed, word=word)
    best = min((w for w, s in index.vocabulary.items() if s == st), key=len, default=st) \
        if st not in _SURFACE_CACHE else _SURFACE_CACHE[st]
    _SURFACE_CACHE[st] = best
    return best


_SURFACE_CACHE: dict[str, str] = {}


def _code_query(index: FinderIndex, text: str, limit: int) -> FinderResult:
    """A query that is a code: show that code (or its subheadings), or the nearest codes."""
    from tradewind.nomenclature.codes import nearest_codes, normalize_code

    try:
        digits = normalize_code(text, national=True, edition=index.edition)
    except InvalidCode as exc:
        near = [c for c in nearest_codes(text, index.descriptions.keys(), limit=limit)
                if len(c) == 6]
        notes = [_("This looks like a code, but %(error)s", error=exc)]
        if near:
            notes.append(_("Nearest valid codes are shown."))
        return FinderResult(query=text, candidates=[
            Candidate(code=c, description=index.descriptions[c], score=0.0,
                      path=_path(index, c), reason=_("a valid code close to what was typed"))
            for c in near], headings=[], chapters=[], terms=[], is_code=True, notes=notes)
    code = digits[:6]
    notes = [_("This looks like a code: showing %(code)s.", code=format_code(code))]
    if len(digits) > 6:
        notes.append(_("National tariff digits beyond the 6-digit HS subheading are ignored "
                       "here."))
    if code not in index.descriptions:
        near = nearest_codes(code, index.descriptions.keys(), limit=limit)
        near6 = [c for c in near if len(c) == 6]
        notes = [_("%(code)s is not an HS 2022 code; nearest valid codes are shown.",
                   code=format_code(code))]
        docs = [index.doc_of[c] for c in near6]
        if not docs:
            for c in near:
                docs.extend(index.children.get(c, [])[:3])
    elif len(code) == 6:
        docs = [index.doc_of[code]]
    else:
        docs = index.children.get(code, [])
    candidates = []
    for doc in docs[:limit]:
        c = index.codes[doc]
        candidates.append(Candidate(code=c, description=index.descriptions[c], score=1.0,
                                    path=_path(index, c), reason=_("code typed in the query")))
    headings = [Rollup(h, index.descriptions.get(h, ""), 1.0, h)
                for h in dict.fromkeys(c.code[:4] for c in candidates)][:8]
    chapters = [Rollup(ch, index.descriptions.get(ch, ""), 1.0, ch)
                for ch in dict.fromkeys(c.code[:2] for c in candidates)][:5]
    return FinderResult(query=text, candidates=candidates, headings=headings, chapters=chapters,
                        terms=[], is_code=True, notes=notes)


def looks_like_quantity(token: str) -> bool:
    """Re-exported for callers that display which words were dropped."""
    return is_quantity(token)


__all__ = ["Candidate", "FinderResult", "PathStep", "Rollup", "parse_query", "raw_tokens",
           "search_index"]

"""Features of (query, candidate subheading) pairs for the learned reranker.

Why these: the lexical engine already knows a lot (field-weighted word matches, synonym
phrases, heading and chapter evidence) but adds it up with fixed, hand-set weights.  The
reranker learns how much each piece of evidence is worth, and sees evidence the sum
cannot: how much of the query the subheading's *own* text covers, whether the word that
names the product is there, whether the candidate is a heading's catch-all, how its
siblings fare, whether material, function and processing cues agree
(:mod:`tradewind.finder.attributes`), and whether a national tariff line or a binding
ruling under that code reads like the query (:class:`SideEvidence`).

Candidates are the lexical top :data:`POOL` plus every subheading of the best
:data:`SIBLING_HEADINGS` headings and the codes whose national lines match best, so the
reranker can reach a catch-all or a sibling that the lexical ranking left out.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from tradewind.finder import attributes
from tradewind.finder.engine import Scored
from tradewind.finder.index import FinderIndex
from tradewind.finder.text import analyse

POOL = 40  # lexical candidates kept
SIBLING_HEADINGS = 3  # best headings whose every subheading is a candidate
MAX_SIBLINGS = 40  # cap on the subheadings added that way
LINE_CANDIDATES = 8  # codes brought in by their national tariff lines
MAX_LINE_DF = 400  # line words this common do not retrieve
FEATURE_VERSION = 2  # bump when features change: older models are ignored
BASE_WEIGHT = 4.0  # the model learns a correction to BASE_WEIGHT × the lexical score

FEATURES: tuple[str, ...] = (
    "lex_final_rel", "lex_raw_rel", "lex_rank", "in_pool", "head_ev_rel", "head_rank",
    "chap_ev_rel", "chap_rank", "head_doc_rel", "siblings_in_pool", "rank_in_heading",
    "residual", "parts", "wants_parts", "heading_size", "only_child", "one_dash",
    "sub_len", "cover_sub", "cover_any", "cover_head_only", "unmatched_sub", "head_in_sub",
    "head_any", "head_missing", "syn_rel", "syn_hits", "syn_ref", "negated",
    "attr_agree", "attr_conflict", "attr_extra", "line_cover", "line_precision",
    "line_rank", "ruling_cover", "n_words", "top_final", "head_share",
)


# Evidence that can only help a candidate (+1) or only hurt it (-1): monotone constraints
# keep the model from learning odd reversals from synthetic queries.
MONOTONE: dict[str, int] = {
    "lex_final_rel": 1, "lex_raw_rel": 1, "lex_rank": -1, "head_ev_rel": 1, "head_rank": -1,
    "chap_ev_rel": 1, "chap_rank": -1, "head_doc_rel": 1, "cover_sub": 1, "cover_any": 1,
    "syn_rel": 1, "attr_agree": 1, "attr_conflict": -1, "line_cover": 1, "ruling_cover": 1,
    "head_share": 1,
}


def base_scores(matrix: np.ndarray) -> np.ndarray:
    """The lexical prior each model score is added to."""
    return BASE_WEIGHT * matrix[:, FEATURES.index("lex_final_rel")].astype(np.float64)


@dataclass
class SideEvidence:
    """National tariff lines and binding rulings, as word sets per HS 2022 subheading.

    ``exclude`` (a record key) lets training leave out the record a query was made from,
    so a tariff line never counts as evidence for itself.
    """

    lines: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)  # key, code
    rulings: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    postings: dict[str, list[int]] = field(default_factory=dict)  # stem → line numbers
    by_code: dict[str, list[int]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # line number → description
    norms: list[float] = field(default_factory=list)  # idf weight of each line's words

    @classmethod
    def build(cls, lines: list[tuple[str, str, str]],
              rulings: list[tuple[str, str, str]]) -> SideEvidence:
        """From (key, hs6, description) rows of tariff lines and rulings."""
        side = cls()
        df: dict[str, int] = defaultdict(int)
        for key, code, text in lines:
            stems = frozenset(analyse(text))
            if not stems:
                continue
            n = len(side.lines)
            side.lines.append((key, code, stems))
            side.texts[n] = text
            side.by_code.setdefault(code, []).append(n)
            for s in stems:
                side.postings.setdefault(s, []).append(n)
        for key, code, text in rulings:
            stems = frozenset(analyse(text))
            if stems:
                side.rulings.setdefault(code, []).append((key, stems))
                for s in stems:
                    df[s] += 1
        for s, ids in side.postings.items():
            df[s] += len(ids)
        total = len(side.lines) + sum(len(v) for v in side.rulings.values()) or 1
        side.idf = {s: math.log(1.0 + total / (d + 0.5)) for s, d in df.items()}
        side.norms = [sum(side.idf.get(s, 0.0) for s in stems) or 1.0
                      for _k, _c, stems in side.lines]
        return side

    def best_lines(self, qstems: frozenset[str], exclude: str | None,
                   k: int = LINE_CANDIDATES) -> list[tuple[str, float, float, int]]:
        """Codes whose lines best cover the query: (code, cover, precision, line no)."""
        total = sum(self.idf.get(s, 0.0) for s in qstems) or 1.0
        acc: dict[int, float] = defaultdict(float)
        for s in qstems:
            ids = self.postings.get(s, ())
            if len(ids) > MAX_LINE_DF:
                continue
            w = self.idf.get(s, 0.0)
            for n in ids:
                acc[n] += w
        best: dict[str, tuple[float, float, int]] = {}
        floor = 0.25 * total
        for n, w in acc.items():
            if w < floor:
                continue
            key, code, _stems = self.lines[n]
            if key == exclude:
                continue
            cover = w / total
            prec = w / self.norms[n]
            if code not in best or (cover, prec) > best[code][:2]:
                best[code] = (cover, prec, n)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0] - 0.5 * kv[1][1], kv[0]))
        return [(code, c, p, n) for code, (c, p, n) in ranked[:k]]

    def ruling_cover(self, code: str, qstems: frozenset[str], exclude: str | None) -> float:
        total = sum(self.idf.get(s, 0.0) for s in qstems) or 1.0
        best = 0.0
        for key, stems in self.rulings.get(code, ()):
            if key == exclude:
                continue
            best = max(best, sum(self.idf.get(s, 0.0) for s in qstems & stems) / total)
        return best


@dataclass
class Extracted:
    docs: list[int]
    matrix: np.ndarray  # len(docs) × len(FEATURES), float32
    lines: dict[str, tuple[float, float, int]]  # code → best national line evidence


def query_stems(index: FinderIndex, scored: Scored) -> frozenset[str]:
    """Stems for side evidence: the typed words, known to the nomenclature or not."""
    return frozenset(scored.parsed.typed) | frozenset(analyse(scored.text))


def candidates(index: FinderIndex, scored: Scored,
               line_codes: Sequence[str] = ()) -> list[int]:
    docs = [doc for doc, _s in scored.ranked[:POOL]]
    seen = set(docs)
    heads: list[str] = []
    for doc, _s in scored.ranked:
        h = index.codes[doc][:4]
        if h not in heads:
            heads.append(h)
        if len(heads) >= SIBLING_HEADINGS:
            break
    added = 0
    for h in heads:
        for doc in index.children.get(h, []):
            if doc not in seen and added < MAX_SIBLINGS:
                docs.append(doc)
                seen.add(doc)
                added += 1
    for code in line_codes:
        found = index.doc_of.get(code)
        if found is not None and found not in seen:
            docs.append(found)
            seen.add(found)
    return docs


def extract(index: FinderIndex, scored: Scored, side: SideEvidence | None = None,
            exclude: str | None = None) -> Extracted:
    """The candidate list and its feature matrix for one query."""
    parsed = scored.parsed
    qstems = query_stems(index, scored) if side is not None else frozenset()
    line_hits = side.best_lines(qstems, exclude) if side is not None else []
    lines = {code: (c, p, n) for code, c, p, n in line_hits}
    line_rank = {code: r for r, (code, _c, _p, _n) in enumerate(line_hits)}
    docs = candidates(index, scored, [code for code, *_r in line_hits])

    top_final = scored.ranked[0][1] if scored.ranked else 1.0
    top_final = top_final or 1.0
    top_raw = max(scored.raw.values(), default=1.0) or 1.0
    lex_rank = {doc: r for r, (doc, _s) in enumerate(scored.ranked)}
    head_ev = scored.head_ev
    max_head = max(head_ev.values(), default=1.0) or 1.0
    head_order = {h: r for r, h in enumerate(sorted(head_ev, key=lambda h: -head_ev[h]))}
    chap_ev = scored.chap_ev
    max_chap = max(chap_ev.values(), default=1.0) or 1.0
    chap_order = {c: r for r, c in enumerate(sorted(chap_ev, key=lambda c: -chap_ev[c]))}
    max_hdoc = max(scored.head_doc.values(), default=1.0) or 1.0
    max_syn = max(scored.syn_strength.values(), default=1.0) or 1.0
    pool = [doc for doc, _s in scored.ranked[:POOL]]
    in_heading: dict[str, list[int]] = defaultdict(list)
    for doc in pool:
        in_heading[index.codes[doc][:4]].append(doc)
    head_best: dict[str, float] = {}
    for doc, sc in scored.ranked:
        head_best.setdefault(index.codes[doc][:4], sc)
    temperature = max(0.15 * top_final, 1e-6)
    share_total = sum(math.exp((v - top_final) / temperature) for v in head_best.values()) or 1.0

    weights = parsed.weights
    typed = [s for s in dict.fromkeys(parsed.stems) if s in parsed.typed]
    qw = {s: index.idf.get(s, 0.0) * weights.get(s, 1.0) for s in typed}
    q_total = sum(qw.values()) or 1.0
    head = parsed.head
    wants_parts = float(bool({"part", "spare", "compon", "accessori"} & set(typed)))
    q_attr = attributes.features(scored.text)
    n_words = float(parsed.n_words)

    rows = np.zeros((len(docs), len(FEATURES)), dtype=np.float32)
    for i, doc in enumerate(docs):
        code = index.codes[doc]
        h = code[:4]
        matched = set(scored.matched.get(doc, ()))
        sub_hit = [s for s in matched if doc in index.sub_postings.get(s, ())]
        cover_sub = sum(qw.get(s, 0.0) for s in sub_hit) / q_total
        cover_any = sum(qw.get(s, 0.0) for s in matched) / q_total
        siblings = index.children.get(h, [])
        heading_docs = in_heading.get(h, [])
        syn_ids = scored.syn_hits.get(doc, [])
        c_attr = attributes.features(index.descriptions.get(code, ""))
        agree = conflict = extra = 0
        for fam, vals in c_attr.items():
            qv = q_attr.get(fam)
            if qv is None:
                extra += 1
            elif qv & vals:
                agree += 1
            else:
                conflict += 1
        line = lines.get(code)
        ruling = side.ruling_cover(code, qstems, exclude) if side is not None else 0.0
        rows[i] = (
            scored.final.get(doc, 0.0) / top_final,
            scored.raw.get(doc, 0.0) / top_raw,
            math.log1p(lex_rank.get(doc, 400)),
            float(doc in lex_rank and lex_rank[doc] < POOL),
            head_ev.get(h, 0.0) / max_head,
            math.log1p(head_order.get(h, 200)),
            chap_ev.get(code[:2], 0.0) / max_chap,
            math.log1p(chap_order.get(code[:2], 100)),
            scored.head_doc.get(h, 0.0) / max_hdoc,
            float(len(heading_docs)),
            float(heading_docs.index(doc) if doc in heading_docs else len(heading_docs)),
            float(doc in index.residual),
            float(doc in index.parts),
            wants_parts,
            math.log1p(len(siblings)),
            float(len(siblings) == 1),
            float(code[5] == "0"),
            float(index.sub_len[doc]),
            cover_sub,
            cover_any,
            cover_any - cover_sub,
            float(max(0, index.sub_len[doc] - len(sub_hit))),
            float(head is not None and head in sub_hit),
            float(head is not None and head in matched),
            float(head is not None and head not in matched),
            scored.syn_strength.get(doc, 0.0) / max_syn,
            float(len(syn_ids)),
            float(any(index.synonyms[si].source != "Tradewind synonyms" for si in syn_ids)),
            float(any(doc in index.negated.get(s, ()) for s in typed)),
            float(agree), float(conflict), float(extra),
            line[0] if line else 0.0,
            line[1] if line else 0.0,
            float(line_rank.get(code, LINE_CANDIDATES + 2)),
            ruling,
            n_words,
            top_final,
            math.exp((head_best.get(h, 0.0) - top_final) / temperature) / share_total
            if h in head_best else 0.0,
        )
    return Extracted(docs, rows, lines)

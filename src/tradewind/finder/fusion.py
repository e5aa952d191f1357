"""Fusion of the lexical ranking with semantic (dense) retrieval.

Weighted reciprocal-rank fusion: a subheading's fused score is
``W_LEX / (K + lexical rank) + W_DENSE / (K + dense rank)``; the lexical engine keeps more
weight because its evidence (nomenclature words, synonyms) is precise, the dense side
adds candidates whose wording differs from the query.  Every candidate's explanation
gains its semantic similarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradewind.finder.dense import DenseIndex, get_dense
from tradewind.finder.engine import Candidate, FinderResult, Scored, _path, search_index
from tradewind.finder.index import FinderIndex

if TYPE_CHECKING:
    from tradewind.finder.sentence import SemanticIndex

K_RRF = 10.0
W_LEX = 1.0
W_DENSE = 0.5
POOL = 50


def fuse(index: FinderIndex, dense: DenseIndex, query: str, limit: int = 10,
         *, w_lex: float = W_LEX, w_dense: float = W_DENSE) -> FinderResult:
    """Lexical result re-ranked with dense evidence (``w_lex=0``: dense only)."""
    result = search_index(index, query, limit=POOL)
    if result.is_code:
        result.candidates = result.candidates[:limit]
        return result
    hits = dense.search(result.query, POOL)
    dense_rank = {doc: r for r, (doc, _s) in enumerate(hits)}
    lex = {c.code: (r, c) for r, c in enumerate(result.candidates)}
    docs = {index.doc_of[c] for c in lex} | set(dense_rank)
    sims = dense.similarity(result.query, sorted(docs))
    fused: dict[int, float] = {}
    for doc in docs:
        code = index.codes[doc]
        score = 0.0
        if code in lex:
            score += w_lex / (K_RRF + lex[code][0] + 1)
        if doc in dense_rank:
            score += w_dense / (K_RRF + dense_rank[doc] + 1)
        fused[doc] = score
    order = sorted(fused, key=lambda d: (-fused[d], index.codes[d]))[:limit]
    candidates = []
    for doc in order:
        code = index.codes[doc]
        sim = sims.get(doc, 0.0)
        if code in lex:
            cand = lex[code][1]
        else:
            cand = Candidate(code=code, description=index.descriptions[code], score=0.0,
                             path=_path(index, code), reason="similar in meaning")
        cand.semantic = round(sim, 3)
        cand.reason = f"{cand.reason}; semantic similarity {sim:.2f}"
        cand.score = round(fused[doc], 5)
        candidates.append(cand)
    result.candidates = candidates
    return result


def search_fused(index: FinderIndex, query: str, limit: int = 10) -> FinderResult:
    """The default ranking: lexical + dense fused."""
    return fuse(index, get_dense(index), query, limit)


# --- score fusion with the sentence encoder (tradewind.finder.sentence) ---
# Chosen on the UK search references and extra_references.csv (global settings only):
# the lexical score (scaled to the best one) plus W_SEM × cosine similarity (≥ 0);
# the DENSE_K nearest subheadings join the lexical pool (candidate recall).
W_SEM = 1.0
DENSE_K = 20
DENSE_K_GUIDED = 80  # guided narrowing: its questions prune a wider pool
LEX_POOL = 50


@dataclass
class SemanticEvidence:
    """Fused scores for one query and each candidate's cosine similarity."""

    final: dict[int, float]
    ranked: list[tuple[int, float]]
    similarity: dict[int, float]
    dense_only: set[int]


def fuse_semantic(index: FinderIndex, sem: SemanticIndex, scored: Scored | None,
                  text: str, *, w_sem: float = W_SEM, dense_k: int = DENSE_K,
                  w_lex: float = 1.0) -> SemanticEvidence:
    """Lexical evidence (may be None: no known word) fused with sentence similarity."""
    sims = sem.query_similarities(text)
    lex = dict(scored.final) if scored is not None else {}
    top = max(lex.values(), default=0.0) or 1.0
    lex_pool = [d for d, _s in scored.ranked[:LEX_POOL]] if scored is not None else []
    k = min(dense_k, len(sims))
    near = [int(d) for d in np.argpartition(-sims, k - 1)[:k]] if k else []
    pool = list(dict.fromkeys(lex_pool + near))
    final = {d: w_lex * lex.get(d, 0.0) / top + w_sem * max(float(sims[d]), 0.0) for d in pool}
    ranked = sorted(final.items(), key=lambda kv: (-kv[1], index.codes[kv[0]]))
    return SemanticEvidence(final, ranked, {d: float(sims[d]) for d in pool},
                            set(near) - set(lex_pool))

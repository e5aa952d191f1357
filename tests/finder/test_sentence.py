"""Sentence-encoder retrieval: vector cache, fusion with the lexical ranking, explanations.

A small fake encoder (bag of word families) stands in for MiniLM, so these tests check the
plumbing, not the model's quality.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tradewind.db import Database
from tradewind.finder.engine import search_index
from tradewind.finder.fusion import fuse_semantic
from tradewind.finder.index import FinderIndex, get_index
from tradewind.finder.sentence import SemanticIndex, build_semantic, cache_key, doc_texts


class FakeTextEncoder:
    """A text's vector is the sum of fixed random vectors of its words (unit length)."""

    model_id = "fake-bag-of-words"
    dim = 32

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0
        self._rng = np.random.default_rng(1)
        self._vectors: dict[str, np.ndarray] = {}
        for family, words in (("coffee", ("coffee", "espresso", "arabica")),
                              ("sofa", ("sofa", "seats", "couch"))):
            base = self._rng.normal(size=self.dim)
            for word in words:
                self._vectors[word] = base
            self._vectors[family] = base

    def _word(self, word: str) -> np.ndarray:
        if word not in self._vectors:
            self._vectors[word] = self._rng.normal(size=self.dim)
        return self._vectors[word]

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            words = [w.strip(",;.()").lower() for w in text.split()]
            vec = sum((self._word(w) for w in words if w), np.zeros(self.dim))
            out[i] = vec / max(float(np.linalg.norm(vec)), 1e-9)
        return out


@pytest.fixture(scope="module")
def index(hs_db: Database) -> FinderIndex:
    return get_index(hs_db)


def test_vectors_are_cached_per_nomenclature_text(index: FinderIndex, tmp_path: Path) -> None:
    enc = FakeTextEncoder()
    first = build_semantic(index, enc, tmp_path)
    assert first.matrix.shape == (len(index.codes), enc.dim)
    assert not first.from_cache
    assert len(list(tmp_path.glob("finder-vectors-*.npy"))) == 1
    encoded = enc.texts
    second = build_semantic(index, enc, tmp_path)
    assert second.from_cache and enc.texts == encoded  # loaded, not encoded again
    assert np.array_equal(first.matrix, second.matrix)


def test_cache_key_changes_with_the_text() -> None:
    enc = FakeTextEncoder()
    assert cache_key(enc, ["Coffee"]) != cache_key(enc, ["Coffee, roasted"])
    assert cache_key(enc, ["a", "b"]) != cache_key(enc, ["a b"])


def test_a_cache_file_of_another_shape_is_rebuilt(index: FinderIndex, tmp_path: Path) -> None:
    enc = FakeTextEncoder()
    key = cache_key(enc, doc_texts(index))
    np.save(tmp_path / f"finder-vectors-{key}.npy", np.zeros((3, enc.dim), np.float32))
    sem = build_semantic(index, enc, tmp_path)
    assert not sem.from_cache
    assert sem.matrix.shape[0] == len(index.codes)


def test_dense_neighbours_join_the_lexical_pool(index: FinderIndex) -> None:
    sem = build_semantic(index, FakeTextEncoder(), None)
    from tradewind.finder.engine import score_query

    scored = score_query(index, "espresso arabica")
    ev = fuse_semantic(index, sem, scored, "espresso arabica", dense_k=20)
    codes = {index.codes[d] for d in ev.dense_only}
    assert any(c.startswith("0901") for c in {index.codes[d] for d, _ in ev.ranked[:20]})
    assert ev.dense_only <= set(ev.final)
    assert all(index.codes[d] in codes for d in ev.dense_only)
    assert len(ev.similarity) == len(ev.final)


def test_search_explains_semantic_evidence(index: FinderIndex) -> None:
    sem = build_semantic(index, FakeTextEncoder(), None)
    saved = index.semantic
    index.semantic = sem
    try:
        result = search_index(index, "roasted coffee", limit=5)
        plain = search_index(index, "roasted coffee", limit=5, semantic=False)
    finally:
        index.semantic = saved
    top = result.candidates[0]
    assert top.semantic is not None
    assert "similar in meaning" in top.reason
    assert all(c.semantic is None for c in plain.candidates)


def test_semantic_index_scores_every_subheading(index: FinderIndex) -> None:
    sem = SemanticIndex(FakeTextEncoder(), np.eye(len(index.codes), 32, dtype=np.float32), "k")
    sims = sem.query_similarities("coffee")
    assert sims.shape == (len(index.codes),)


def test_a_wider_dense_pool_only_adds_candidates(index: FinderIndex) -> None:
    from tradewind.finder.engine import score_query

    sem = build_semantic(index, FakeTextEncoder(), None)
    scored = score_query(index, "sofa seats")
    narrow = fuse_semantic(index, sem, scored, "sofa seats", dense_k=5)
    wide = fuse_semantic(index, sem, scored, "sofa seats", dense_k=40)
    assert set(narrow.final) <= set(wide.final)
    assert len(wide.dense_only) >= len(narrow.dense_only)

"""Dense retrieval and fusion on a tiny index built in code, with a fake piece encoder."""

from __future__ import annotations

import numpy as np
import pytest

from tradewind.finder.dense import DenseIndex, build_dense
from tradewind.finder.fusion import fuse
from tradewind.finder.index import FinderIndex


class FakeEncoder:
    """Words are pieces; a piece's vector is a fixed random vector of its word's family."""

    dim = 16
    FAMILY = {"coffee": 0, "espresso": 0, "tea": 1, "shirt": 2, "tshirt": 2, "cotton": 3}

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.calls = 0
        rng = np.random.default_rng(0)
        self.base = rng.normal(size=(8, self.dim)).astype(np.float32)

    def tokenize(self, text: str) -> list[int]:
        words = [w.strip(",;.").lower() for w in text.split()]
        return [self.vocab.setdefault(w, len(self.vocab)) for w in words if w]

    def encode_pieces(self, ids: list[int]) -> np.ndarray:
        self.calls += 1
        names = {v: k for k, v in self.vocab.items()}
        rows = []
        for i in ids:
            fam = self.FAMILY.get(names[i], 4 + i % 4)
            rows.append(self.base[fam] + 0.01 * i)
        return np.asarray(rows, np.float32)


def _index() -> FinderIndex:
    ix = FinderIndex(edition="HS2022", signature="t")
    for code, text in (("09", "Coffee, tea"), ("0901", "Coffee"), ("090121", "Coffee roasted"),
                       ("0902", "Tea"), ("090210", "Green tea"), ("61", "Apparel knitted"),
                       ("6109", "Shirt knitted"), ("610910", "Of cotton")):
        ix.descriptions[code] = text
    for code in ("090121", "090210", "610910"):
        ix.doc_of[code] = len(ix.codes)
        ix.codes.append(code)
    return ix


def test_dense_finds_the_semantically_close_subheading() -> None:
    dense = build_dense(_index(), FakeEncoder())
    assert isinstance(dense, DenseIndex)
    assert dense.matrix.shape == (3, 16)
    top = dense.search("espresso", 3)  # "espresso" is unknown: encoded once, then memoised
    assert top[0][0] == 0  # 0901.21 coffee
    assert top[0][1] > top[1][1]


def test_known_pieces_do_not_call_the_encoder_at_query_time() -> None:
    enc = FakeEncoder()
    dense = build_dense(_index(), enc)
    calls = enc.calls
    dense.search("green tea", 2)
    assert enc.calls == calls


def test_fusion_explains_semantic_similarity(monkeypatch: pytest.MonkeyPatch) -> None:
    from tradewind.finder.engine import FinderResult

    ix = _index()
    dense = build_dense(ix, FakeEncoder())
    import tradewind.finder.fusion as fusion

    def lexical(index: FinderIndex, query: str, limit: int = 10) -> FinderResult:
        return FinderResult(query=query, candidates=[], headings=[], chapters=[], terms=[])

    monkeypatch.setattr(fusion, "search_index", lexical)
    result = fuse(ix, dense, "cotton shirt", 3)
    assert result.candidates[0].code == "610910"
    assert result.candidates[0].semantic is not None
    assert "semantic similarity" in result.candidates[0].reason

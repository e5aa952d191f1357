"""Training the finder's reranker from data the product may use, and only that.

Sources, each listed with its provenance in the stored model:

* **nomenclature** — a query made from each sampled HS 2022 subheading's own text
  (some words dropped, the heading's product word moved to the end, as shop titles do);
* **tariff lines** — descriptions of imported national tariff lines (never the SAMPLE
  schedules, which copy the nomenclature), with or without the product word of their
  subheading; the line itself is left out of the side evidence of its own query;
* **rulings** — imported binding rulings' descriptions → their HS 2022 code (the ruling
  is left out of its own evidence);
* **confirmations** — advisors' confirmed or corrected descriptions;
* optionally a portal's own labelled CSV (``--queries``).  Evaluation files are refused:
  the path or the contents of a benchmark's labels file (``labelled_dev.csv``) never
  reach training (:func:`refuse_evaluation_file`).

Imported search references are not used as training queries: they are already terms of
the index, so each would find itself; they count through the synonym features.

Everything is read from the database in a fixed order and sampled by a hash of each
record's key, so SQLite and PostgreSQL train the same model.  One query in ten (by a hash
of its heading) is held out to choose the number of trees and to report how the model
does on data it did not see.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select

from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder.engine import score_query
from tradewind.finder.features import (
    FEATURE_VERSION,
    FEATURES,
    MONOTONE,
    SideEvidence,
    base_scores,
    extract,
)
from tradewind.finder.index import FinderIndex, forget_index, get_index
from tradewind.finder.rerank import line_key
from tradewind.finder.text import analyse
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import DEFAULT_EDITION

# Evaluation sets: their file names are refused as training input, whatever the folder.
EVALUATION_NAMES = frozenset({"labelled_dev.csv"})
NOMENCLATURE_QUERIES = 2500  # `tradewind finder train`
LINE_QUERIES = 5000
INIT_NOMENCLATURE_QUERIES = 1200  # `tradewind init` (≤ 60 s for the finder)
INIT_LINE_QUERIES = 800
HOLDOUT = 10  # one heading in HOLDOUT is held out
PARAMS: dict[str, Any] = {
    "objective": "lambdarank", "metric": "ndcg", "eval_at": [1, 5], "learning_rate": 0.05,
    "num_leaves": 7, "min_data_in_leaf": 100, "feature_fraction": 0.7, "lambda_l2": 10.0,
    "monotone_constraints": [MONOTONE.get(f, 0) for f in FEATURES],
    "monotone_constraints_method": "advanced",
    "lambdarank_truncation_level": 20, "deterministic": True, "force_row_wise": True,
    "num_threads": 1, "seed": 7, "verbose": -1,
}
MAX_TREES = 300
_GENERIC = frozenset({"other", "female", "male", "females", "males", "new", "used"})


@dataclass(frozen=True)
class TrainingQuery:
    text: str
    code: str  # HS 2022 subheading
    source: str  # nomenclature | tariff-lines | rulings | confirmations | file
    key: str  # the record it came from (left out of its own side evidence)


@dataclass
class TrainingReport:
    queries: int
    used: int
    sources: list[dict[str, Any]]
    heldout: dict[str, float]
    trees: int
    seconds: float
    model_id: int | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"queries": self.queries, "used": self.used, "sources": self.sources,
                "heldout": self.heldout, "trees": self.trees, "seconds": self.seconds,
                "model_id": self.model_id, "feature_version": FEATURE_VERSION}


def _h(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _sample(items: list[TrainingQuery], n: int) -> list[TrainingQuery]:
    """A deterministic sample of ``n`` items (by a hash of their keys)."""
    if len(items) <= n:
        return items
    return sorted(items, key=lambda q: _h(q.key))[:n]


def refuse_evaluation_file(path: Path, evaluation: list[Path] | None = None) -> None:
    """Raise if ``path`` is an evaluation labels file (by name, path or contents)."""
    resolved = path.resolve()
    if path.name in EVALUATION_NAMES:
        raise InvalidInput(N_("%(file)s is an evaluation file; it cannot be used for "
                              "training."), file=path.name, field="queries")
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    for other in evaluation or []:
        if other.resolve() == resolved or (
                other.is_file() and hashlib.sha256(other.read_bytes()).hexdigest() == digest):
            raise InvalidInput(N_("%(file)s is an evaluation file; it cannot be used for "
                                  "training."), file=path.name, field="queries")


def _words(text: str) -> list[str]:
    return [w for w in text.replace(";", " ").replace(",", " ").split() if w]


def _noisy(index: FinderIndex, text: str, key: str) -> str:
    """Two queries in three get 1–3 words of unrelated nomenclature text, as shop titles
    and rulings carry words that are not about the good ("kitchen toys coffee machine")."""
    rnd = _h("noise:" + key)
    if rnd % 3 == 0 or not index.codes:
        return text
    words = []
    for i in range(1 + (rnd >> 4) % 3):
        code = index.codes[(rnd >> (8 + 7 * i)) % len(index.codes)]
        pool = _words(index.descriptions[code].partition(";")[2]) or \
            _words(index.descriptions[code])
        words.append(pool[(rnd >> (30 + i)) % len(pool)].lower())
    noise = " ".join(words)
    return f"{text} {noise}" if (rnd >> 3) & 1 else f"{noise} {text}"


def nomenclature_queries(index: FinderIndex) -> list[TrainingQuery]:
    """One query per subheading from its own text, reordered and thinned like a title."""
    out = []
    for code in index.codes:
        desc = index.descriptions[code]
        head, _sep, rest = desc.partition(";")
        words = _words(rest) or _words(head)
        rnd = _h("nom:" + code)
        kept = [w for i, w in enumerate(words) if (rnd >> (i % 60)) & 3 or len(words) <= 3]
        product = _words(head)[:3] if rest else []
        text = " ".join(kept + product) if (rnd >> 61) & 1 else " ".join(product + kept)
        if analyse(text):
            text = _noisy(index, text, "nom:" + code)
            out.append(TrainingQuery(text[:300], code, "nomenclature", "nom:" + code))
    return out


def _informative(text: str) -> bool:
    low = text.lower()
    if low.startswith("described in") or "u.s. note" in low or "statistical note" in low:
        return False
    stems = [s for s in analyse(text) if s not in _GENERIC and not s.isdigit()]
    return len(stems) >= 1 and not (low.startswith("other") and len(stems) < 2)


def line_queries(conn: Connection, index: FinderIndex) -> tuple[list[TrainingQuery],
                                                                 list[dict[str, Any]]]:
    """Queries from imported national tariff lines, with one provenance entry per schedule."""
    from tradewind.tariffs.models import tariff_lines, tariff_schedules

    out: list[TrainingQuery] = []
    sources = []
    schedules = conn.execute(select(tariff_schedules.c.id, tariff_schedules.c.name,
                                    tariff_schedules.c.dataset_id)
                             .where(tariff_schedules.c.source_format != "sample")
                             .order_by(tariff_schedules.c.id)).all()
    for sched in schedules:
        n = 0
        for r in conn.execute(select(tariff_lines.c.id, tariff_lines.c.hs6,
                                     tariff_lines.c.national_code, tariff_lines.c.description)
                              .where(tariff_lines.c.schedule_id == sched.id)
                              .order_by(tariff_lines.c.id)):
            if r.hs6 not in index.doc_of or not _informative(r.description):
                continue
            key = line_key(sched.name, r.national_code)  # the same on every backend
            product = _words(index.descriptions[r.hs6].partition(";")[0])[:3]
            text = r.description
            if _h(key) & 1:
                text = f"{text} {' '.join(product)}" if _h(key) & 2 else \
                    f"{' '.join(product)} {text}"
            out.append(TrainingQuery(_noisy(index, text, key)[:300], r.hs6, "tariff-lines", key))
            n += 1
        sources.append({"source": "tariff-lines", "schedule": sched.name,
                        "dataset_id": sched.dataset_id, "usable_lines": n})
    return out, sources


def ruling_queries(conn: Connection, index: FinderIndex) -> list[TrainingQuery]:
    from tradewind.finder.models import finder_rulings

    return [TrainingQuery(r.description[:300], r.code, "rulings", f"ruling:{r.reference}")
            for r in conn.execute(select(finder_rulings.c.reference, finder_rulings.c.code,
                                         finder_rulings.c.description)
                                  .order_by(finder_rulings.c.id))
            if r.code in index.doc_of and analyse(r.description)]


def confirmation_queries(conn: Connection, index: FinderIndex) -> list[TrainingQuery]:
    from tradewind.finder.models import finder_confirmations

    return [TrainingQuery(r.description[:300], r.code, "confirmations",
                          f"confirmation:{r.code}:{r.description[:200]}")
            for r in conn.execute(select(finder_confirmations.c.id, finder_confirmations.c.code,
                                         finder_confirmations.c.description)
                                  .order_by(finder_confirmations.c.id))
            if r.code in index.doc_of]


def file_queries(path: Path, index: FinderIndex) -> list[TrainingQuery]:
    from tradewind.finder.benchmark import read_labels

    refuse_evaluation_file(path)
    return [TrainingQuery(_noisy(index, r.description, f"file:{path.name}:{r.line}")[:300],
                          r.code[:6], "file", f"file:{path.name}:{r.line}")
            for r in read_labels(path) if r.code[:6] in index.doc_of]


def gather(conn: Connection, index: FinderIndex, *, nomenclature: int, lines: int,
           queries_file: Path | None = None) -> tuple[list[TrainingQuery], list[dict[str, Any]]]:
    """All training queries and the list of their sources (with provenance)."""
    nom = _sample(nomenclature_queries(index), nomenclature)
    sources: list[dict[str, Any]] = [{"source": "nomenclature", "edition": index.edition,
                                      "queries": len(nom)}]
    found, line_sources = line_queries(conn, index)
    tl = _sample(found, lines)
    sources += line_sources
    sources.append({"source": "tariff-lines (sampled)", "queries": len(tl)})
    rul = ruling_queries(conn, index)
    sources.append({"source": "rulings", "queries": len(rul)})
    conf = confirmation_queries(conn, index)
    sources.append({"source": "confirmations", "queries": len(conf)})
    extra: list[TrainingQuery] = []
    if queries_file is not None:
        extra = file_queries(queries_file, index)
        sources.append({"source": "file", "file": queries_file.name, "queries": len(extra)})
    return nom + tl + rul + conf + extra, sources


def data_signature(conn: Connection, edition: str) -> str:
    """Fingerprint of the training data: retrain at init when it changes."""
    from tradewind.finder.index import _model_inputs, _signature
    from tradewind.finder.models import finder_confirmations

    conf = conn.execute(select(func.count(), func.max(finder_confirmations.c.id))).one()
    raw = (f"{_signature(conn, edition, model=False)}|{_model_inputs(conn)[1:]}|{tuple(conf)}"
           f"|{FEATURE_VERSION}")
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _labels(index: FinderIndex, docs: list[int], code: str) -> np.ndarray:
    out = np.zeros(len(docs), dtype=np.int32)
    for i, doc in enumerate(docs):
        c = index.codes[doc]
        out[i] = 3 if c == code else (1 if c[:4] == code[:4] else 0)
    return out


def build_matrix(index: FinderIndex, side: SideEvidence | None,
                 queries: list[TrainingQuery]) -> tuple[np.ndarray, np.ndarray, list[int],
                                                        list[TrainingQuery], list[float]]:
    """Features, labels and group sizes; queries with no candidate are dropped."""
    mats, labels, groups, kept, lex_top1 = [], [], [], [], []
    for q in queries:
        scored = score_query(index, q.text)
        if scored is None:
            continue
        ex = extract(index, scored, side, exclude=q.key)
        y = _labels(index, ex.docs, q.code)
        if not ex.docs or y.max() == 0:
            continue
        mats.append(ex.matrix)
        labels.append(y)
        groups.append(len(ex.docs))
        kept.append(q)
        lex_top1.append(float(index.codes[scored.ranked[0][0]] == q.code))
    if not mats:
        return np.zeros((0, len(FEATURES)), np.float32), np.zeros(0, np.int32), [], [], []
    return np.vstack(mats), np.concatenate(labels), groups, kept, lex_top1


def _top1(scores: np.ndarray, labels: np.ndarray, groups: list[int]) -> float:
    hits, start = 0, 0
    for g in groups:
        s, y = scores[start:start + g], labels[start:start + g]
        hits += int(y[int(np.argmax(s))] == 3)
        start += g
    return 100.0 * hits / max(len(groups), 1)


def fit(x: np.ndarray, y: np.ndarray, groups: list[int], holdout: list[bool]
        ) -> tuple[Any, dict[str, float], int]:
    """Train on the kept queries, choose the number of trees on the held-out ones."""
    import lightgbm

    mask_rows = np.repeat(np.array(holdout, dtype=bool), groups)
    g_train = [g for g, h in zip(groups, holdout, strict=True) if not h]
    g_val = [g for g, h in zip(groups, holdout, strict=True) if h]
    train = lightgbm.Dataset(x[~mask_rows], y[~mask_rows], group=g_train,
                             init_score=base_scores(x[~mask_rows]),
                             feature_name=list(FEATURES), free_raw_data=False)
    callbacks: list[Any] = []
    valid_sets = []
    if g_val:
        valid = lightgbm.Dataset(x[mask_rows], y[mask_rows], group=g_val, reference=train,
                                 init_score=base_scores(x[mask_rows]))
        valid_sets = [valid]
        callbacks.append(lightgbm.early_stopping(30, first_metric_only=True, verbose=False))
    booster = lightgbm.train(PARAMS, train, num_boost_round=MAX_TREES, valid_sets=valid_sets,
                             callbacks=callbacks)
    figures: dict[str, float] = {}
    if g_val:
        pred = booster.predict(x[mask_rows], num_iteration=booster.best_iteration or None) \
            + base_scores(x[mask_rows])
        figures["heldout_queries"] = float(len(g_val))
        figures["heldout_hs6_top1_reranked"] = round(_top1(pred, y[mask_rows], g_val), 1)
    trees = booster.best_iteration or booster.current_iteration()
    return booster, figures, int(trees)


def train(db: Database, *, edition: str = DEFAULT_EDITION,
          nomenclature: int = NOMENCLATURE_QUERIES, lines: int = LINE_QUERIES,
          queries_file: Path | None = None) -> TrainingReport:
    """Train a reranker from the database's own data and store it with its provenance."""
    from tradewind.finder.models import finder_models
    from tradewind.finder.rerank import lightgbm_available, side_evidence

    if not lightgbm_available():
        raise InvalidInput(N_("LightGBM is not installed; the finder keeps its lexical "
                              "ranking."))
    started = time.perf_counter()
    with db.connect() as conn:
        index = get_index(db, edition)  # scoring the queries never uses its reranker
        queries, sources = gather(conn, index, nomenclature=nomenclature, lines=lines,
                                  queries_file=queries_file)
        side = side_evidence(conn)
        signature = data_signature(conn, edition)
    x, y, groups, kept, lex_top1 = build_matrix(index, side, queries)
    if len(groups) < 20:
        raise InvalidInput(N_("Too little training data (%(n)s usable queries)."), n=len(groups))
    holdout = [_h("heading:" + q.code[:4]) % HOLDOUT == 0 for q in kept]
    booster, figures, trees = fit(x, y, groups, holdout)
    held = [t for t, h in zip(lex_top1, holdout, strict=True) if h]
    if held:
        figures["heldout_hs6_top1_lexical"] = round(100.0 * sum(held) / len(held), 1)
    booster.best_iteration = trees
    model_text = booster.model_to_string(num_iteration=trees)
    seconds = round(time.perf_counter() - started, 1)
    provenance = {"sources": sources, "queries": len(queries), "used": len(groups),
                  "heldout": figures, "trees": trees, "params": PARAMS,
                  "feature_version": FEATURE_VERSION, "features": list(FEATURES),
                  "side_evidence": {"tariff_lines": len(side.lines) if side else 0,
                                    "rulings": sum(len(v) for v in side.rulings.values())
                                    if side else 0},
                  "data_signature": signature, "seconds": seconds}
    with db.transaction() as conn:
        model_id = conn.execute(insert(finder_models).values(
            kind="reranker", edition=edition, feature_version=FEATURE_VERSION,
            data_signature=signature, trained_at=datetime.now(UTC),
            provenance=json.dumps(provenance, sort_keys=True), model=model_text)
            .returning(finder_models.c.id)).scalar_one()
    forget_index(db)
    return TrainingReport(len(queries), len(groups), sources, figures, trees, seconds, model_id)


def needs_training(db: Database, edition: str = DEFAULT_EDITION) -> bool:
    """No model with today's features was trained on the data as they are now."""
    from tradewind.finder.rerank import latest_model_row

    with db.connect() as conn:
        row = latest_model_row(conn, edition)
        return row is None or row.data_signature != data_signature(conn, edition)

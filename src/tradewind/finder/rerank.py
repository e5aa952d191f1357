"""The learned reranker: a LightGBM ranking model over the lexical candidates.

Why a model: the lexical engine adds its evidence with hand-set weights; a gradient-boosted
ranker trained on the portal's own data (nomenclature texts, imported national tariff
lines, rulings — see :mod:`tradewind.finder.training`) learns how much each piece is
worth.  It is stored in ``finder_models`` with its provenance, loaded in-process with the
finder index (:func:`load_reranker`), and the engine falls back to the lexical ranking
when no model exists, when its features are of an older version, or when LightGBM is
missing.  Prediction is one call on a ~60 × 39 matrix per query.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from tradewind.finder.engine import Scored
from tradewind.finder.features import (
    FEATURE_VERSION,
    FEATURES,
    SideEvidence,
    base_scores,
    extract,
)
from tradewind.finder.index import FinderIndex
from tradewind.i18n import gettext as _

log = logging.getLogger(__name__)

LINE_REASON = 0.6  # national-line cover above which the line is named in the reason


@dataclass
class Reranker:
    """A trained model, the side evidence it reads, and where it came from."""

    booster: Any  # lightgbm.Booster
    side: SideEvidence | None
    provenance: dict[str, Any]
    model_id: int = 0

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        raw = np.asarray(self.booster.predict(matrix, num_threads=1), dtype=np.float64)
        return raw + base_scores(matrix)

    def rerank(self, index: FinderIndex, scored: Scored
               ) -> tuple[dict[int, float], list[tuple[int, float]]]:
        """Candidates re-scored on the lexical scale (top score kept), best first."""
        ex = extract(index, scored, self.side)
        if not ex.docs:
            return scored.final, scored.ranked
        raw = self.scores(ex.matrix)
        top = scored.ranked[0][1] if scored.ranked else 1.0
        best = float(raw.max())
        final = {doc: float(top * math.exp(float(r) - best)) for doc, r in zip(ex.docs, raw,
                                                                                 strict=True)}
        scored.extra["lines"] = ex.lines
        ranked = sorted(final.items(), key=lambda kv: (-kv[1], index.codes[kv[0]]))
        return final, ranked

    def explain(self, index: FinderIndex, scored: Scored, doc: int) -> str:
        """A national tariff line that reads like the query, when one does."""
        lines = scored.extra.get("lines") or {}
        hit = lines.get(index.codes[doc])
        if not hit or hit[0] < LINE_REASON or self.side is None:
            return ""
        text = self.side.texts.get(hit[2], "")
        return _("national tariff line: “%(text)s”", text=text[:80]) if text else ""


def lightgbm_available() -> bool:
    try:
        import lightgbm  # noqa: F401
    except Exception:  # pragma: no cover - ImportError or a missing OpenMP runtime
        return False
    return True


def latest_model_row(conn: Connection, edition: str) -> Any:
    from tradewind.finder.models import finder_models

    return conn.execute(
        select(finder_models).where(finder_models.c.kind == "reranker",
                                    finder_models.c.edition == edition,
                                    finder_models.c.feature_version == FEATURE_VERSION)
        .order_by(finder_models.c.id.desc()).limit(1)).first()


def line_key(schedule: str, national_code: str) -> str:
    """A tariff line's key, from its content (ids may differ between backends)."""
    return f"line:{schedule}:{national_code}"


def side_evidence(conn: Connection) -> SideEvidence | None:
    """Tariff lines of imported (non-SAMPLE) schedules and binding rulings, if any."""
    from tradewind.finder.models import finder_rulings
    from tradewind.tariffs.models import tariff_lines, tariff_schedules

    lines = [(line_key(r.name, r.national_code), r.hs6, r.description) for r in conn.execute(
        select(tariff_schedules.c.name, tariff_lines.c.national_code, tariff_lines.c.hs6,
               tariff_lines.c.description)
        .join(tariff_schedules, tariff_schedules.c.id == tariff_lines.c.schedule_id)
        .where(tariff_schedules.c.source_format != "sample")
        .order_by(tariff_lines.c.id))]
    rulings = [(f"ruling:{r.reference}", r.code, r.description) for r in conn.execute(
        select(finder_rulings.c.reference, finder_rulings.c.code, finder_rulings.c.description)
        .order_by(finder_rulings.c.id))]
    if not lines and not rulings:
        return None
    return SideEvidence.build(lines, rulings)


def load_reranker(conn: Connection, edition: str) -> Reranker | None:
    """The newest model for ``edition`` with today's features, or None (lexical ranking)."""
    try:
        row = latest_model_row(conn, edition)
    except Exception as exc:  # table missing: database not migrated yet
        log.debug("no finder model table: %s", exc)
        return None
    if row is None or not lightgbm_available():
        return None
    import lightgbm

    booster = lightgbm.Booster(model_str=row.model)
    if booster.num_feature() != len(FEATURES):
        return None
    return Reranker(booster, side_evidence(conn), json.loads(row.provenance), row.id)

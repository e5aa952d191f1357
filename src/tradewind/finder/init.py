"""Init step: build the finder index, and train its reranker when the data changed."""

from __future__ import annotations

from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.finder.index import get_index
from tradewind.settings import Settings


def init_finder(db: Database, settings: Settings, report: Report) -> None:
    """Build (and cache in this process) the index; train the reranker if needed.

    The index is rebuilt in memory by each process from ``hs_codes`` rows, the synonym file
    and imported references, so SQLite and PostgreSQL rank the same.  The reranker is
    trained on a sample of the nomenclature and imported tariff lines (see
    :mod:`tradewind.finder.training`) when no stored model matches the data; a larger
    model can be trained after imports with ``tradewind finder train``.
    """
    index = get_index(db, force=True)
    report(f"  product finder: {len(index.codes)} subheadings, {len(index.synonyms)} terms "
           f"({index.reference_count} imported references), built in "
           f"{index.build_seconds:.1f} s")
    if index.semantic is not None:
        sem = index.semantic
        report(f"  product finder: semantic vectors {'loaded' if sem.from_cache else 'built'} "
               f"in {sem.build_seconds:.1f} s")
    if not (settings.finder_rerank and settings.finder_train_at_init):
        return
    from tradewind.finder.rerank import lightgbm_available
    from tradewind.finder.training import (
        INIT_LINE_QUERIES,
        INIT_NOMENCLATURE_QUERIES,
        needs_training,
        train,
    )

    if not lightgbm_available():
        report("  product finder: LightGBM missing, lexical ranking only")
        return
    if not needs_training(db):
        report("  product finder: reranker up to date")
        return
    result = train(db, nomenclature=INIT_NOMENCLATURE_QUERIES, lines=INIT_LINE_QUERIES)
    held = result.heldout
    report(f"  product finder: reranker trained on {result.used} queries in "
           f"{result.seconds:.1f} s (held-out HS6 first: "
           f"{held.get('heldout_hs6_top1_reranked', '–')}% vs lexical "
           f"{held.get('heldout_hs6_top1_lexical', '–')}%)")

"""``tradewind bench hs``: accuracy and latency of the finder on a labelled CSV.

Rows are scored on the first 2, 4 and 6 digits of their code.  A row whose 6-digit
prefix is not an HS 2022 subheading is counted in ``skipped`` and not scored (its HS2 and
HS4 are not scored either, so all levels share one denominator); 4-digit-only labels
are scored on HS2 and HS4 when the heading exists, and not on HS6.
"""

from __future__ import annotations

import csv
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from tradewind.db import Database
from tradewind.errors import ImportFailed, TradewindError
from tradewind.finder.engine import FinderResult, search_index
from tradewind.finder.index import FinderIndex, get_index
from tradewind.i18n import lazy_noop as N_

HEADER_PAIRS = (("description", "hs_code"), ("goods description", "commodity code"))


@dataclass
class LabelledRow:
    line: int
    description: str
    code: str  # digits only, 4 to 10 long


@dataclass
class BenchResult:
    """Percentages for top-1/top-5 at each level, latency, row counts."""

    hs2_top1: float
    hs2_top5: float
    hs4_top1: float
    hs4_top5: float
    hs6_top1: float
    hs6_top5: float
    p50_ms: float
    p95_ms: float
    n: int
    n_hs6: int
    skipped: int
    rows: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def read_labels(path: Path, description_column: str | None = None,
                code_column: str | None = None) -> list[LabelledRow]:
    """Rows of a labelled CSV; headers auto-detected (``description,hs_code`` or HMRC's)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(N_("file is not UTF-8 text"), file=str(path)) from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ImportFailed(N_("empty file"), file=str(path))
    lowered = [h.strip().lower() for h in header]
    if description_column and code_column:
        wanted = (description_column.strip().lower(), code_column.strip().lower())
    else:
        wanted = next((p for p in HEADER_PAIRS if p[0] in lowered and p[1] in lowered), ("", ""))
    if wanted[0] not in lowered or wanted[1] not in lowered:
        raise ImportFailed(N_("expected columns description,hs_code (or Goods Description,"
                           "Commodity Code); found %(header)s"), file=str(path), line=1, header=', '.join(header))
    di, ci = lowered.index(wanted[0]), lowered.index(wanted[1])
    rows = []
    for line, rec in enumerate(reader, start=2):
        if len(rec) <= max(di, ci):
            continue
        desc = rec[di].strip()
        code = "".join(ch for ch in rec[ci] if ch.isdigit())
        if desc and 4 <= len(code) <= 10:
            rows.append(LabelledRow(line, desc, code))
    return rows


def _percent(hits: int, n: int) -> float:
    return round(100.0 * hits / n, 1) if n else 0.0


def run_benchmark(index: FinderIndex, rows: list[LabelledRow], limit: int | None = None,
                  search: Callable[..., FinderResult] = search_index) -> BenchResult:
    """Search every row and score the top-5 at 2, 4 and 6 digits."""
    if limit:
        rows = rows[:limit]
    hits = {k: 0 for k in ("2_1", "2_5", "4_1", "4_5", "6_1", "6_5")}
    n = n6 = skipped = 0
    times: list[float] = []
    for row in rows:
        code = row.code
        if len(code) >= 6 and code[:6] not in index.doc_of:
            skipped += 1
            continue
        if len(code) < 6 and code[:4] not in index.descriptions:
            skipped += 1
            continue
        t0 = time.perf_counter()
        try:
            result = search(index, row.description, limit=5)
        except Exception:
            result = None
        times.append((time.perf_counter() - t0) * 1000)
        got = [c.code for c in result.candidates] if result else []
        n += 1
        for digits in (2, 4, 6):
            if digits == 6 and len(code) < 6:
                continue
            tops = [g[:digits] for g in got]
            want = code[:digits]
            hits[f"{digits}_1"] += int(bool(tops) and tops[0] == want)
            hits[f"{digits}_5"] += int(want in tops[:5])
        n6 += int(len(code) >= 6)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))] if times else 0.0
    return BenchResult(
        hs2_top1=_percent(hits["2_1"], n), hs2_top5=_percent(hits["2_5"], n),
        hs4_top1=_percent(hits["4_1"], n), hs4_top5=_percent(hits["4_5"], n),
        hs6_top1=_percent(hits["6_1"], n6), hs6_top5=_percent(hits["6_5"], n6),
        p50_ms=round(statistics.median(times), 2) if times else 0.0, p95_ms=round(p95, 2),
        n=n, n_hs6=n6, skipped=skipped, rows=len(rows),
    )


def bench_file(db: Database, path: Path, *, limit: int | None = None,
               description_column: str | None = None,
               code_column: str | None = None) -> BenchResult:
    """Benchmark the finder of ``db`` on a labelled CSV file."""
    rows = read_labels(path, description_column, code_column)
    index = get_index(db)
    return run_benchmark(index, rows, limit)


def translation_ms_per_query(rounds: int = 100) -> float:
    """Mean time to translate a French/Spanish query to English terms (target < 1 ms)."""
    from tradewind.finder.multilingual import to_english

    to_english("warm-up")
    queries = ["chaussures en cuir pour hommes", "camisetas de algodón", "roasted coffee"] * rounds
    started = time.perf_counter()
    for query in queries:
        to_english(query)
    return round((time.perf_counter() - started) * 1000 / len(queries), 4)


def bench_ablation(db: Database, path: Path, *, limit: int | None = None) -> dict[str, object]:
    """Lexical only, dense only, fused and reranked rankings on the same rows.

    Dense and fused need the optional ``semantic`` extra; without it they are reported
    as not measured.  "reranked" is the learned reranker stored in the database (the
    default ranking when one has been trained).
    """
    rows = read_labels(path)
    index = get_index(db)

    def lexical(ix: FinderIndex, q: str, limit: int = 5) -> FinderResult:
        return search_index(ix, q, limit, rerank=False, semantic=False)

    out: dict[str, object] = {}
    out["lexical"] = run_benchmark(index, rows, limit, search=lexical).as_dict()
    try:
        from tradewind.finder.dense import build_dense
        from tradewind.finder.fusion import W_DENSE, fuse

        started = time.perf_counter()
        dense = build_dense(index)
        out["dense_build_seconds"] = round(time.perf_counter() - started, 2)

        def dense_only(ix: FinderIndex, q: str, limit: int = 5) -> FinderResult:
            return fuse(ix, dense, q, limit, w_lex=0.0, w_dense=1.0)

        def fused(ix: FinderIndex, q: str, limit: int = 5) -> FinderResult:
            return fuse(ix, dense, q, limit, w_lex=1.0, w_dense=W_DENSE)

        out["dense"] = run_benchmark(index, rows, limit, search=dense_only).as_dict()
        out["fused"] = run_benchmark(index, rows, limit, search=fused).as_dict()
    except (ImportError, TradewindError) as exc:
        out["dense"] = out["fused"] = f"not measured: {exc} (pip install -e '.[semantic]')"
    out.update(_sentence_ablation(index, rows, limit))
    if index.reranker is not None:
        out["reranked"] = run_benchmark(index, rows, limit).as_dict()
        out["reranker"] = {"model_id": index.reranker.model_id,
                           **{k: index.reranker.provenance.get(k)
                              for k in ("sources", "used", "heldout", "trees", "seconds")}}
    else:
        out["reranked"] = "not measured: no reranker trained (tradewind finder train)"
    try:
        import resource

        out["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except ImportError:  # pragma: no cover - not on POSIX
        pass
    return out


def _sentence_ablation(index: FinderIndex, rows: list[LabelledRow],
                       limit: int | None) -> dict[str, object]:
    """Dense-only and fused rankings with the full sentence encoder (finder.sentence)."""
    from tradewind.finder.engine import Candidate, _path
    from tradewind.finder.sentence import build_semantic, default_encoder
    from tradewind.settings import Settings

    out: dict[str, object] = {}
    try:
        started = time.perf_counter()
        sem = build_semantic(index, default_encoder(),
                             Path(Settings.load().finder_vector_cache))
    except (ImportError, TradewindError) as exc:
        msg = f"not measured: {exc} (pip install -e '.[semantic]')"
        return {"dense_sentence": msg, "fused_sentence": msg}
    out["sentence_vectors_seconds"] = round(time.perf_counter() - started, 2)
    out["sentence_vectors_from_cache"] = sem.from_cache

    def dense_only(ix: FinderIndex, q: str, limit: int = 5) -> FinderResult:
        sims = sem.query_similarities(q)
        top = sorted(range(len(sims)), key=lambda d: -sims[d])[:limit]
        cands = [Candidate(code=ix.codes[d], description=ix.descriptions[ix.codes[d]],
                           score=float(sims[d]), path=_path(ix, ix.codes[d]), reason="")
                 for d in top]
        return FinderResult(query=q, candidates=cands, headings=[], chapters=[], terms=[])

    def fused(ix: FinderIndex, q: str, limit: int = 5) -> FinderResult:
        return search_index(ix, q, limit, rerank=False)

    saved = index.semantic
    index.semantic = sem
    try:
        out["dense_sentence"] = run_benchmark(index, rows, limit, search=dense_only).as_dict()
        out["fused_sentence"] = run_benchmark(index, rows, limit, search=fused).as_dict()
    finally:
        index.semantic = saved
    return out

"""``tradewind bench hs --guided``: a simulated user answers the guided finder's questions.

For each labelled row the user answers every question truthfully from the labelled code:
for a chapter, heading or subheading question the option that is the code's own group
(else "other / don't know"); for an attribute question the option whose value the code's
own nomenclature text asserts (else "other / don't know").  The row succeeds when the
first candidate after the questions (at most three) is the labelled 6-digit subheading.
The simulated user never sees the labelled description's code otherwise, and nothing is
tuned per row.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tradewind.db import Database
from tradewind.finder import attributes
from tradewind.finder.benchmark import LabelledRow, read_labels
from tradewind.finder.guided import GROUPS, MAX_QUESTIONS, OTHER, Question, guided_search
from tradewind.finder.index import FinderIndex, get_index


@dataclass
class GuidedBench:
    n: int  # rows scored (6-digit label in HS 2022)
    skipped: int
    hs6_top1_before: float  # % right first guess before any question
    hs6_top1_guided: float  # % right first candidate within three questions
    hs6_top3_guided: float
    asked_share: float  # % of rows where at least one question was asked
    mean_questions: float
    questions_by_kind: dict[str, int] = field(default_factory=dict)
    other_answers: int = 0  # answers "other / don't know" (the code was not offered)
    p95_ms_per_step: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def truthful_answer(index: FinderIndex, question: Question, code: str) -> str:
    """The option a user who knows ``code`` picks (``other`` when none fits)."""
    offered = [o.id for o in question.options if o.id != OTHER]
    if question.id in GROUPS:
        want = code[:GROUPS[question.id]]
        return want if want in offered else OTHER
    values = attributes.features(index.descriptions.get(code, "")).get(question.id, frozenset())
    return next((o for o in offered if o in values), OTHER)


def run_guided_benchmark(index: FinderIndex, rows: list[LabelledRow],
                         limit: int | None = None) -> GuidedBench:
    if limit:
        rows = rows[:limit]
    n = skipped = before = after = top3 = asked_rows = others = 0
    counts: list[int] = []
    kinds: dict[str, int] = {}
    times: list[float] = []
    for row in rows:
        code = row.code[:6]
        if len(row.code) < 6 or code not in index.doc_of:
            skipped += 1
            continue
        n += 1
        answers: list[tuple[str, str]] = []
        t0 = time.perf_counter()
        state = guided_search(index, row.description, answers, limit=5)
        times.append((time.perf_counter() - t0) * 1000)
        first = [c.code for c in state.result.candidates]
        before += int(bool(first) and first[0] == code)
        while state.question is not None and len(answers) < MAX_QUESTIONS:
            choice = truthful_answer(index, state.question, code)
            kinds[state.question.id] = kinds.get(state.question.id, 0) + 1
            others += int(choice == OTHER)
            answers.append((state.question.id, choice))
            t0 = time.perf_counter()
            state = guided_search(index, row.description, answers, limit=5)
            times.append((time.perf_counter() - t0) * 1000)
        got = [c.code for c in state.result.candidates]
        after += int(bool(got) and got[0] == code)
        top3 += int(code in got[:3])
        asked_rows += int(bool(answers))
        counts.append(len(answers))
    times.sort()

    def pct(k: int) -> float:
        return round(100.0 * k / n, 1) if n else 0.0

    return GuidedBench(
        n=n, skipped=skipped, hs6_top1_before=pct(before), hs6_top1_guided=pct(after),
        hs6_top3_guided=pct(top3), asked_share=pct(asked_rows),
        mean_questions=round(statistics.mean(counts), 2) if counts else 0.0,
        questions_by_kind=dict(sorted(kinds.items())), other_answers=others,
        p95_ms_per_step=round(times[min(len(times) - 1, int(0.95 * len(times)))], 2)
        if times else 0.0)


def bench_guided_file(db: Database, path: Path, *, limit: int | None = None,
                      description_column: str | None = None,
                      code_column: str | None = None) -> GuidedBench:
    """The guided benchmark of ``db``'s finder on a labelled CSV file."""
    rows = read_labels(path, description_column, code_column)
    return run_guided_benchmark(get_index(db), rows, limit)

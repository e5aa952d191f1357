"""The simulated user of ``bench hs --guided`` answers from the labelled code only."""

from __future__ import annotations

from tradewind.db import Database
from tradewind.finder.benchmark import LabelledRow
from tradewind.finder.guided import OTHER, Option, Question
from tradewind.finder.guided_benchmark import run_guided_benchmark, truthful_answer
from tradewind.finder.index import get_index


def _q(qid: str, *ids: str) -> Question:
    return Question(qid, "?", (*(Option(i, i) for i in ids), Option(OTHER, "other")))


def test_truthful_answers(hs_db: Database) -> None:
    index = get_index(hs_db)
    assert truthful_answer(index, _q("heading", "6205", "6105"), "620520") == "6205"
    assert truthful_answer(index, _q("chapter", "61", "64"), "620520") == OTHER
    assert truthful_answer(index, _q("construction", "woven", "knitted"), "620520") == "woven"
    assert truthful_answer(index, _q("roast", "roasted", "not-roasted"), "090111") == \
        "not-roasted"
    assert truthful_answer(index, _q("wearer", "men", "women"), "090111") == OTHER


def test_run_counts_rows_and_questions(hs_db: Database) -> None:
    rows = [LabelledRow(2, "cotton shirts", "6205200000"), LabelledRow(3, "tea", "0902300000"),
            LabelledRow(4, "unknown", "00000000")]
    result = run_guided_benchmark(get_index(hs_db), rows)
    assert (result.n, result.skipped) == (2, 1)
    assert result.hs6_top1_guided == 100.0  # both are reachable within three questions
    assert 1 <= result.mean_questions <= 3 and sum(result.questions_by_kind.values()) >= 2

"""Guided narrowing: questions derived from the candidates, answers that narrow the ranking."""

from __future__ import annotations

import pytest

from tradewind import i18n
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder import attributes
from tradewind.finder.guided import (
    GROUPS,
    MAX_QUESTIONS,
    OTHER,
    guided_products,
    guided_search,
    parse_answers,
)
from tradewind.finder.index import get_index


def test_unsure_search_asks_a_question_with_other(hs_db: Database) -> None:
    found = guided_search(get_index(hs_db), "cotton shirts", [])
    assert found.unsure and found.question is not None
    options = found.question.options
    assert options[-1].id == OTHER and len(options) >= 3
    # Derived from the candidates: every offered option matches at least one candidate.
    codes = {c.code for c in guided_search(get_index(hs_db), "cotton shirts", [],
                                           limit=50).result.candidates}
    for opt in options[:-1]:
        if found.question.id in GROUPS:
            assert any(c.startswith(opt.id) for c in codes)
        else:
            index = get_index(hs_db)
            assert any(opt.id in attributes.features(index.descriptions[c]).get(
                found.question.id, ()) for c in codes)


def test_answers_narrow_the_ranking(hs_db: Database) -> None:
    index = get_index(hs_db)
    women = guided_search(index, "cotton shirts", [("wearer", "women")])
    men = guided_search(index, "cotton shirts", [("wearer", "men")])
    assert women.result.candidates[0].code[:4] in ("6106", "6206")
    assert men.result.candidates[0].code[:4] in ("6105", "6205")
    woven = guided_search(index, "cotton shirts", [("wearer", "men"), ("construction", "woven")])
    assert woven.result.candidates[0].code == "620520"
    assert [a.token for a in woven.answers] == ["wearer:men", "construction:woven"]
    assert "fits your answers" in woven.result.candidates[0].reason


def test_heading_answer_brings_in_its_subheadings(hs_db: Database) -> None:
    index = get_index(hs_db)
    found = guided_search(index, "coffee", [("heading", "0901")], limit=20)
    assert {c.code[:4] for c in found.result.candidates} == {"0901"}
    assert {"090111", "090112", "090121", "090122"} <= {c.code for c in found.result.candidates}
    roasted = guided_search(index, "coffee", [("heading", "0901"), ("roast", "roasted")])
    assert roasted.result.candidates[0].code in ("090121", "090122")


def test_picking_a_subheading_ends_the_questions(hs_db: Database) -> None:
    found = guided_search(get_index(hs_db), "tea", [("sub", "090230")])
    assert found.question is None and found.result.candidates[0].code == "090230"


def test_at_most_three_questions(hs_db: Database) -> None:
    index = get_index(hs_db)
    answers: list[tuple[str, str]] = []
    found = guided_search(index, "shoes", answers)
    while found.question is not None:
        answers.append((found.question.id, OTHER))
        found = guided_search(index, "shoes", answers)
    assert len(answers) <= MAX_QUESTIONS


def test_other_changes_the_options_of_a_group_question(hs_db: Database) -> None:
    index = get_index(hs_db)
    first = guided_search(index, "shoes", [])
    assert first.question is not None
    listed = {o.id for o in first.question.options} - {OTHER}
    after = guided_search(index, "shoes", [(first.question.id, OTHER)])
    if first.question.id in GROUPS:
        top = after.result.candidates[0].code[:GROUPS[first.question.id]]
        assert top not in listed or len(listed) == 1


@pytest.mark.parametrize("bad", ["nonsense", "roast:burnt", "heading:09", "sub:12ab56",
                                 "colour:red"])
def test_bad_answers_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        parse_answers([bad])


def test_too_many_answers_are_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_answers(["roast:roasted", "caffeine:decaf", "state:dried", "material:cotton"])


@pytest.mark.parametrize(("lang", "word"), [("fr", "Autre"), ("es", "Otro")])
def test_questions_in_french_and_spanish(hs_db: Database, lang: str, word: str) -> None:
    token = i18n.current_language.set(lang)
    try:
        found = guided_products(hs_db, "chemises en coton" if lang == "fr"
                                else "camisas de algodón", [])
    finally:
        i18n.current_language.reset(token)
    assert found.question is not None
    assert found.question.options[-1].label.startswith(word)
    assert found.result.candidates[0].code[:2] in ("61", "62")


def test_a_code_query_asks_nothing(hs_db: Database) -> None:
    found = guided_products(hs_db, "0901.21", [])
    assert found.question is None and found.result.candidates[0].code == "090121"

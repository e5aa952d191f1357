"""Finder behaviour on small hand-written examples (none taken from the dev sets)."""

from __future__ import annotations

import pytest

from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder import search_products
from tradewind.finder.engine import MAX_QUERY_CHARS, parse_query
from tradewind.finder.index import get_index, load_synonyms
from tradewind.finder.text import stem


def codes(db: Database, query: str, limit: int = 5) -> list[str]:
    return [c.code for c in search_products(db, query, limit=limit).candidates]


@pytest.mark.parametrize(("query", "heading"), [
    ("roasted coffee beans", "0901"),
    ("raw cocoa beans from Ghana", "1801"),
    ("dried mango slices", "0804"),
    ("shea butter hand cream", "3304"),
    ("ballpoint pens", "9608"),
    ("wooden dining table", "9403"),
    ("cashew nuts", "0801"),
    ("cotton bed sheets", "6302"),
    ("ceramic coffee mugs", "6912"),
    ("handmade wicker baskets", "4602"),
    ("alkaline batteries", "8506"),
    ("solar panels for roofs", "8541"),
])
def test_plain_descriptions_find_their_heading_first(hs_db: Database, query: str,
                                                     heading: str) -> None:
    assert codes(hs_db, query, 5)[0][:4] == heading


def test_candidates_carry_full_path_and_reason(hs_db: Database) -> None:
    result = search_products(hs_db, "roasted coffee", limit=3)
    top = result.candidates[0]
    assert top.code == "090121"
    assert [s.level for s in top.path] == ["section", "chapter", "heading", "subheading"]
    assert [s.code for s in top.path] == ["II", "09", "0901", "090121"]
    assert "roasted" in top.reason and "coffee" in top.reason
    assert result.headings[0].code == "0901" and result.headings[0].confidence > 0.5
    assert result.chapters[0].code == "09"
    assert sum(h.confidence for h in result.headings) <= 1.0 + 1e-6


def test_plural_and_typo_queries(hs_db: Database) -> None:
    assert codes(hs_db, "umbrellas")[0][:4] == "6601"
    result = search_products(hs_db, "umbrelas for the beach")
    assert result.candidates[0].code[:4] == "6601"
    assert result.corrections == {"umbrelas": "umbrellas"}
    assert any("Spelling corrected" in n for n in result.notes)


def test_vowel_dropped_abbreviations_are_expanded(hs_db: Database) -> None:
    result = search_products(hs_db, "lthr hndbg")
    assert result.corrections == {"lthr": "leather", "hndbg": "handbag"}
    assert result.candidates[0].code == "420221"


def test_brand_like_noise_and_packaging_are_ignored(hs_db: Database) -> None:
    plain = codes(hs_db, "green tea")[0]
    noisy = search_products(hs_db, "Zorbatek green tea 100 bags pack of 12")
    assert noisy.candidates[0].code == plain
    assert "zorbatek" in noisy.ignored


def test_longer_phrases_beat_their_words(hs_db: Database) -> None:
    assert codes(hs_db, "silicone phone case")[0][:4] == "3926"
    assert codes(hs_db, "wooden jewellery box")[0][:4] == "4420"
    assert codes(hs_db, "phone charger")[0] == "850440"


def test_short_query_shows_main_alternatives(hs_db: Database) -> None:
    result = search_products(hs_db, "shoes", limit=10)
    assert result.ambiguous
    first_five_headings = {c.code[:4] for c in result.candidates[:5]}
    assert len(first_five_headings) >= 4
    assert all(h.startswith("64") for h in first_five_headings)


def test_code_queries(hs_db: Database) -> None:
    for typed in ("0901.21", "090121", "0901 21"):
        result = search_products(hs_db, typed)
        assert result.is_code and [c.code for c in result.candidates] == ["090121"]
    heading = search_products(hs_db, "0901", limit=10)
    assert {c.code for c in heading.candidates} >= {"090111", "090121"}
    national = search_products(hs_db, "0901.21.00.10")
    assert national.candidates[0].code == "090121"
    bad = search_products(hs_db, "0901.2x")
    assert bad.is_code and "not a valid" in bad.notes[0]
    assert bad.candidates and bad.candidates[0].code.startswith("0901")


def test_bad_input_is_refused(hs_db: Database) -> None:
    with pytest.raises(InvalidInput):
        search_products(hs_db, "   ")
    with pytest.raises(InvalidInput):
        search_products(hs_db, "x" * (MAX_QUERY_CHARS + 1))


def test_unknown_words_give_an_empty_answer_with_a_note(hs_db: Database) -> None:
    result = search_products(hs_db, "qwzxv plorbt")
    assert result.candidates == [] and result.notes


def test_index_is_cached_and_synonyms_all_point_to_hs2022_codes(hs_db: Database) -> None:
    index = get_index(hs_db)
    assert get_index(hs_db) is index
    assert len(index.codes) > 5000
    valid = set(index.descriptions)
    bad = [code for _term, cs in load_synonyms() for code in cs if code not in valid]
    assert bad == []
    chapters = {code[:2] for _term, cs in load_synonyms() for code in cs}
    assert len(chapters) >= 90


def test_synonym_file_has_no_duplicate_codes() -> None:
    """YAML silently keeps the last of two equal keys: a duplicate would lose terms."""
    import re
    from collections import Counter

    from tradewind.finder.index import SYNONYMS_FILE

    keys = re.findall(r'^"(\d+)":', SYNONYMS_FILE.read_text(encoding="utf-8"), re.MULTILINE)
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert len(keys) > 1000


def test_run_together_words_are_split_into_known_words(hs_db: Database) -> None:
    result = search_products(hs_db, "boardgames", limit=5)
    assert result.corrections.get("boardgames") == "board games"
    assert result.candidates[0].code[:4] == "9504"
    assert codes(hs_db, "cornflour")[0][:4] == "1102"


def test_head_noun_decides_over_the_material_it_works_on(hs_db: Database) -> None:
    # a coffee roaster is a machine, not coffee; the material only says what it works on
    assert codes(hs_db, "coffee roasting machine")[0][:2] in {"84", "85"}
    assert codes(hs_db, "cotton spinning machines")[0][:4] == "8445"
    assert codes(hs_db, "steel water bottle, BPA free")[0][:4] == "7323"


def test_phrase_with_a_noise_word_needs_that_word(hs_db: Database) -> None:
    # "hot water bottle" (rubber) must not capture every "water bottle"
    index = get_index(hs_db)
    hot = [s for s in index.synonyms if s.term == "hot water bottle"]
    assert hot and hot[0].required == frozenset({"hot"})
    assert codes(hs_db, "hot water bottle rubber")[0][:4] == "4014"
    assert codes(hs_db, "stainless steel water bottle")[0][:4] != "4014"


def test_clear_heading_keeps_its_catch_all_subheading_in_the_top_five(hs_db: Database) -> None:
    result = search_products(hs_db, "roasted coffee beans", limit=5)
    assert not result.ambiguous
    index = get_index(hs_db)
    head = result.candidates[0].code[:4]
    top5 = [c.code for c in result.candidates[:5]]
    catch_all = [index.codes[d] for d in index.children[head] if d in index.residual]
    assert not catch_all or any(code in top5 for code in catch_all)
    assert result.candidates[0].code == "090121"  # the best match keeps first place


def test_heading_only_match_prefers_the_catch_all_subheading(hs_db: Database) -> None:
    # a liqueur name known only as a heading-level synonym of 2208 must not land on the
    # first sibling (whiskies) just because its text is shortest
    index = get_index(hs_db)
    top = codes(hs_db, "limoncello")[0]
    assert top[:4] == "2208"
    assert top != "220830"
    assert index.doc_of[top] in index.residual or top == "220870"


def test_device_before_an_accessory_word_is_only_what_it_fits(hs_db: Database) -> None:
    # the model number "s23" must not turn "case" into packaging either
    parsed = parse_query(get_index(hs_db), "Samsung Galaxy S23 case shockproof")
    assert parsed.weights[stem("case")] > 1.0
    assert parsed.weights[stem("galaxy")] < 0.5
    assert codes(hs_db, "laptop sleeve 15 inch")[0][:4] == "4202"


def test_describing_word_after_the_product_is_not_its_head(hs_db: Database) -> None:
    assert codes(hs_db, "camera bag waterproof")[0][:2] != "64"

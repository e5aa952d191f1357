"""Normalisation: plurals, inflection, quantities, packaging words and noise."""

from __future__ import annotations

from tradewind.finder.text import (
    analyse,
    content_tokens,
    document_terms,
    expansions,
    noise_words,
    segmented_tokens,
    stem,
)


def test_plurals_and_inflection_meet_their_singular() -> None:
    assert stem("batteries") == stem("battery")
    assert stem("knives") == stem("knife")
    assert stem("roasted") == stem("roasting") == stem("roast")
    assert analyse("Tomatoes") == analyse("tomato")
    assert analyse("women's scarves") == analyse("woman scarf")


def test_quantities_and_packaging_after_quantities_are_dropped() -> None:
    assert content_tokens("Green lentils 1kg bags") == ["green", "lentils"]
    assert content_tokens("pack of 12 pencils") == ["pencils"]
    assert content_tokens("500ml bottles olive oil") == ["olive", "oil"]
    assert content_tokens("x12 tins sardines") == ["sardines"]


def test_packaging_words_alone_are_kept_as_products() -> None:
    assert content_tokens("jute bags") == ["jute", "bags"]
    assert content_tokens("glass bottles") == ["glass", "bottles"]


def test_marketing_noise_is_dropped() -> None:
    assert content_tokens("NEW Premium Quality genuine wallet free shipping") == ["wallet"]


def test_accents_and_tshirt_spellings_are_folded() -> None:
    assert analyse("crème") == analyse("creme")
    assert analyse("T-shirt") == analyse("t shirt") == analyse("tshirts")


def test_negated_words_in_nomenclature_text_are_set_apart() -> None:
    positive, negated = document_terms("Tea; green, not fermented (excluding flavoured)")
    assert stem("green") in positive and stem("tea") in positive
    assert stem("ferment") in negated and stem("flavoured") in negated


def test_fibre_names_expand_to_nomenclature_classes() -> None:
    table = expansions()
    assert stem("synthetic") in table[stem("polyester")]
    assert stem("artificial") in table[stem("viscose")]


def test_consonant_skeleton() -> None:
    from tradewind.finder.text import skeleton

    assert skeleton("leather") == "lthr" and skeleton("cherry") == "chry"


def test_word_before_free_is_absent_not_wanted() -> None:
    assert content_tokens("stainless steel water bottle BPA free") == ["stainless", "steel",
                                                                        "water", "bottle"]
    assert content_tokens("sugar-free chewing gum") == ["chewing", "gum"]
    assert content_tokens("leather wallet free shipping") == ["leather", "wallet"]


def test_segments_split_on_commas_brackets_and_with() -> None:
    segs = segmented_tokens("tiles, laboratory (ceramic) mug with handle")
    assert [seg for _tok, seg in segs] == [0, 1, 2, 3, 4]
    assert noise_words("hot water bottle") == frozenset({"hot"})
    assert noise_words("bottle of water") == frozenset()


def test_count_glued_to_a_word_is_split_off() -> None:
    assert content_tokens("4xcushions") == ["cushions"]
    assert content_tokens("nappies pk sz 4") == ["nappies"]


def test_model_number_does_not_make_the_next_word_packaging() -> None:
    assert content_tokens("galaxy s23 case") == ["galaxy", "case"]
    assert content_tokens("12 cases wine") == ["wine"]

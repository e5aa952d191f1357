"""Attribute families found in nomenclature wording (negation, open and excluding phrases)."""

from __future__ import annotations

from tradewind.finder.attributes import BY_ID, FAMILIES, features


def test_negated_and_plain_values_are_told_apart() -> None:
    assert features("Coffee; not roasted or decaffeinated")["roast"] == {"not-roasted"}
    assert features("Coffee; roasted, not decaffeinated")["roast"] == {"roasted"}
    assert features("Coffee; roasted, not decaffeinated")["caffeine"] == {"not-decaf"}
    woven = features("Shirts; men's or boys', of cotton (not knitted or crocheted)")
    assert woven["construction"] == {"woven"}
    assert woven["wearer"] == {"men"} and woven["material"] == {"cotton"}
    knitted = features("Blouses, shirts; women's or girls', knitted or crocheted")
    assert knitted["construction"] == {"knitted"} and knitted["wearer"] == {"women"}


def test_open_and_excluding_phrases_assert_nothing() -> None:
    assert "roast" not in features("Coffee, whether or not roasted or decaffeinated")
    assert features("Garments of textile materials other than cotton")["material"] == {"textile"}
    assert features("Footwear; with uppers of leather")["material"] == {"leather"}


def test_every_family_has_a_question_and_two_values() -> None:
    for family in FAMILIES:
        assert family.question and len(family.values) >= 2
        assert BY_ID[family.id] is family
        assert len({v.id for v in family.values}) == len(family.values)

"""French/Spanish → English query layer: hand-written examples (none from the dev sets)."""

from __future__ import annotations

import pytest
import yaml

from tradewind.db import Database
from tradewind.finder import search_products
from tradewind.finder.multilingual import (
    LEXICON_DIR,
    _UniqueKeyLoader,
    detect_language,
    lemma_candidates,
    load_lexicon,
    to_english,
    tokens,
)


def codes(db: Database, query: str, limit: int = 5) -> list[str]:
    return [c.code for c in search_products(db, query, limit=limit).candidates]


@pytest.mark.parametrize(("query", "english"), [
    ("café torréfié en grains", "roasted coffee beans"),
    ("chaussures en cuir pour hommes", "leather shoes men"),
    ("sac à main en cuir", "leather handbags"),
    ("huile de palme raffinée", "refined palm oil"),
    ("pommes de terre séchées", "dried potatoes"),
    ("jus d'orange", "orange juice"),
    ("noix de cajou décortiquées", "shelled cashew nuts"),
    ("crevettes congelées", "frozen shrimp"),
    ("tomates en conserve", "canned tomatoes"),
    ("pull tricoté en laine", "knitted wool sweaters"),
    ("paniers en osier faits main", "wicker handmade baskets"),
    ("beurre de karité", "shea butter"),
])
def test_french_queries_become_english_words(query: str, english: str) -> None:
    result = to_english(query)
    assert result.language == "fr"
    assert result.english == english
    assert result.unknown == []


@pytest.mark.parametrize(("query", "english"), [
    ("camisetas de algodón", "cotton t-shirts"),
    ("zapatos de cuero para hombre", "leather shoes men"),
    ("bolsos de cuero", "leather handbags"),
    ("café tostado en grano", "roasted coffee beans"),
    ("mangos secos", "dried mangoes"),
    ("jugo de naranja", "orange juice"),
    ("aceite de palma refinado", "refined palm oil"),
    ("vestido de punto", "knitted dresses"),
    ("canastas de mimbre hechas a mano", "wicker handmade baskets"),
    ("camarones congelados", "frozen shrimp"),
    ("cargador de celular", "phone chargers"),
])
def test_spanish_queries_become_english_words(query: str, english: str) -> None:
    result = to_english(query)
    assert result.language == "es"
    assert result.english == english
    assert result.unknown == []


@pytest.mark.parametrize("query", [
    "roasted coffee beans", "leather shoes for men", "cotton t-shirts", "ballpoint pens",
    "wooden dining table", "frozen shrimp", "chocolate bars", "tortilla chips",
    "pain relief patches", "solar panels for roofs", "cable ties", "pina colada mix",
    "mamas & papas pushchair", "coco loco mousse", "the avengers jogging bottoms", "pin badges",
    "bath robe", "shea butter hand cream", "alkaline batteries 12 pack", "",
])
def test_english_queries_pass_through_unchanged(query: str) -> None:
    result = to_english(query)
    assert result.language is None
    assert result.english == query
    assert result.unknown == []


def test_accents_are_optional_and_case_ignored() -> None:
    assert to_english("CAFE TORREFIE EN GRAINS").english == "roasted coffee beans"
    assert to_english("camisetas de algodon").english == "cotton t-shirts"
    assert to_english("Chaussures En Cuir").english == "leather shoes"


def test_accents_tell_apart_words_that_fold_alike() -> None:
    assert to_english("sucre de canne").english == "cane sugar"
    assert to_english("biscuits sucrés").english == "sweetened biscuits"
    assert to_english("viande hachée").english == "minced meat"


def test_plurals_and_feminine_forms_reduce_to_lemmas() -> None:
    assert "chaussure" in lemma_candidates("chaussures", "fr")
    assert "cheval" in lemma_candidates("chevaux", "fr")
    assert "seche" in lemma_candidates("sechees", "fr")
    assert "lapiz" in lemma_candidates("lapices", "es")
    assert "seco" in lemma_candidates("secas", "es")
    assert to_english("chemises").english == to_english("chemise").english == "shirts"
    assert to_english("bananes séchées").english == to_english("banane séché").english
    assert to_english("frutas secas").english == "dried fruit"
    assert to_english("zapatillas").english == to_english("zapatilla").english


def test_numbers_and_unknown_words_are_kept() -> None:
    result = to_english("chaussures Nike taille 42")
    assert result.language == "fr"
    assert result.english == "shoes nike 42"
    assert result.unknown == ["nike"]
    result = to_english("funda de móvil Samsung")
    assert result.english == "phone cases samsung"
    assert result.unknown == ["samsung"]


def test_longest_phrase_wins_over_single_words() -> None:
    # "pomme de terre" (potato), not "pomme" (apple) + "terre"
    assert to_english("pomme de terre").english == "potatoes"
    assert to_english("sous-vêtements").english == "underwear"
    assert to_english("ordinateur portable").english == "laptops"


def test_detection_needs_evidence() -> None:
    assert detect_language("chaussures") == "fr"
    assert detect_language("zapatos") == "es"
    assert detect_language("café con leche") == "es"
    assert detect_language("lait de coco") == "fr"
    assert detect_language("nike air max 90") is None
    assert detect_language("12345") is None


def test_lexicons_are_large_clean_and_free_of_clashes() -> None:
    for language in ("fr", "es"):
        path = LEXICON_DIR / f"{language}.yaml"
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        entries = {**data["terms"], **data["modifiers"], **data["suffixes"], **data["people"]}
        assert len(entries) >= 1500, language
        sections = [set(data[s]) for s in ("terms", "modifiers", "suffixes", "people")]
        for i, a in enumerate(sections):
            for b in sections[i + 1:]:
                assert not a & b, (language, a & b)
        for key, value in entries.items():
            assert isinstance(key, str) and isinstance(value, str) and value.strip(), key
            assert tokens(key), key
        assert len(load_lexicon(language)) >= 1500


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate lexicon key 'robe'"):
        yaml.load("terms:\n  robe: dresses\n  robe: gowns\n", Loader=_UniqueKeyLoader)


@pytest.mark.parametrize(("query", "prefix"), [
    ("café torréfié en grains", "090121"),
    ("chaussures en cuir pour hommes", "6403"),
    ("camisetas de algodón", "6109"),
    ("bolsos de cuero", "4202"),
    # a broader product-family spread, written for these tests
    ("noix de cajou décortiquées", "0801"),
    ("crevettes congelées", "0306"),
    ("panneaux solaires", "8541"),
    ("chargeur de téléphone", "8504"),
    ("paniers en osier", "4602"),
    ("huile de palme brute", "1511"),
    ("mango deshidratado", "0804"),
    ("granos de cacao", "1801"),
    ("jugo de naranja", "2009"),
    ("llantas de auto", "4011"),
    ("bolígrafos", "9608"),
    ("platos de cerámica", "6912"),
])
def test_search_products_understands_french_and_spanish(hs_db: Database, query: str,
                                                         prefix: str) -> None:
    top = codes(hs_db, query, 5)
    assert any(code.startswith(prefix) for code in top), top


def test_search_products_notes_the_english_words(hs_db: Database) -> None:
    result = search_products(hs_db, "zapatos de cuero", limit=3)
    assert any("leather shoes" in note for note in result.notes), result.notes
    english = search_products(hs_db, "leather shoes", limit=3)
    assert not any("Searched in English" in note for note in english.notes)

"""Data texts carry their language: English ones are marked on French and Spanish pages."""

from __future__ import annotations

import copy
import pickle

from tradewind import i18n
from tradewind.i18n.labels import InLanguage, data_text, sentence_quoting_english


def _in(lang: str, fn):  # type: ignore[no-untyped-def]
    token = i18n.current_language.set(lang)
    try:
        return fn()
    finally:
        i18n.current_language.reset(token)


def test_english_descriptions_are_marked_on_translated_pages() -> None:
    assert _in("en", lambda: str(data_text("Coffee, roasted"))) == "Coffee, roasted"
    assert _in("fr", lambda: str(data_text("Coffee, roasted"))) == \
        '<span lang="en">Coffee, roasted</span>'
    french = InLanguage("Café torréfié", "fr")
    assert _in("fr", lambda: str(data_text(french))) == "Café torréfié"
    assert _in("es", lambda: str(data_text(french))) == '<span lang="fr">Café torréfié</span>'
    assert _in("fr", lambda: str(data_text("word " * 30, 20))).endswith("...</span>")


def test_sentences_quoting_english_are_plain_text_and_marked_html() -> None:
    text = _in("fr", lambda: sentence_quoting_english(
        "To claim %(agreement)s: %(proof)s", ("proof",), agreement="EBA",
        proof="A statement on origin <b>"))
    assert str.__str__(text) == "Pour bénéficier de EBA : A statement on origin <b>"
    html = text.__html__()  # type: ignore[attr-defined]
    assert '<span lang="en">A statement on origin &lt;b&gt;</span>' in html


def test_marked_texts_survive_copies() -> None:
    text = _in("fr", lambda: sentence_quoting_english(
        "To claim %(agreement)s: %(proof)s", ("proof",), agreement="EBA", proof="A statement"))
    for clone in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):
        assert clone == text and clone.__html__() == text.__html__()  # type: ignore[attr-defined]
    french = InLanguage("Café", "fr")
    assert copy.deepcopy(french).lang == "fr"

from tradewind import i18n
from tradewind.agreements.vocabulary import agreement_word


def test_known_words_are_translated_and_others_kept() -> None:
    token = i18n.current_language.set("en")
    try:
        assert agreement_word("customs union & economic integration agreement") == \
            "customs union & economic integration agreement"
        assert agreement_word("something new") == "something new"
        assert agreement_word(None) == ""
    finally:
        i18n.current_language.reset(token)

"""HS pages in French and Spanish: labels translated, English descriptions marked as such."""

from __future__ import annotations

from typing import Any

from tradewind.i18n import current_language
from tradewind.nomenclature.queries import CodeInfo


def test_section_label_is_translated() -> None:
    section = CodeInfo(edition="HS2022", code="II", level=0, parent=None, section="II",
                       description="Vegetable products")
    assert section.display == "Section II"
    token = current_language.set("es")
    try:
        assert section.display != "Section II" and "II" in section.display
    finally:
        current_language.reset(token)


def test_english_hs_descriptions_are_marked_on_other_languages(client: Any) -> None:
    fr = client.get("/fr/hs/0901").text
    assert '<span lang="en">Coffee, whether or not roasted' in fr
    assert 'class="note fallback-note"' in fr
    assert 'class="note fallback-note"' not in client.get("/hs/0901").text
    assert 'class="note fallback-note"' in client.get("/es/hs").text

"""Duties and numbers in sentences are written as the reader's language writes them; the
canonical (machine) text stays for downloads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tradewind.i18n import current_language
from tradewind.i18n.duties import reader_duty
from tradewind.tariffs.duty import format_duty, parse_duty

CASES = {
    "12.8%": {"en": "12.8%", "fr": "12,8\u00a0%", "es": "12,8\u00a0%"},
    "0.015 USD/kg": {"en": "0.015 USD/kg", "fr": "0,015 USD/kg", "es": "0,015 USD/kg"},
}


@pytest.mark.parametrize("text", sorted(CASES))
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_simple_duties_follow_the_locale(text: str, lang: str) -> None:
    token = current_language.set(lang)
    try:
        shown = reader_duty(parse_duty(text))
    finally:
        current_language.reset(token)
    expected = CASES[text][lang]
    assert shown.replace("\u202f", "\u00a0") == expected


def test_choice_and_free_are_translated_and_canonical_text_is_unchanged() -> None:
    duty = parse_duty("the higher of 10% or 2.5 EUR/kg")
    assert duty.parse_ok
    token = current_language.set("fr")
    try:
        shown = reader_duty(duty)
        free = reader_duty(parse_duty("Free"))
    finally:
        current_language.reset(token)
    assert "le plus élevé" in shown and "2,5 EUR/kg" in shown and " ou " in shown
    assert free == "exempt"
    assert format_duty(duty) == "the higher of 10% or 2.5 EUR/kg"  # machine text as before
    assert Decimal("2.5") in [t.amount for o in duty.expr.options  # type: ignore[union-attr]
                              for t in o.terms if hasattr(t, "amount")]


@pytest.mark.parametrize(("lang", "day"), [("fr", "1 juin 2025"), ("es", "1 de junio de 2025")])
def test_access_sentences_write_dates_and_duties_by_locale(client: Any, lang: str,
                                                          day: str) -> None:
    html = client.get(f"/{lang}/tariffs/access", params={
        "product": "090121", "origin": "KEN", "destination": "USA", "date": "2025-06-01"}).text
    assert day in html
    assert "0,015" in html and "0.015 USD" not in html
    assert "10\u00a0%" in html or "10\u202f%" in html or "10 %" in html


def test_reader_text_reuses_the_one_walk_of_duty_expressions() -> None:
    """Review D5: tariffs/duty.py walks the structure once (render_duty); the reader's
    language only supplies words, so i18n/duties.py names no expression class."""
    import ast
    from pathlib import Path

    from tradewind.i18n import duties
    from tradewind.tariffs import duty as duty_module

    tree = ast.parse(Path(duties.__file__).read_text("utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
             and n.module == "tradewind.tariffs.duty" for a in n.names}
    assert names == {"Duty", "DutyWords", "render_duty"}
    parsed = duty_module.parse_duty("the higher of 10% or 2 USD/kg, max 5 USD/kg")
    assert parsed.expr is not None
    canonical = duty_module.render_duty(parsed.expr)
    assert duty_module.parse_duty(canonical).expr == parsed.expr

"""Product-specific rules: the parser and the assessment of each kind of rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tradewind.origin.rules import (
    FAILS,
    MEETS,
    UNKNOWN,
    Material,
    Rule,
    RuleSyntaxError,
    assess,
    parse_rule,
)

KE = frozenset({"KEN"})


def test_parser_kinds() -> None:
    assert parse_rule("CTH") == Rule("CTH")
    assert parse_rule("CC (change of chapter)") == Rule("CC")
    assert parse_rule("MaxNOM 50%") == Rule("MAXNOM", D("50"))
    rule = parse_rule("CTH or MaxNOM 50%")
    assert rule.kind == "OR" and rule.parts == (Rule("CTH"), Rule("MAXNOM", D("50")))
    assert parse_rule("CTSH and RVC 40%").kind == "AND"
    assert parse_rule("CTH except from heading 0901") == Rule("CTH", exceptions=("0901",))
    with pytest.raises(RuleSyntaxError):
        parse_rule("Knitting combined with making-up")


def _run(text: str, materials: list[Material], **kw: object) -> str:
    return assess(parse_rule(text), "090121", D(1000), materials,
                  kw.pop("cum", KE), kw.pop("wo", False), **kw).verdict  # type: ignore[arg-type]


def test_change_of_classification() -> None:
    green = [Material("090111", D(600), "ETH")]
    assert _run("CTH", green) == FAILS  # same heading 0901
    assert _run("CTSH", green) == MEETS  # 090111 → 090121
    assert _run("CC", green) == FAILS
    assert _run("CC", [Material("210111", D(600), "ETH")]) == MEETS


def test_value_rules_and_combined() -> None:
    mats = [Material("090111", D(400), "ETH"), Material("481910", D(100), "KEN")]
    assert _run("MaxNOM 50%", mats) == MEETS
    assert _run("MaxNOM 30%", mats) == FAILS
    assert _run("RVC 60%", mats) == MEETS
    assert _run("RVC 70%", mats) == FAILS
    assert _run("CTH or MaxNOM 50%", mats) == MEETS
    assert _run("CTSH and RVC 70%", mats) == FAILS


def test_tolerance_cumulation_exceptions_unknown() -> None:
    small = [Material("090111", D(80), "ETH")]
    assert _run("CTH", small) == FAILS
    assert _run("CTH", small, tolerance=D(10)) == MEETS
    assert _run("CTH", [Material("090111", D(600), "UGA")], cum=frozenset({"KEN", "UGA"})) == MEETS
    assert _run("CTH except from heading 2101", [Material("210111", D(600), "ETH")]) == FAILS
    result = assess(parse_rule("CTH"), "090121", D(1000), [Material(None, D(5), "ETH")], KE, False)
    assert result.verdict == UNKNOWN and result.missing == ["material_hs"]
    assert _run("WO", [], wo=True) == MEETS

"""The parser for the product-rules notation."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tradewind.origin.rules import Rule, RuleSyntaxError, parse_rule


def test_parser_kinds() -> None:
    assert parse_rule("CTH") == Rule("CTH")
    assert parse_rule("ctsh") == Rule("CTSH")
    assert parse_rule("WO") == Rule("WO")
    assert parse_rule("CC (change of chapter)") == Rule("CC")
    assert parse_rule("MaxNOM 50%") == Rule("MAXNOM", D("50"))
    assert parse_rule("RVC 40.5 %") == Rule("RVC", D("40.5"))


def test_parser_combinations_and_exceptions() -> None:
    rule = parse_rule("CTH or MaxNOM 50%")
    assert rule.kind == "OR" and rule.parts == (Rule("CTH"), Rule("MAXNOM", D("50")))
    both = parse_rule("CTSH and RVC 40%")
    assert both.kind == "AND" and both.parts == (Rule("CTSH"), Rule("RVC", D("40")))
    assert parse_rule("CTH except from 0901") == Rule("CTH", exceptions=("0901",))
    assert parse_rule("CTH except from heading 0901") == Rule("CTH", exceptions=("0901",))
    assert parse_rule("CC except from headings 1701, 1702") == \
        Rule("CC", exceptions=("1701", "1702"))


@pytest.mark.parametrize("text", ["", "Knitting combined with making-up", "MaxNOM %", "CTX"])
def test_parser_rejects_text_outside_the_notation(text: str) -> None:
    with pytest.raises(RuleSyntaxError):
        parse_rule(text)

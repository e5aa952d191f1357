"""SAMPLE product-specific rules: loaded for the SAMPLE agreements, labelled SAMPLE, used by
the origin check when an agreement and a product are chosen, and all checkable."""

from __future__ import annotations

from decimal import Decimal as D

from tradewind.agreements.queries import agreement_by_code
from tradewind.db import Database
from tradewind.origin.check import OriginRequest, run_check
from tradewind.origin.rules import parse_rule
from tradewind.origin.sample import RULES, load_sample_rules
from tradewind.tariffs.sample import AGREEMENTS, load_sample


def test_every_sample_rule_parses_and_names_a_sample_agreement() -> None:
    keys = {a.key for a in AGREEMENTS}
    for key, rules in RULES.items():
        assert key in keys
        for code, text in rules.items():
            assert len(code) in (2, 4, 6)
            parse_rule(text)  # raises when outside the notation


def test_sample_rules_are_used_and_labelled(hs_db: Database) -> None:
    load_sample(hs_db)
    with hs_db.transaction() as conn:
        load_sample_rules(conn)
        assert load_sample_rules(conn) == 0  # idempotent
    with hs_db.connect() as conn:
        assert agreement_by_code(conn, "sample:eu-ken") is not None
        answer = run_check(conn, OriginRequest(
            "090121", "KEN", "FRA", "sample:eu-ken", D(1000), False,
            [("090111", D(600), "ETH")]))
    check = answer.check
    assert check.rule_text == "CTH" and check.rule_code == "0901"
    assert check.assessment.verdict == "does_not_meet"  # green coffee: same heading
    assert check.is_sample
    assert any(p.name == "SAMPLE product-specific rules of origin" for p in check.provenance)

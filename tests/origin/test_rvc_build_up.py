"""Regional value content by the build-up method (originating materials / adjusted value),
next to the build-down method and MaxNOM."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradewind.origin.assess import (
    DOES_NOT_MEET,
    MEETS,
    MSG_RVC_BU_FAIL,
    MSG_RVC_BU_OK,
    assess,
)
from tradewind.origin.rules import Rule, RuleSyntaxError, parse_rule


def test_parse_method() -> None:
    assert parse_rule("RVC 40% build-up") == Rule("RVC", D(40), method="build-up")
    assert parse_rule("rvc 40% BU") == Rule("RVC", D(40), method="build-up")
    assert parse_rule("RVC 40% build-down") == Rule("RVC", D(40))
    assert parse_rule("RVC 40%").method == "build-down"
    assert parse_rule("CTSH or RVC 35% BU").parts[1].method == "build-up"
    with pytest.raises(RuleSyntaxError):
        parse_rule("MaxNOM 50% build-up")


def test_build_up_counts_only_originating_materials() -> None:
    # price 1000: originating 300, non-originating 200, the rest is labour, profit…
    mats = [("090111", D(300), True), ("481910", D(200), False)]
    up = assess("090121", D(1000), mats, False, "RVC 40% build-up")
    assert up.verdict == DOES_NOT_MEET  # 30% < 40%
    assert up.reasons == [(MSG_RVC_BU_FAIL, {"share": "30.0", "limit": "40"})]
    # the same product by build-down: (1000 - 200) / 1000 = 80% ≥ 40%
    assert assess("090121", D(1000), mats, False, "RVC 40%").verdict == MEETS
    ok = assess("090121", D(1000), mats, False, "RVC 30% BU")
    assert ok.verdict == MEETS
    assert ok.reasons == [(MSG_RVC_BU_OK, {"share": "30.0", "limit": "30"})]


def test_build_up_with_cumulation_and_missing_facts() -> None:
    mats = [("090111", D(500), False, "UGA")]
    got = assess("090121", D(1000), mats, False, "RVC 40% BU", cumulation_partners={"UGA"})
    assert got.verdict == MEETS  # Ugandan material counts as originating: 50%
    assert assess("090121", None, mats, False, "RVC 40% BU").missing == ["price"]
    unknown = [("090111", D(500), None)]
    assert assess("090121", D(1000), unknown, False, "RVC 40% BU").missing == \
        ["material_origin"]


values = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False,
                     allow_infinity=False)


@given(originating=st.lists(values, max_size=5), other=st.lists(values, max_size=5),
       extra=values, percent=st.integers(min_value=0, max_value=100))
def test_build_up_never_exceeds_build_down(originating: list[D], other: list[D], extra: D,
                                           percent: int) -> None:
    """Build-up ≤ build-down for the same figures (the price also pays for labour and
    profit, which only build-down counts): meeting build-up implies meeting build-down,
    and the verdict is exactly "originating share ≥ threshold"."""
    price = sum(originating, D(0)) + sum(other, D(0)) + extra
    if price <= 0:
        return
    mats = [("090111", v, True) for v in originating] + [("481910", v, False) for v in other]
    up = assess("090121", price, mats, False, f"RVC {percent}% build-up").verdict
    down = assess("090121", price, mats, False, f"RVC {percent}%").verdict
    assert up == (MEETS if sum(originating, D(0)) * 100 / price >= percent else DOES_NOT_MEET)
    if up == MEETS:
        assert down == MEETS

"""A customs union as destination: the common duty, and member-state VAT as a range or chosen.

The class of fault: an answer for the EU (or any customs union) saying "no VAT recorded" because
VAT is national, or using one member's rate for all.  Checked on the answer, the cost and the
pages/API for the SAMPLE EU.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tradewind.access import market_access
from tradewind.costs.calculator import CostInputs
from tradewind.costs.service import landed_cost
from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.i18n import current_language

DAY = date(2025, 6, 1)


def test_union_destination_lists_vat_range_not_missing(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        answer = market_access(conn, "090111", "KEN", "EUN", DAY)
    assert answer.union_taxes is not None and len(answer.union_taxes.members) == 27
    vat = next(r for r in answer.union_taxes.ranges() if r.kind == "VAT")
    assert (vat.low, vat.high) == (Decimal(17), Decimal(27))  # Luxembourg … Hungary (SAMPLE)
    assert vat.low_members == ("LUX",) and vat.high_members == ("HUN",)
    assert not any("No VAT" in w for w in answer.warnings)
    assert any("Luxembourg" in s and "Hungary" in s for s in answer.sentences)
    assert answer.schedule is not None and answer.schedule.economy == "EUN"  # common duty
    data = answer.as_dict()
    assert data["union_taxes"]["ranges"][0]["kind"] == "VAT"


def test_member_state_choice_gives_its_taxes_and_same_duty(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        union = market_access(conn, "090111", "KEN", "EUN", DAY)
        france = market_access(conn, "090111", "KEN", "EUN", DAY, member_state="France")
        direct = market_access(conn, "090111", "KEN", "FRA", DAY)
    assert france.member_state == "FRA" and france.union_taxes is None
    assert [t.economy for t in france.taxes] == ["FRA"]
    assert [t.duty.ad_valorem_percent for t in france.taxes] == [Decimal(20)]
    assert {t.duty.ad_valorem_percent for t in france.taxes} == \
        {t.duty.ad_valorem_percent for t in direct.taxes}
    mfn = lambda a: [line.mfn.duty_text for line in a.lines if line.mfn]  # noqa: E731
    assert mfn(union) == mfn(france) == mfn(direct)


def test_member_state_must_belong_to_the_union(hs_db: Database) -> None:
    with hs_db.connect() as conn, pytest.raises(InvalidInput):
        market_access(conn, "090111", "KEN", "EUN", DAY, member_state="Kenya")
    with hs_db.connect() as conn, pytest.raises(InvalidInput):
        market_access(conn, "090111", "KEN", "GBR", DAY, member_state="France")


def test_cost_for_union_without_member_is_a_minimum(hs_db: Database) -> None:
    inputs = CostInputs(product="090111", origin="KEN", destination="EUN", incoterm="FOB",
                        goods_value=Decimal(10000), currency="EUR", as_of=DAY,
                        freight=Decimal(500), insurance=Decimal(50))
    with hs_db.connect() as conn:
        unknown, _a = landed_cost(conn, inputs)
        germany, _b = landed_cost(conn, inputs, member_state="DEU")
    assert not unknown.complete and unknown.taxes is None
    assert any("member state" in w for w in unknown.warnings)
    assert germany.complete and any(line.key == "vat_1" for line in germany.lines)
    vat = next(line for line in germany.lines if line.key == "vat_1")
    base = next(line for line in germany.lines if line.key == "vat_base")
    assert vat.amount == (base.amount * Decimal("0.19")).quantize(Decimal("0.01"))


def test_pages_and_api_offer_the_member_state(client: Any) -> None:
    page = client.get("/tariffs/access?product=090111&origin=KEN&destination=EUN"
                      "&date=2025-06-01")
    assert page.status_code == 200
    assert 'name="member_state"' in page.text and "Luxembourg" in page.text
    chosen = client.get("/fr/tariffs/access?product=090111&origin=KEN&destination=EUN"
                        "&date=2025-06-01&member_state=FRA")
    assert chosen.status_code == 200 and "20\u00a0%" in chosen.text
    api = client.get("/api/v1/tariffs/access?product=090111&origin=KEN&destination=EUN"
                     "&date=2025-06-01&member_state=ESP").json()
    assert api["member_state"] == "ESP" and api["taxes"][0]["rate_text"] == "21%"
    cost = client.get("/api/v1/tariffs/cost?product=090111&origin=KEN&destination=EUN"
                      "&date=2025-06-01&value=1000&currency=EUR&member_state=ITA").json()
    assert cost["complete"] is True
    bad = client.get("/tariffs/cost?product=090111&origin=KEN&destination=EUN"
                     "&date=2025-06-01&value=1000&currency=EUR&member_state=KEN")
    assert bad.status_code == InvalidInput.status_code and 'name="member_state"' in bad.text


def teardown_module() -> None:
    current_language.set("en")

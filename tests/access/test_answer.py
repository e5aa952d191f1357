"""Market-access answer on the SAMPLE loaded by init (read-only ``hs_db``)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import select

from tradewind.access import market_access
from tradewind.access.answer import parse_product, resolve_economy
from tradewind.agreements.queries import (
    agreements_between,
    get_agreement,
    is_wto_member,
    origin_rules_for,
    product_rules,
)
from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput
from tradewind.nomenclature.models import hs_codes
from tradewind.tariffs import queries as ref

DAY = date(2025, 6, 2)


def test_preference_best_rate_and_saving(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        # Find a line where the SAMPLE EU–Kenya EPA lowers an ad valorem MFN rate.
        codes = [r[0] for r in conn.execute(select(hs_codes.c.code).where(
            hs_codes.c.level == 6, hs_codes.c.code.like("6%")).order_by(hs_codes.c.code))]
        for code in codes:
            answer = market_access(conn, code, "KEN", "FRA", DAY)
            line = answer.lines[0]
            if line.preferences and line.mfn and line.mfn.ad_valorem:
                break
        else:
            pytest.fail("no EPA preference on an ad valorem line in the SAMPLE")
    assert answer.schedule is not None and answer.schedule.economy == "EUN"
    assert line.best is not None and line.best.kind == "preferential"
    assert line.best.ad_valorem == 0
    assert line.saving_points == line.mfn.ad_valorem
    assert any("percentage points below MFN" in s for s in answer.sentences)
    assert any(c.proof_of_origin for c in answer.conditions)
    assert answer.is_sample and answer.provenance[0].is_sample
    assert answer.taxes and answer.taxes[0].name.startswith("TVA")
    assert answer.valuation.basis == "CIF"


def test_group_membership_changes_with_date(hs_db: Database) -> None:
    """The UK left the EU customs union on 2020-12-31: EU schedule before, UK schedule after."""
    with hs_db.connect() as conn:
        before = market_access(conn, "610910", "KEN", "GBR", date(2020, 6, 1))
        after = market_access(conn, "610910", "KEN", "GBR", date(2021, 6, 1))
    assert before.schedule is not None and before.schedule.economy == "EUN"
    assert after.schedule is not None and after.schedule.economy == "GBR"


def test_missing_schedule_and_dates_before_schedules(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        none = market_access(conn, "090111", "KEN", "CHE", DAY)
        early = market_access(conn, "090111", "KEN", "USA", date(2019, 1, 1))
    for answer in (none, early):
        assert answer.schedule is None and answer.lines == []
        assert any("No tariff schedule" in w for w in answer.warnings)
        assert any("cannot say" in s for s in answer.sentences)


def test_as_dict_is_json_ready(hs_db: Database) -> None:
    import json

    with hs_db.connect() as conn:
        answer = market_access(conn, "170114", "BRA", "USA", DAY)
    body = json.loads(json.dumps(answer.as_dict()))
    kinds = {q["kind"] for line in body["lines"] for q in line["quotas"]}
    assert kinds == {"quota_in", "quota_out"}
    assert body["sample"] is True and body["wto"] == {"origin": True, "destination": True}


@pytest.mark.parametrize(("text", "error"), [
    ("09", InvalidInput), ("0901", InvalidInput), ("0901.1x", InvalidCode), ("", InvalidCode),
])
def test_product_parsing(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_product(text)
    assert parse_product("0901.11") == "090111" and parse_product("0901110010") == "090111"


def test_economies_resolve_countries_and_groups(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        assert resolve_economy(conn, "ken") == "KEN"
        assert resolve_economy(conn, "Kenya") == "KEN"
        assert resolve_economy(conn, "EUN") == "EUN"
        with pytest.raises(InvalidInput):
            resolve_economy(conn, "Atlantis")


def test_one_question_bundle_agrees_with_the_named_queries(hs_db: Database) -> None:
    """``rates_for`` (the answer's path) must return what the separate named queries return."""
    rnd = random.Random(7)
    with hs_db.connect() as conn:
        codes = [r[0] for r in conn.execute(select(hs_codes.c.code).where(hs_codes.c.level == 6))]
        trips = [("170114", "BRA", "USA"), ("020130", "ARG", "FRA"), ("850440", "CHN", "USA"),
                 ("090111", "KEN", "DEU")]
        economies = ["USA", "FRA", "GBR", "KEN", "IND", "BRA", "JPN", "CHN", "MEX", "DEU"]
        while len(trips) < 40:
            o, d = rnd.sample(economies, 2)
            trips.append((rnd.choice(codes), o, d))
        for hs6, origin, destination in trips:
            for day in (date(2020, 6, 1), DAY):
                facts = ref.rates_for(conn, destination, hs6, origin, day)
                schedule = ref.schedule_for(conn, destination, day)
                assert facts.schedule == schedule
                assert facts.mfn == ref.mfn_rates(conn, destination, hs6, day)
                assert facts.preferential == ref.preferential_rates(conn, destination, hs6,
                                                                    origin, day)
                assert facts.quotas == ref.quotas(conn, destination, hs6, origin, day)
                assert facts.additional == ref.additional_duties(conn, destination, hs6,
                                                                 origin, day)
                assert facts.taxes == ref.domestic_taxes(conn, destination, hs6, day)
                assert facts.valuation == ref.valuation_basis(conn, destination, day)
                links = agreements_between(conn, origin, destination, day)
                assert sorted((x.agreement.id, x.party_a, x.party_b) for x in facts.links) == \
                    sorted((x.agreement.id, x.party_a, x.party_b) for x in links)
                for economy in (origin, destination):
                    assert facts.is_wto_member(economy) == is_wto_member(conn, economy, day)
                named = {r.agreement_id for r in facts.preferential + facts.quotas
                         if r.agreement_id is not None}
                assert set(facts.agreements) == named
                for agreement_id, info in facts.agreements.items():
                    assert info == get_agreement(conn, agreement_id)
                    assert facts.origin_rules.get(agreement_id) == origin_rules_for(
                        conn, agreement_id)
                    assert facts.product_rules.get(agreement_id, []) == product_rules(
                        conn, agreement_id, hs6)

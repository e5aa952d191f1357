"""The composed brief on the SAMPLE loaded by init: every part agrees with the library."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tradewind.access import market_access
from tradewind.brief import compose_brief
from tradewind.costs.calculator import CostInputs, money
from tradewind.costs.service import landed_cost
from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput
from tradewind.stats import queries as stats

DAY = date(2025, 6, 2)


def test_brief_matches_the_library(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        brief = compose_brief(hs_db, conn, "6109.10", "KEN", "France", DAY, "FOB",
                              Decimal("10000"))
        access = market_access(conn, "610910", "KEN", "FRA", DAY)
        cost, _answer = landed_cost(conn, CostInputs("610910", "KEN", "FRA", "FOB",
                                                     Decimal("10000"), "USD", DAY))
        pm = stats.product_market(conn, "610910", "FRA", "KEN")
    assert brief.product.code == "610910" and brief.product.confidence is None
    assert [s["code"] for s in brief.product.path][-1] == "610910"
    assert brief.duty.sentences == access.sentences
    assert brief.cost.total == money(cost.total, cost.currency)
    assert brief.market.imports == [{"year": f.year, "value_usd": f.value_usd}
                                    for f in pm.imports]
    assert brief.market.origin_share == pm.origin_share
    assert brief.market.score is not None and 0 <= brief.market.score <= 100
    assert brief.origin_rules and brief.origin_rules[0]["proof_of_origin"]
    assert brief.guides and brief.terms and brief.organisations["origin"]
    assert brief.next_steps
    assert brief.sample and all(s["sample"] for s in brief.sources)
    body = json.loads(json.dumps(brief.as_dict(), default=str))
    assert body["sample"] is True and body["as_of"] == "2025-06-02"
    assert {"product", "duty", "cost", "requirements", "market"} <= body.keys()


def test_words_go_through_the_finder(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        brief = compose_brief(hs_db, conn, "roasted coffee", "KEN", "FRA", DAY)
    assert brief.product.code.startswith("0901")
    assert brief.product.confidence is not None and 0 < brief.product.confidence <= 1
    assert not brief.cost.available and brief.cost.note  # no value given


def test_bad_input_is_a_clear_error(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        with pytest.raises(InvalidInput):
            compose_brief(hs_db, conn, "", "KEN", "FRA", DAY)
        with pytest.raises(InvalidInput):
            compose_brief(hs_db, conn, "61", "KEN", "FRA", DAY)
        with pytest.raises((InvalidCode, InvalidInput)):
            compose_brief(hs_db, conn, "610910", "KEN", "Atlantis", DAY)


def test_requirements_degrade_when_the_capability_is_absent(
        hs_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    real = importlib.import_module

    def fake(name: str, *args: object) -> object:
        if name == "tradewind.requirements.queries":
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("tradewind.brief.compose.importlib.import_module", fake)
    with hs_db.connect() as conn:
        brief = compose_brief(hs_db, conn, "610910", "KEN", "FRA", DAY)
    assert not brief.requirements.available and brief.requirements.note
    assert brief.duty.sentences  # the rest of the brief is still there


def test_kept_parts_equal_the_library_in_each_language(hs_db: Database) -> None:
    """Guides, terms and organisations are read once per data version and language: a
    second brief (from the cache) and a brief in another language give what the library
    reads directly."""
    from tradewind.i18n import current_language
    from tradewind.knowledge.queries import get_guide
    from tradewind.network.queries import search_organisations

    with hs_db.connect() as conn:
        first = compose_brief(hs_db, conn, "610910", "KEN", "FRA", DAY)
        second = compose_brief(hs_db, conn, "610910", "KEN", "FRA", DAY)
        token = current_language.set("fr")
        try:
            french = compose_brief(hs_db, conn, "610910", "KEN", "FRA", DAY)
            guide_fr = get_guide(conn, french.guides[0]["slug"], "fr")
            orgs_fr = search_organisations(conn, country="FRA", lang="fr")
        finally:
            current_language.reset(token)
        guide_en = get_guide(conn, first.guides[0]["slug"], "en")
        orgs = search_organisations(conn, country="KEN", lang="en")
    assert first.guides == second.guides and first.terms == second.terms
    assert first.organisations == second.organisations
    assert guide_en is not None and first.guides[0]["title"] == guide_en.title
    assert guide_fr is not None and french.guides[0]["title"] == guide_fr.title
    assert [o["name"] for o in first.organisations["origin"]] == [o.name for o in orgs[:5]]
    assert [o["name"] for o in french.organisations["destination"]] == [
        o.name for o in orgs_fr[:5]]
    # copies: changing one brief's parts does not change the next one's
    first.guides[0]["title"] = "changed"
    with hs_db.connect() as conn:
        third = compose_brief(hs_db, conn, "610910", "KEN", "FRA", DAY)
    assert third.guides == second.guides

"""A least-developed origin sees the duty-free quota-free schemes it qualifies for.

The class of fault: the SAMPLE (or an import) leaving out the preferences a user from a
least-developed country actually has, so the answer understates their access.  Each demo market
that grants an LDC scheme must show it, with its rules of origin and proof of origin.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tradewind.access import market_access
from tradewind.db import Database
from tradewind.tariffs.models import tariff_rates, tariff_schedules
from tradewind.tariffs.sample import AGREEMENTS, LDC_SAMPLE

DAY = date(2025, 6, 1)
LDC_SCHEMES = {"EUN": "Everything But Arms", "GBR": "DCTS Comprehensive",
               "JPN": "least-developed", "IND": "Duty Free Tariff Preference"}


def _dutiable_codes(db: Database, economy: str, limit: int = 5) -> list[str]:
    """HS6 codes with an ad valorem MFN above zero in the SAMPLE schedule of ``economy``."""
    with db.connect() as conn:
        rows = conn.execute(
            select(tariff_rates.c.hs6)
            .join(tariff_schedules, tariff_schedules.c.id == tariff_rates.c.schedule_id)
            .where(tariff_schedules.c.economy == economy, tariff_rates.c.rate_type == "mfn",
                   tariff_rates.c.ad_valorem > 0, ~tariff_rates.c.hs6.startswith("93"))
            .order_by(tariff_rates.c.hs6).limit(200)).scalars().all()
    return list(rows[::40][:limit])


def test_every_ldc_scheme_lists_ldc_beneficiaries() -> None:
    ldc = {a.key: a for a in AGREEMENTS if set(LDC_SAMPLE) <= set(a.parties[1:])}
    assert {a.parties[0] for a in ldc.values()} == set(LDC_SCHEMES)
    for agreement in ldc.values():
        assert agreement.general_rule and agreement.proof  # conditions are stated


@pytest.mark.parametrize("destination", sorted(LDC_SCHEMES))
@pytest.mark.parametrize("origin", ["BGD", "ETH"])
def test_ldc_origin_sees_duty_free_scheme_with_conditions(hs_db: Database, origin: str,
                                                          destination: str) -> None:
    codes = _dutiable_codes(hs_db, destination)
    assert codes, f"the SAMPLE has no dutiable lines for {destination}"
    with hs_db.connect() as conn:
        answers = [market_access(conn, code, origin, destination, DAY) for code in codes]
    found = 0
    for answer in answers:
        prefs = [p for line in answer.lines for p in line.preferences
                 if LDC_SCHEMES[destination] in p.label]
        if not prefs:
            continue
        found += 1
        assert all(p.ad_valorem == 0 for p in prefs)  # duty-free
        assert any(line.best is not None and line.best.ad_valorem == 0 for line in answer.lines)
        conditions = [c for c in answer.conditions if LDC_SCHEMES[destination] in
                      c.agreement_name]
        assert conditions and conditions[0].general_rule and conditions[0].proof_of_origin
        assert any(LDC_SCHEMES[destination] in s for s in answer.sentences)
        assert answer.is_sample
    assert found >= len(codes) - 1  # 95–100 % of lines are covered


def test_non_ldc_origin_does_not_get_the_ldc_scheme(hs_db: Database) -> None:
    codes = _dutiable_codes(hs_db, "EUN")
    with hs_db.connect() as conn:
        for code in codes:
            answer = market_access(conn, code, "KEN", "EUN", DAY)
            labels = [p.label for line in answer.lines for p in line.preferences]
            assert not any("Everything But Arms" in label for label in labels)


def test_eba_excludes_arms(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        answer = market_access(conn, "930200", "BGD", "EUN", DAY)
    labels = [p.label for line in answer.lines for p in line.preferences]
    assert not any("Everything But Arms" in label for label in labels)

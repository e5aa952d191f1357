"""Agreement partners (read in bulk for the ease component) and duties from the tariff data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from tradewind.agreements.models import (
    agreement_parties,
    agreements,
    economy_groups,
    group_members,
)
from tradewind.db import Database
from tradewind.markets import links


def _agreement(conn: object, ident: int, name: str, status: str, start: date | None,
               parties: list[str], kind: str = "free trade area") -> None:
    conn.execute(insert(agreements).values(  # type: ignore[attr-defined]
        id=ident, code=f"test:{ident}", name=name, type=kind, status=status,
        coverage="goods", signed_date=None, entry_into_force=start, end_date=None,
        wto_notified=False, legal_text_url="", source="csv", notes="", dataset_id=None))
    conn.execute(insert(agreement_parties), [  # type: ignore[attr-defined]
        {"agreement_id": ident, "party": p, "entry_date": None, "exit_date": None}
        for p in parties])


def test_agreement_partners(db: Database) -> None:
    with db.connect() as conn:
        assert links.agreement_partners(conn, "KEN", date(2023, 1, 1)) is None  # nothing loaded
    with db.transaction() as conn:
        conn.execute(insert(economy_groups).values(code="EUN", name="European Union",
                                                   kind="customs union", customs_union=True))
        conn.execute(insert(group_members), [
            {"group_code": "EUN", "member": "DEU", "valid_from": date(1958, 1, 1),
             "valid_to": None},
            {"group_code": "EUN", "member": "FRA", "valid_from": date(1958, 1, 1),
             "valid_to": None},
            {"group_code": "EUN", "member": "GBR", "valid_from": date(1973, 1, 1),
             "valid_to": date(2020, 12, 31)},
        ])
        _agreement(conn, 1, "EU-Kenya", "in force", date(2016, 1, 1), ["EUN", "KEN"])
        _agreement(conn, 2, "EAC", "in force", date(2000, 7, 7), ["KEN", "UGA", "TZA"])
        _agreement(conn, 3, "Kenya-USA (signed only)", "signed", None, ["KEN", "USA"])
        _agreement(conn, 4, "Future", "in force", date(2030, 1, 1), ["KEN", "JPN"])
        _agreement(conn, 5, "AGOA", "in force", date(2000, 10, 1), ["USA", "KEN", "GHA"],
                   kind="unilateral preference")
    with db.connect() as conn:
        # Group parties are expanded to members on the date; signed-only and future
        # agreements and one-way preference schemes (AGOA) do not count; GBR left the EU at
        # the end of 2020.
        assert links.agreement_partners(conn, "KEN", date(2023, 6, 1)) == {
            "DEU", "FRA", "UGA", "TZA"}
        assert "GBR" in links.agreement_partners(conn, "KEN", date(2019, 6, 1))  # type: ignore[operator]
        # A member reaches Kenya through the EU, but not its fellow members.
        assert links.agreement_partners(conn, "DEU", date(2023, 6, 1)) == {"KEN"}
        assert links.agreement_partners(conn, "BRA", date(2023, 6, 1)) == set()


def test_no_tariff_data_means_no_duties(db: Database) -> None:
    with db.connect() as conn:
        assert links.duties_for(conn, "090111", "ETH", ["DEU", "USA"],
                                lambda _m: [("BRA", 10.0)], date(2024, 1, 1)) == {}


def test_duties_on_sample_schedules(hs_db: Database) -> None:
    """For every market with a SAMPLE schedule the duties equal a direct computation with
    TARIFFS' own queries: best of MFN and preferences, plus ad valorem additional duties."""
    from tradewind.tariffs import queries as tq

    day = date(2025, 1, 1)

    def direct(market: str, who: str) -> float | None:
        mfn = [r.duty.ad_valorem_percent for r in tq.mfn_rates(conn, market, "610910", day)]
        mfn = [float(v) for v in mfn if v is not None]
        if not mfn:
            return None
        prefs = [r.duty.ad_valorem_percent
                 for r in tq.preferential_rates(conn, market, "610910", who, day)]
        best = min([*mfn, *(float(v) for v in prefs if v is not None)])
        extra = [d.duty.ad_valorem_percent
                 for d in tq.additional_duties(conn, market, "610910", who, day)]
        return best + sum(float(v) for v in extra if v is not None)

    suppliers = {"USA": [("CHN", 300.0), ("BGD", 100.0)], "DEU": [("BGD", 50.0)],
                 "GBR": [("KEN", 10.0), ("TUR", 30.0)]}
    with hs_db.connect() as conn:
        duties = links.duties_for(conn, "610910", "KEN", ["USA", "DEU", "GBR", "ZWE"],
                                  lambda m: suppliers.get(m, []), day)
        assert "ZWE" not in duties  # no schedule: unknown, not guessed
        assert duties, "the SAMPLE schedules should give at least one market"
        for market, found in duties.items():
            assert found.origin == pytest.approx(direct(market, "KEN"))
            rivals = [(s, v) for s, v in suppliers[market] if s != "KEN"]
            known = [(direct(market, s), v) for s, v in rivals]
            known = [(r, v) for r, v in known if r is not None]
            assert found.competitors == pytest.approx(
                sum(r * v for r, v in known) / sum(v for _r, v in known))


def test_cached_figures_are_recomputed_when_data_change(db: Database) -> None:
    from tradewind.datasets.queries import record_dataset

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with db.connect() as conn:
        assert links.cached(conn, ("test-key",), compute) == 1
        assert links.cached(conn, ("test-key",), compute) == 1  # remembered
    with db.transaction() as conn:
        record_dataset(conn, kind="flows", name="new", source="s", licence="l", edition="e")
    with db.connect() as conn:
        assert links.cached(conn, ("test-key",), compute) == 2  # a new dataset: recomputed


def test_ad_valorem_equivalent_of_specific_duties(db: Database) -> None:
    """4.4 US cents per kg on goods worth 4.40 USD/kg: 44 USD on 1 000 kg worth 4 400 USD = 1 %.

    A duty in euros needs an exchange rate: none is loaded in this database, so the AVE is
    unknown (None), never guessed; so is any specific duty without a unit value.
    """
    from types import SimpleNamespace

    from tradewind.tariffs.duty import parse_duty

    day = date(2024, 1, 1)
    cents = SimpleNamespace(duty=parse_duty("4.4¢/kg"))
    euros = SimpleNamespace(duty=parse_duty("€ 12.80/100 kg/net"))
    plain = SimpleNamespace(duty=parse_duty("6.8%"))
    with db.connect() as conn:
        assert links._percent(conn, cents, links.Pricing(4.4, day)) == pytest.approx(1.0)
        assert links._percent(conn, cents, links.Pricing(None, day)) is None
        assert links._percent(conn, euros, links.Pricing(3.0, day)) is None
        assert links._percent(conn, plain, links.Pricing(None, day)) == pytest.approx(6.8)


def test_one_version_per_composed_answer(db: Database) -> None:
    """Inside ``one_version`` the parts of one answer share the version read at its start
    (no query each); the next answer sees an import made meanwhile."""
    from tradewind.datasets.queries import record_dataset

    with db.connect() as conn:
        with links.one_version(conn) as version:
            with db.transaction() as other:
                record_dataset(other, kind="flows", name="meanwhile", source="s",
                               licence="l", edition="e")
            assert links.data_version(conn) == version
        conn.commit()  # a new snapshot for the next answer
        assert links.data_version(conn) != version

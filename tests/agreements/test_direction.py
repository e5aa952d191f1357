"""One-way schemes link only their grantor with a beneficiary; reciprocal agreements link
their members both ways.  Checked for every agreement in the SAMPLE, in both directions."""

from __future__ import annotations

from datetime import date
from itertools import permutations

import pytest

from tradewind.agreements.queries import agreements_between, is_one_way_type
from tradewind.agreements.store import PartyIn, create_agreement
from tradewind.db import Database
from tradewind.tariffs.sample import AGREEMENTS

DAY = date(2025, 6, 1)


def _codes(links: list) -> set[str]:  # type: ignore[type-arg]
    return {link.agreement.code for link in links}


@pytest.mark.parametrize("agreement", AGREEMENTS, ids=lambda a: a.key)
def test_every_sample_agreement_in_both_directions(hs_db: Database, agreement) -> None:  # type: ignore[no-untyped-def]
    code = f"sample:{agreement.key}"
    parties = agreement.parties
    one_way = is_one_way_type(agreement.type)
    with hs_db.connect() as conn:
        for a, b in permutations(parties, 2):
            if agreement.entry_into_force > DAY:
                continue
            links = [link for link in agreements_between(conn, a, b, DAY)
                     if link.agreement.code == code]
            if one_way:
                grantor = parties[0]
                expected = grantor in (a, b)
                assert bool(links) == expected, (code, a, b)
                if links:
                    assert links[0].grantor == grantor
                    assert links[0].one_way
            else:
                assert links, (code, a, b)
                assert links[0].grantor is None


def test_two_beneficiaries_are_never_linked_by_a_scheme(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        assert "sample:agoa" not in _codes(agreements_between(conn, "KEN", "GHA", DAY))
        assert "sample:agoa" in _codes(agreements_between(conn, "KEN", "USA", DAY))
        assert "sample:agoa" in _codes(agreements_between(conn, "USA", "KEN", DAY))


def test_a_scheme_without_a_recorded_grantor_links_nobody(db: Database) -> None:
    with db.transaction() as conn:
        create_agreement(conn, code="csv:gsp", name="Some GSP", type="unilateral preference",
                         status="in force", parties=["AAA", "BBB", "CCC"],
                         entry_into_force=date(2020, 1, 1))
        create_agreement(conn, code="csv:fta", name="Some FTA", type="free trade agreement",
                         status="in force", parties=[PartyIn("AAA"), PartyIn("BBB")],
                         entry_into_force=date(2020, 1, 1))
    with db.connect() as conn:
        assert _codes(agreements_between(conn, "AAA", "BBB", DAY)) == {"csv:fta"}
        assert _codes(agreements_between(conn, "BBB", "AAA", DAY)) == {"csv:fta"}
        assert _codes(agreements_between(conn, "BBB", "CCC", DAY)) == set()


def test_unknown_party_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown party role"):
        PartyIn("KEN", role="donor")

"""Agreements between economies on a date, groups as parties, WTO membership."""

from __future__ import annotations

from datetime import date

import yaml

from tests.tariffs.util import load_reference
from tradewind.agreements import queries as q
from tradewind.agreements.economies import economy_code
from tradewind.agreements.init import init_agreements_reference
from tradewind.agreements.store import PartyIn, create_agreement, set_origin_rules
from tradewind.db import Database


def _agreements(db: Database) -> dict[str, int]:
    load_reference(db)
    with db.transaction() as conn:
        eu_jpn = create_agreement(conn, code="t:eu-jpn", name="EU–Japan EPA",
                                  type="free trade area & economic integration agreement",
                                  status="in force", parties=["EUN", "JPN"],
                                  entry_into_force=date(2019, 2, 1))
        uk_jpn = create_agreement(conn, code="t:uk-jpn", name="UK–Japan CEPA",
                                  type="free trade area", status="in force",
                                  parties=["GBR", "JPN"], entry_into_force=date(2021, 1, 1))
        pact = create_agreement(conn, code="t:pact", name="Three-party pact",
                                type="partial scope agreement", status="in force",
                                parties=[PartyIn("KEN"), PartyIn("UGA"),
                                         PartyIn("TZA", exit_date=date(2010, 12, 31))],
                                entry_into_force=date(2000, 1, 1))
        create_agreement(conn, code="t:signed", name="Signed only", type="free trade area",
                         status="signed", parties=["KEN", "JPN"])
        set_origin_rules(conn, eu_jpn, general_rule="wholly obtained or sufficiently worked",
                         cumulation="bilateral", proof_of_origin="statement on origin",
                         legal_text_url="https://example.org/eu-jpn")
    return {"eu_jpn": eu_jpn, "uk_jpn": uk_jpn, "pact": pact}


def test_agreements_between_uses_group_membership_dates(db: Database) -> None:
    ids = _agreements(db)
    with db.connect() as conn:
        links = q.agreements_between(conn, "FRA", "JPN", date(2024, 1, 1))
        assert [(link.agreement.id, link.party_a, link.party_b) for link in links] == [
            (ids["eu_jpn"], "EUN", "JPN")]
        # Symmetric.
        assert [link.party_a for link in q.agreements_between(conn, "JPN", "FRA",
                                                              date(2024, 1, 1))] == ["JPN"]
        # Before entry into force: nothing.
        assert q.agreements_between(conn, "FRA", "JPN", date(2019, 1, 31)) == []
        # The UK: EU agreement during the transition period, its own agreement afterwards.
        assert [link.agreement.id for link in q.agreements_between(
            conn, "GBR", "JPN", date(2020, 6, 1))] == [ids["eu_jpn"]]
        assert [link.agreement.id for link in q.agreements_between(
            conn, "GBR", "JPN", date(2021, 6, 1))] == [ids["uk_jpn"]]
        # Croatia joins the EU agreement from its accession to the EU.
        assert q.agreements_between(conn, "HRV", "JPN", date(2019, 6, 1))
        # Two EU members are not linked by the EU's external agreement.
        assert q.agreements_between(conn, "FRA", "DEU", date(2024, 1, 1)) == []
        # A signed-only agreement is never in force.
        assert q.agreements_between(conn, "KEN", "JPN", date(2024, 1, 1)) == []


def test_party_exit_dates(db: Database) -> None:
    ids = _agreements(db)
    with db.connect() as conn:
        assert [link.agreement.id for link in q.agreements_between(
            conn, "KEN", "TZA", date(2005, 1, 1))] == [ids["pact"]]
        assert q.agreements_between(conn, "KEN", "TZA", date(2015, 1, 1)) == []
        assert q.agreements_between(conn, "KEN", "UGA", date(2015, 1, 1))
        assert q.is_party(conn, ids["pact"], "TZA", date(2015, 1, 1)) is None
        assert q.is_party(conn, ids["eu_jpn"], "ITA", date(2024, 1, 1)) == "EUN"


def test_origin_rules_and_listing(db: Database) -> None:
    ids = _agreements(db)
    with db.connect() as conn:
        rules = q.origin_rules_for(conn, ids["eu_jpn"])
        assert rules is not None and rules.cumulation == "bilateral"
        assert q.origin_rules_for(conn, ids["pact"]) is None
        assert {p.party for p in q.parties_of(conn, ids["eu_jpn"])} == {"EUN", "JPN"}
        names = [a.name for a in q.list_agreements(conn, "DEU", date(2024, 1, 1))]
        assert names == ["EU–Japan EPA"]
        assert q.get_agreement(conn, ids["uk_jpn"]).name == "UK–Japan CEPA"  # type: ignore[union-attr]
        assert q.agreement_by_code(conn, "t:pact").id == ids["pact"]  # type: ignore[union-attr]


def test_groups(db: Database) -> None:
    load_reference(db)
    with db.connect() as conn:
        assert q.groups_of(conn, "GBR", date(2020, 12, 31)) == ["EUN"]
        assert q.groups_of(conn, "GBR", date(2021, 1, 1)) == []
        assert q.customs_unions_of(conn, "BWA", date(2024, 1, 1)) == ["SAC"]
        assert len(q.members_of(conn, "EUN", date(2024, 1, 1))) == 27
        assert len(q.members_of(conn, "EUN", date(2019, 1, 1))) == 28
        assert len(q.members_of(conn, "EUN", date(1995, 1, 1))) == 15


def test_wto_membership_data_loaded_at_init(hs_db: Database) -> None:
    with hs_db.connect() as conn:
        members = q.list_wto_members(conn, date(2025, 1, 1))
        assert len(members) == 166
        assert q.is_wto_member(conn, "EUN", date(2024, 1, 1))
        assert not q.is_wto_member(conn, "CHN", date(2001, 12, 10))
        assert q.is_wto_member(conn, "CHN", date(2001, 12, 11))
        assert not q.is_wto_member(conn, "COM", date(2024, 8, 20))
        assert q.is_wto_member(conn, "COM", date(2024, 8, 21))
        assert not q.is_wto_member(conn, "ETH", date(2025, 1, 1))  # observer, not member
        assert q.wto_membership(conn, "RUS").accession_date == date(2012, 8, 22)  # type: ignore[union-attr]


def test_wto_data_file_is_consistent() -> None:
    from importlib import resources

    text = resources.files("tradewind.agreements").joinpath(
        "data", "wto_members.yaml").read_text("utf-8")
    members = yaml.safe_load(text)["members"]
    codes = [m["economy"] for m in members]
    assert len(codes) == len(set(codes)) == 166
    founding = [m for m in members if m["date"] == date(1995, 1, 1)]
    assert len(founding) == 76
    for code in codes:
        assert economy_code(code) == code


def test_reference_init_is_idempotent(db: Database) -> None:
    messages: list[str] = []
    init_agreements_reference(db, None, messages.append)  # type: ignore[arg-type]
    init_agreements_reference(db, None, messages.append)  # type: ignore[arg-type]
    assert len(messages) == 2  # second run does nothing


def test_economy_codes() -> None:
    assert economy_code("European Union") == "EUN"
    assert economy_code("Chinese Taipei") == "TWN"
    assert economy_code("Korea, Republic of") == "KOR"
    assert economy_code("ken") == "KEN"

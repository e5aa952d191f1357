"""Writers for agreements and their parties (used by the DESTA, WTO RTA and CSV importers)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert

from tradewind.agreements.models import agreement_parties, agreements, origin_rules

PARTY_ROLES = ("party", "grantor", "beneficiary")


@dataclass(frozen=True)
class PartyIn:
    party: str
    entry_date: date | None = None
    exit_date: date | None = None
    role: str = "party"  # "grantor"/"beneficiary" in a one-way preference scheme

    def __post_init__(self) -> None:
        if self.role not in PARTY_ROLES:
            raise ValueError(f"unknown party role {self.role!r}")


def create_agreement(conn: Connection, *, code: str, name: str, type: str, status: str,
                     parties: Iterable[PartyIn | str], coverage: str = "",
                     signed_date: date | None = None, entry_into_force: date | None = None,
                     end_date: date | None = None, wto_notified: bool = False,
                     legal_text_url: str = "", source: str = "csv", notes: str = "",
                     dataset_id: int | None = None) -> int:
    """Insert an agreement and its parties; returns the agreement id."""
    result = conn.execute(insert(agreements).values(
        code=code, name=name, type=type, status=status, coverage=coverage,
        signed_date=signed_date, entry_into_force=entry_into_force, end_date=end_date,
        wto_notified=wto_notified, legal_text_url=legal_text_url, source=source, notes=notes,
        dataset_id=dataset_id))
    pk = result.inserted_primary_key
    assert pk is not None
    agreement_id = int(pk[0])
    rows = []
    for party in parties:
        p = PartyIn(party) if isinstance(party, str) else party
        rows.append({"agreement_id": agreement_id, "party": p.party,
                     "entry_date": p.entry_date, "exit_date": p.exit_date, "role": p.role})
    if rows:
        conn.execute(insert(agreement_parties), rows)
    return agreement_id


def set_origin_rules(conn: Connection, agreement_id: int, *, general_rule: str = "",
                     cumulation: str = "", proof_of_origin: str = "", legal_text_url: str = "",
                     notes: str = "") -> None:
    """Record the rules-of-origin notes of an agreement (replacing earlier notes)."""
    conn.execute(origin_rules.delete().where(origin_rules.c.agreement_id == agreement_id))
    conn.execute(insert(origin_rules).values(
        agreement_id=agreement_id, general_rule=general_rule, cumulation=cumulation,
        proof_of_origin=proof_of_origin, legal_text_url=legal_text_url, notes=notes))

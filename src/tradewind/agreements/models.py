"""Trade agreements, their parties over time, economy groups (EU…), WTO membership, origin rules.

A party is an ISO3 code or a group code ("EUN").  Group membership has its own dates, so an
agreement signed by the EU covers France from 1958 and Croatia only from 2013-07-01, and no
longer covers the United Kingdom after 2020-12-31.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from tradewind.db import metadata

agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(80), nullable=False, unique=True),  # "desta:123", "rta:456", "csv:…"
    Column("name", String(400), nullable=False),
    # free trade area, customs union, partial scope, economic integration, FTA & EIA, CU & EIA…
    Column("type", String(60), nullable=False),
    Column("status", String(60), nullable=False),  # "in force", "inactive", "signed"…
    Column("coverage", String(40), nullable=False),  # goods, services, goods & services, ""
    Column("signed_date", Date, nullable=True),
    Column("entry_into_force", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("wto_notified", Boolean, nullable=False),
    Column("legal_text_url", Text, nullable=False),
    Column("source", String(20), nullable=False),  # desta, wto-rta, csv
    Column("notes", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    Index("ix_agreements_dataset_id", "dataset_id"),
)

agreement_parties = Table(
    "agreement_parties",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="CASCADE"),
           nullable=False),
    Column("party", String(3), nullable=False),  # ISO3 or group code
    Column("entry_date", Date, nullable=True),  # NULL = from the agreement's entry into force
    Column("exit_date", Date, nullable=True),  # NULL = still a party
    # "party" in a reciprocal agreement; in a one-way scheme (GSP, AGOA…) the economy that
    # grants the preference is the "grantor" and those that receive it are "beneficiary".
    Column("role", String(12), nullable=False, server_default="party"),
    Index("ix_agreement_parties_party", "party"),
    Index("ix_agreement_parties_agreement_id", "agreement_id"),
)

economy_groups = Table(
    "economy_groups",
    metadata,
    Column("code", String(3), primary_key=True),  # "EUN"
    Column("name", String(200), nullable=False),
    Column("kind", String(40), nullable=False),  # customs union, economic union…
    Column("customs_union", Boolean, nullable=False),  # members apply the group's schedule
)

group_members = Table(
    "group_members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("group_code", String(3), ForeignKey("economy_groups.code", ondelete="CASCADE"),
           nullable=False),
    Column("member", String(3), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Index("ix_group_members_member", "member"),
    Index("ix_group_members_group_code", "group_code"),
)

wto_members = Table(
    "wto_members",
    metadata,
    Column("economy", String(3), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("accession_date", Date, nullable=False),
)

origin_rules = Table(
    "origin_rules",
    metadata,
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="CASCADE"),
           primary_key=True),
    Column("general_rule", Text, nullable=False),
    Column("cumulation", Text, nullable=False),
    Column("proof_of_origin", Text, nullable=False),
    Column("legal_text_url", Text, nullable=False),
    Column("notes", Text, nullable=False),
)

product_specific_rules = Table(
    "product_specific_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agreement_id", Integer, ForeignKey("agreements.id", ondelete="CASCADE"),
           nullable=False),
    Column("hs_code", String(10), nullable=False),  # chapter, heading or subheading
    Column("rule_text", Text, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    # Filled by ``tradewind import origin-rules-csv`` (issue 9): the published wording, its
    # legal reference and notes; ``rule_text`` then holds the checkable notation (or the
    # wording when no notation was given).
    Column("legal_text", Text, nullable=False, server_default=""),
    Column("legal_reference", String(400), nullable=False, server_default=""),
    Column("notes", Text, nullable=False, server_default=""),
    Index("ix_product_specific_rules_agreement_code", "agreement_id", "hs_code"),
)

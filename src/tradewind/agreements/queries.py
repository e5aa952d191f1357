"""Named queries over agreements, economy groups and WTO membership.

Every query that depends on time takes ``as_of`` (default: today).  Parties may be groups
("EUN"): an economy takes part in an agreement directly or through a group it belongs to
on that date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, or_, select

from tradewind.agreements.models import (
    agreement_parties,
    agreements,
    economy_groups,
    group_members,
    origin_rules,
    product_specific_rules,
    wto_members,
)


def today(as_of: date | None) -> date:
    """The date a query is about: ``as_of``, else today."""
    return as_of or date.today()


def valid_on(col_from: Any, col_to: Any, as_of: Any) -> ColumnElement[bool]:
    """SQL condition: ``as_of`` within [from, to] (NULL = open).  Shared by the tariff queries."""
    return and_(or_(col_from.is_(None), col_from <= as_of),
                or_(col_to.is_(None), col_to >= as_of))


@dataclass(frozen=True)
class AgreementInfo:
    id: int
    code: str
    name: str
    type: str
    status: str
    coverage: str
    signed_date: date | None
    entry_into_force: date | None
    end_date: date | None
    wto_notified: bool
    legal_text_url: str
    source: str
    notes: str
    dataset_id: int | None


@dataclass(frozen=True)
class Party:
    party: str  # ISO3 or group code
    entry_date: date | None
    exit_date: date | None


@dataclass(frozen=True)
class AgreementLink:
    """An agreement linking two economies on a date, and through which party each takes part."""

    agreement: AgreementInfo
    party_a: str  # "FRA" or "EUN" when France takes part as an EU member
    party_b: str
    grantor: str | None = None  # one-way scheme: the party that grants the preference

    @property
    def one_way(self) -> bool:
        return self.grantor is not None


@dataclass(frozen=True)
class OriginRules:
    agreement_id: int
    general_rule: str
    cumulation: str
    proof_of_origin: str
    legal_text_url: str
    notes: str


@dataclass(frozen=True)
class ProductRule:
    agreement_id: int
    hs_code: str
    rule_text: str


@dataclass(frozen=True)
class WtoMembership:
    economy: str
    name: str
    accession_date: date


@dataclass(frozen=True)
class GroupInfo:
    code: str
    name: str
    kind: str
    customs_union: bool
    members: tuple[str, ...] = field(default=())


def _agreement(row) -> AgreementInfo:  # type: ignore[no-untyped-def]
    return AgreementInfo(
        id=row.id, code=row.code, name=row.name, type=row.type, status=row.status,
        coverage=row.coverage, signed_date=row.signed_date,
        entry_into_force=row.entry_into_force, end_date=row.end_date,
        wto_notified=bool(row.wto_notified), legal_text_url=row.legal_text_url,
        source=row.source, notes=row.notes, dataset_id=row.dataset_id)


# ---------------------------------------------------------------------------------------
# Groups


# Hot statements are built once with bind parameters: building a SQLAlchemy statement
# costs more than running it on an indexed table (the market-access answer runs several).
_DAY: Any = bindparam("day")
_GROUPS = select(group_members.c.group_code).where(
    group_members.c.member == bindparam("economy"),
    valid_on(group_members.c.valid_from, group_members.c.valid_to, _DAY))
_CUSTOMS_UNIONS = (
    select(group_members.c.group_code)
    .join(economy_groups, economy_groups.c.code == group_members.c.group_code)
    .where(group_members.c.member == bindparam("economy"),
           economy_groups.c.customs_union.is_(True),
           valid_on(group_members.c.valid_from, group_members.c.valid_to, _DAY)))


_MEMBERSHIPS = (
    select(group_members.c.member, group_members.c.group_code, economy_groups.c.customs_union)
    .join(economy_groups, economy_groups.c.code == group_members.c.group_code)
    .where(group_members.c.member.in_(bindparam("economies", expanding=True)),
           valid_on(group_members.c.valid_from, group_members.c.valid_to, _DAY)))


def memberships(conn: Connection, economies: list[str],
                as_of: date | None = None) -> dict[str, list[tuple[str, bool]]]:
    """Groups of several economies on ``as_of`` in one query: economy → [(group, is CU)]."""
    out: dict[str, list[tuple[str, bool]]] = {e: [] for e in economies}
    for member, group, customs_union in conn.execute(
            _MEMBERSHIPS, {"economies": list(economies), "day": today(as_of)}):
        out[member].append((group, bool(customs_union)))
    for groups in out.values():
        groups.sort()
    return out


def groups_of(conn: Connection, economy: str, as_of: date | None = None) -> list[str]:
    """Group codes ``economy`` belongs to on ``as_of`` (e.g. FRA → ["EUN"])."""
    rows = conn.execute(_GROUPS, {"economy": economy, "day": today(as_of)})
    return sorted({r[0] for r in rows})


def customs_unions_of(conn: Connection, economy: str, as_of: date | None = None) -> list[str]:
    """Customs unions whose common schedule ``economy`` applies on ``as_of``."""
    rows = conn.execute(_CUSTOMS_UNIONS, {"economy": economy, "day": today(as_of)})
    return sorted({r[0] for r in rows})


def members_of(conn: Connection, group: str, as_of: date | None = None) -> list[str]:
    day = today(as_of)
    rows = conn.execute(
        select(group_members.c.member).where(
            group_members.c.group_code == group,
            valid_on(group_members.c.valid_from, group_members.c.valid_to, day)))
    return sorted({r[0] for r in rows})


def economy_codes(conn: Connection, economy: str, as_of: date | None = None) -> list[str]:
    """``economy`` itself followed by every group it belongs to on ``as_of``."""
    return [economy, *groups_of(conn, economy, as_of)]


_IS_GROUP = select(economy_groups.c.code).where(economy_groups.c.code == bindparam("code"))


def is_group(conn: Connection, code: str) -> bool:
    """True when ``code`` is an economy group (EUN, ...) rather than a country."""
    return conn.execute(_IS_GROUP, {"code": code}).first() is not None


def list_groups(conn: Connection) -> list[GroupInfo]:
    rows = conn.execute(select(economy_groups).order_by(economy_groups.c.code)).all()
    return [GroupInfo(r.code, r.name, r.kind, bool(r.customs_union),
                      tuple(members_of(conn, r.code))) for r in rows]


# ---------------------------------------------------------------------------------------
# Agreements


IN_FORCE = "in force"


def _in_force(as_of: Any):  # type: ignore[no-untyped-def]
    """In force on ``as_of``: entered into force by then (or, date unknown, status "in force")
    and not ended.  Signed-only agreements never count."""
    return and_(or_(agreements.c.entry_into_force <= as_of,
                    and_(agreements.c.entry_into_force.is_(None),
                         agreements.c.status == IN_FORCE)),
                or_(agreements.c.end_date.is_(None), agreements.c.end_date >= as_of))


_QUALIFYING = (
    select(agreement_parties.c.agreement_id, agreement_parties.c.party)
    .join(agreements, agreements.c.id == agreement_parties.c.agreement_id)
    .where(agreement_parties.c.agreement_id.in_(bindparam("ids", expanding=True)),
           agreement_parties.c.party.in_(bindparam("codes", expanding=True)), _in_force(_DAY),
           agreement_parties.c.role != "grantor",  # a grantor never receives its own scheme
           valid_on(agreement_parties.c.entry_date, agreement_parties.c.exit_date, _DAY)))


_AGREEMENTS_OF = (
    select(agreements, agreement_parties.c.party.label("via"),
           agreement_parties.c.role.label("via_role"))
    .join(agreement_parties, agreement_parties.c.agreement_id == agreements.c.id)
    .where(agreement_parties.c.party.in_(bindparam("codes", expanding=True)), _in_force(_DAY),
           valid_on(agreement_parties.c.entry_date, agreement_parties.c.exit_date, _DAY))
    .order_by(agreements.c.entry_into_force, agreements.c.id))

#: agreement id → (agreement, party code through which the economy takes part, its role)
Participation = dict[int, tuple[AgreementInfo, str, str]]


def codes_from(groups: Mapping[str, Sequence[tuple[str, bool]]], economy: str) -> list[str]:
    """``economy`` followed by its groups, from a :func:`memberships` result."""
    return [economy, *dict.fromkeys(g for g, _cu in groups.get(economy, ()))]


def participations(conn: Connection, codes: Mapping[str, Sequence[str]],
                   as_of: date | None = None) -> dict[str, Participation]:
    """Agreements in force on ``as_of`` for several economies at once (one query).

    ``codes`` maps each economy to itself and its groups (:func:`economy_codes`); for each,
    the agreements it takes part in, ordered by entry into force, with the party used
    (the economy itself preferred over a group).
    """
    wanted = sorted({c for own in codes.values() for c in own})
    rows = conn.execute(_AGREEMENTS_OF, {"codes": wanted, "day": today(as_of)}).all() \
        if wanted else []
    infos: dict[int, AgreementInfo] = {}
    out: dict[str, Participation] = {}
    for economy, own in codes.items():
        own_set = set(own)
        seen: Participation = {}
        for r in rows:
            if r.via in own_set and (r.id not in seen or r.via == economy):
                info = infos.get(r.id) or infos.setdefault(r.id, _agreement(r))
                seen[r.id] = (info, r.via, r.via_role)
        out[economy] = seen
    return out


def links_between(side_a: Participation, side_b: Participation) -> list[AgreementLink]:
    """Agreements both sides take part in, through distinct parties (``b``'s order).

    A reciprocal agreement links any two of its parties.  A one-way scheme links only its
    grantor with a beneficiary (never two beneficiaries), and says which side grants; a
    one-way scheme whose grantor is not recorded links nobody, since its direction is unknown.
    """
    links = []
    for agreement_id, (info, via_b, role_b) in side_b.items():
        if agreement_id not in side_a:
            continue
        _info, via_a, role_a = side_a[agreement_id]
        if via_a == via_b:
            continue
        roles = {role_a, role_b}
        if "grantor" in roles or "beneficiary" in roles or is_one_way_type(info.type):
            if roles != {"grantor", "beneficiary"}:
                continue
            links.append(AgreementLink(info, via_a, via_b,
                                       grantor=via_a if role_a == "grantor" else via_b))
        else:
            links.append(AgreementLink(info, via_a, via_b))
    return links


ONE_WAY_TYPES = ("unilateral", "non-reciprocal", "nonreciprocal", "gsp")


def is_one_way_type(kind: str) -> bool:
    """Agreement types that name one-way preference schemes (GSP, AGOA, DCTS…)."""
    lowered = kind.lower()
    return any(word in lowered for word in ONE_WAY_TYPES)


def agreements_of(conn: Connection, economy: str, as_of: date | None = None) -> \
        list[tuple[AgreementInfo, str]]:
    """Agreements in force on ``as_of`` that ``economy`` takes part in, with the party used."""
    day = today(as_of)
    side = participations(conn, {economy: economy_codes(conn, economy, day)}, day)[economy]
    return [(info, via) for info, via, _role in side.values()]


def agreements_between(conn: Connection, a: str, b: str,
                       as_of: date | None = None) -> list[AgreementLink]:
    """Agreements in force on ``as_of`` with ``a`` and ``b`` as (distinct) parties.

    Each takes part directly or through a group it belongs to on that date; two members of
    the same group are not linked by that group's external agreements.
    """
    day = today(as_of)
    if a == b:
        return []
    groups = memberships(conn, [a, b], day)
    sides = participations(conn, {a: codes_from(groups, a), b: codes_from(groups, b)}, day)
    return links_between(sides[a], sides[b])


def get_agreement(conn: Connection, agreement_id: int) -> AgreementInfo | None:
    row = conn.execute(select(agreements).where(agreements.c.id == agreement_id)).first()
    return _agreement(row) if row else None


def agreement_by_code(conn: Connection, code: str) -> AgreementInfo | None:
    row = conn.execute(select(agreements).where(agreements.c.code == code)).first()
    return _agreement(row) if row else None


def list_agreements(conn: Connection, economy: str | None = None, as_of: date | None = None,
                    limit: int = 500, offset: int = 0) -> list[AgreementInfo]:
    """Agreements, optionally only those ``economy`` takes part in on ``as_of``."""
    if economy:
        return [info for info, _via in agreements_of(conn, economy, as_of)][offset:offset + limit]
    query = select(agreements)
    if as_of is not None:
        query = query.where(_in_force(as_of))
    rows = conn.execute(query.order_by(agreements.c.name).limit(limit).offset(offset))
    return [_agreement(r) for r in rows]


def parties_of(conn: Connection, agreement_id: int) -> list[Party]:
    rows = conn.execute(select(agreement_parties).where(
        agreement_parties.c.agreement_id == agreement_id).order_by(agreement_parties.c.party))
    return [Party(r.party, r.entry_date, r.exit_date) for r in rows]


def is_party(conn: Connection, agreement_id: int, economy: str,
             as_of: date | None = None) -> str | None:
    """The party code through which ``economy`` takes part on ``as_of`` (None if not)."""
    day = today(as_of)
    codes = economy_codes(conn, economy, day)
    row = conn.execute(
        select(agreement_parties.c.party)
        .join(agreements, agreements.c.id == agreement_parties.c.agreement_id)
        .where(agreement_parties.c.agreement_id == agreement_id,
               agreement_parties.c.party.in_(codes), _in_force(day),
               valid_on(agreement_parties.c.entry_date, agreement_parties.c.exit_date, day))
    ).first()
    return str(row[0]) if row else None


def qualifying_parties(conn: Connection, agreement_ids: list[int], codes: list[str],
                       as_of: date | None = None) -> dict[int, str]:
    """For each agreement in force on ``as_of``: the party among ``codes`` (an economy and its
    groups, see :func:`economy_codes`) taking part on that date.  One query for all ids;
    the economy itself is preferred over a group."""
    if not agreement_ids or not codes:
        return {}
    rows = conn.execute(_QUALIFYING, {"ids": sorted(set(agreement_ids)), "codes": list(codes),
                                      "day": today(as_of)})
    out: dict[int, str] = {}
    for agreement_id, party in rows:
        if agreement_id not in out or party == codes[0]:
            out[int(agreement_id)] = str(party)
    return out


_RULES_OF = select(origin_rules).where(
    origin_rules.c.agreement_id.in_(bindparam("ids", expanding=True)))
_PRODUCT_RULES_OF = (
    select(product_specific_rules)
    .where(product_specific_rules.c.agreement_id.in_(bindparam("ids", expanding=True)),
           product_specific_rules.c.hs_code.in_(bindparam("prefixes", expanding=True)))
    .order_by(product_specific_rules.c.hs_code))


def _prefixes(hs_code: str) -> list[str]:
    return sorted({hs_code[:n] for n in (2, 4, 6, 8, 10) if len(hs_code) >= n})


def _origin_rules(row: Any) -> OriginRules:
    return OriginRules(row.agreement_id, row.general_rule, row.cumulation, row.proof_of_origin,
                       row.legal_text_url, row.notes)


def rules_of(conn: Connection, agreement_ids: Sequence[int], hs_code: str) -> \
        tuple[dict[int, OriginRules], dict[int, list[ProductRule]]]:
    """Origin rules and product-specific rules of several agreements (two queries at most)."""
    if not agreement_ids:
        return {}, {}
    ids = sorted(set(agreement_ids))
    general = {r.agreement_id: _origin_rules(r) for r in conn.execute(_RULES_OF, {"ids": ids})}
    specific: dict[int, list[ProductRule]] = {}
    for r in conn.execute(_PRODUCT_RULES_OF, {"ids": ids, "prefixes": _prefixes(hs_code)}):
        specific.setdefault(r.agreement_id, []).append(
            ProductRule(r.agreement_id, r.hs_code, r.rule_text))
    return general, specific


def origin_rules_for(conn: Connection, agreement_id: int) -> OriginRules | None:
    row = conn.execute(select(origin_rules).where(
        origin_rules.c.agreement_id == agreement_id)).first()
    return _origin_rules(row) if row is not None else None


def product_rules(conn: Connection, agreement_id: int, hs_code: str) -> list[ProductRule]:
    """Product-specific rules for ``hs_code`` (the chapter, heading and subheading rules)."""
    return rules_of(conn, [agreement_id], hs_code)[1].get(agreement_id, [])


# ---------------------------------------------------------------------------------------
# WTO


def wto_membership(conn: Connection, economy: str) -> WtoMembership | None:
    row = conn.execute(select(wto_members).where(wto_members.c.economy == economy)).first()
    return WtoMembership(row.economy, row.name, row.accession_date) if row else None


def is_wto_member(conn: Connection, economy: str, as_of: date | None = None) -> bool:
    """True when ``economy`` is a WTO member on ``as_of`` (membership date in the repo data)."""
    member = wto_membership(conn, economy)
    return member is not None and member.accession_date <= today(as_of)


def list_wto_members(conn: Connection, as_of: date | None = None) -> list[WtoMembership]:
    day = today(as_of)
    rows = conn.execute(select(wto_members).where(wto_members.c.accession_date <= day)
                        .order_by(wto_members.c.economy))
    return [WtoMembership(r.economy, r.name, r.accession_date) for r in rows]

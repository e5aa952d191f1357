"""One round of prepared queries for the market-access answer (the p95 ≤ 20 ms path).

The named queries in :mod:`tradewind.tariffs.queries` and :mod:`tradewind.agreements.queries`
are the reference semantics; calling them one by one costs ~35 statements per answer, most of
the time going into building SQL in Python.  :func:`trade_facts` gets the same facts with about
ten statements prepared once at import (``bindparam``), and returns the reference dataclasses.
``tests/access/test_queries.py`` checks that both give the same results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
)

from tradewind.agreements.models import (
    agreement_parties,
    agreements,
    economy_groups,
    group_members,
    origin_rules,
    product_specific_rules,
    wto_members,
)
from tradewind.agreements.queries import AgreementInfo, AgreementLink, OriginRules
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, _row_to_provenance
from tradewind.nomenclature.models import hs_code_flags, hs_codes
from tradewind.tariffs.duty import Duty
from tradewind.tariffs.models import (
    additional_duties,
    additional_duty_origins,
    additional_duty_products,
    domestic_taxes,
    tariff_lines,
    tariff_rates,
    tariff_schedules,
    valuation_bases,
)
from tradewind.tariffs.queries import (
    FOB_ECONOMIES,
    AdditionalDuty,
    DomesticTax,
    ScheduleInfo,
    TariffRate,
    ValuationBasis,
)

DAY = bindparam("day", type_=agreements.c.entry_into_force.type)
EDITION = "HS2022"


def _valid(col_from: Any, col_to: Any) -> Any:
    return and_(or_(col_from.is_(None), col_from <= DAY), or_(col_to.is_(None), col_to >= DAY))


_IS_GROUP = select(economy_groups.c.code).where(economy_groups.c.code == bindparam("code"))

_NULL_TEXT = cast(null(), Text)
_NULL_BOOL = cast(null(), Boolean)
_NULL_DATE = cast(null(), Date)

# One round trip for the small facts: group memberships of both economies (g), their WTO
# accession dates (w), the destination's valuation basis (v), the HS code's description (h)
# and its EU regulation flags (f).  Columns: kind, a, b, flag, day, text.
_CONTEXT = union_all(
    select(literal("g").label("kind"), group_members.c.member.label("a"),
           group_members.c.group_code.label("b"), economy_groups.c.customs_union.label("flag"),
           _NULL_DATE.label("day"), _NULL_TEXT.label("text"))
    .join(economy_groups, economy_groups.c.code == group_members.c.group_code)
    .where(group_members.c.member.in_(bindparam("members", expanding=True)),
           _valid(group_members.c.valid_from, group_members.c.valid_to)),
    select(literal("w"), wto_members.c.economy, _NULL_TEXT, _NULL_BOOL,
           wto_members.c.accession_date, _NULL_TEXT)
    .where(wto_members.c.economy.in_(bindparam("members", expanding=True))),
    select(literal("v"), valuation_bases.c.economy, valuation_bases.c.basis, _NULL_BOOL,
           _NULL_DATE, valuation_bases.c.note)
    .where(valuation_bases.c.economy == bindparam("destination")),
    select(literal("h"), hs_codes.c.code, _NULL_TEXT, _NULL_BOOL, _NULL_DATE,
           hs_codes.c.description)
    .where(hs_codes.c.edition == EDITION, hs_codes.c.code == bindparam("hs6")),
    select(literal("f"), hs_code_flags.c.code, hs_code_flags.c.flag, _NULL_BOOL, _NULL_DATE,
           _NULL_TEXT)
    .where(hs_code_flags.c.edition == EDITION, hs_code_flags.c.code == bindparam("hs6")),
)

_SCHEDULES = (
    select(tariff_schedules, datasets.c.kind, datasets.c.name.label("dataset_name"),
           datasets.c.source, datasets.c.licence, datasets.c.edition, datasets.c.is_sample,
           datasets.c.imported_at, datasets.c.row_count, datasets.c.notes)
    .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
    .where(tariff_schedules.c.economy.in_(bindparam("economies", expanding=True)),
           _valid(tariff_schedules.c.valid_from, tariff_schedules.c.valid_to)))

_RATES = (
    select(tariff_rates.c.id, tariff_rates.c.schedule_id, tariff_rates.c.hs6,
           tariff_rates.c.rate_type, tariff_rates.c.scheme, tariff_rates.c.agreement_id,
           tariff_rates.c.origin, tariff_rates.c.duty_text, tariff_rates.c.duty_json,
           tariff_rates.c.quota_volume, tariff_rates.c.quota_unit, tariff_rates.c.valid_from,
           tariff_rates.c.valid_to, tariff_lines.c.national_code, tariff_lines.c.description,
           tariff_lines.c.unit)
    .join(tariff_lines, tariff_lines.c.id == tariff_rates.c.line_id)
    .where(tariff_rates.c.schedule_id == bindparam("schedule_id"),
           tariff_rates.c.hs6 == bindparam("hs6"),
           _valid(tariff_rates.c.valid_from, tariff_rates.c.valid_to),
           _valid(tariff_lines.c.valid_from, tariff_lines.c.valid_to))
    .order_by(tariff_lines.c.national_code, tariff_rates.c.id))

_IN_FORCE = and_(or_(agreements.c.entry_into_force.is_(None), agreements.c.entry_into_force <= DAY),
                 or_(agreements.c.end_date.is_(None), agreements.c.end_date >= DAY))

# Agreements in force on the day with a party among the given codes (party dates valid).
_AGREEMENTS_OF = (
    select(agreements, agreement_parties.c.party.label("via"))
    .join(agreement_parties, agreement_parties.c.agreement_id == agreements.c.id)
    .where(agreement_parties.c.party.in_(bindparam("codes", expanding=True)), _IN_FORCE,
           _valid(agreement_parties.c.entry_date, agreement_parties.c.exit_date))
    .order_by(agreements.c.entry_into_force, agreements.c.id))

_ORIGIN_RULES = select(origin_rules).where(
    origin_rules.c.agreement_id.in_(bindparam("ids", expanding=True)))

_PRODUCT_RULES = (select(product_specific_rules).where(
    product_specific_rules.c.agreement_id.in_(bindparam("ids", expanding=True)),
    product_specific_rules.c.hs_code.in_(bindparam("prefixes", expanding=True)))
    .order_by(product_specific_rules.c.hs_code))

_T = additional_duties
_ADDITIONAL = (
    select(_T).where(
        _T.c.economy.in_(bindparam("economies", expanding=True)),
        _valid(_T.c.valid_from, _T.c.valid_to),
        or_(_T.c.product_scope == "all",
            exists().where(additional_duty_products.c.duty_id == _T.c.id,
                           additional_duty_products.c.hs6 == bindparam("hs6"))),
        or_(_T.c.origin_mode == "all",
            and_(_T.c.origin_mode == "only",
                 exists().where(additional_duty_origins.c.duty_id == _T.c.id,
                                additional_duty_origins.c.origin.in_(
                                    bindparam("origins", expanding=True)))),
            and_(_T.c.origin_mode == "all_except",
                 ~exists().where(additional_duty_origins.c.duty_id == _T.c.id,
                                 additional_duty_origins.c.origin.in_(
                                     bindparam("origins", expanding=True))))))
    .order_by(_T.c.heading))

_ADDITIONAL_PRODUCTS = select(additional_duty_products.c.duty_id,
                              additional_duty_products.c.product_code).where(
    additional_duty_products.c.duty_id.in_(bindparam("ids", expanding=True)),
    additional_duty_products.c.hs6 == bindparam("hs6"))

_TAXES = select(domestic_taxes).where(
    domestic_taxes.c.economy == bindparam("economy"),
    _valid(domestic_taxes.c.valid_from, domestic_taxes.c.valid_to))

_DATASETS = select(datasets).where(datasets.c.id.in_(bindparam("ids", expanding=True)))


def is_group(conn: Connection, code: str) -> bool:
    return conn.execute(_IS_GROUP, {"code": code}).first() is not None


@dataclass
class TradeFacts:
    """Everything the market-access answer needs, read in one round of queries."""

    schedule: ScheduleInfo | None
    mfn: list[TariffRate]
    preferential: list[TariffRate]
    quotas: list[TariffRate]
    additional: list[AdditionalDuty]
    taxes: list[DomesticTax]
    valuation: ValuationBasis
    agreements: dict[int, AgreementInfo]  # agreements named by the rates the origin may use
    origin_rules: dict[int, OriginRules]
    product_rules: dict[int, list[str]]
    links: list[AgreementLink]  # agreements linking origin and destination on the day
    origin_groups: list[str]
    destination_groups: list[str]
    wto: dict[str, date]
    hs_description: str | None = None  # None: the code is not in HS 2022
    hs_flags: list[str] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)


def _agreement(row: Any) -> AgreementInfo:
    return AgreementInfo(
        id=row.id, code=row.code, name=row.name, type=row.type, status=row.status,
        coverage=row.coverage, signed_date=row.signed_date,
        entry_into_force=row.entry_into_force, end_date=row.end_date,
        wto_notified=bool(row.wto_notified), legal_text_url=row.legal_text_url,
        source=row.source, notes=row.notes, dataset_id=row.dataset_id)


def _schedule_info(row: Any) -> ScheduleInfo:
    return ScheduleInfo(
        id=row.id, economy=row.economy, name=row.name, nomenclature=row.nomenclature,
        hs_edition=row.hs_edition, national_digits=row.national_digits, currency=row.currency,
        valuation_basis=row.valuation_basis, source_format=row.source_format,
        valid_from=row.valid_from, valid_to=row.valid_to, dataset_id=row.dataset_id,
        is_sample=bool(row.is_sample))


def _rate(row: Any, schedule: ScheduleInfo, via: str | None = None) -> TariffRate:
    return TariffRate(
        id=row.id, schedule_id=row.schedule_id, economy=schedule.economy,
        national_code=row.national_code, hs6=row.hs6, description=row.description,
        unit=row.unit, rate_type=row.rate_type, scheme=row.scheme,
        agreement_id=row.agreement_id, origin=row.origin,
        duty=Duty.from_json(row.duty_text, row.duty_json), quota_volume=row.quota_volume,
        quota_unit=row.quota_unit, valid_from=row.valid_from, valid_to=row.valid_to,
        dataset_id=schedule.dataset_id, via=via)


def _agreements_of(rows: Sequence[Any], economy: str) -> dict[int, tuple[AgreementInfo, str]]:
    seen: dict[int, tuple[AgreementInfo, str]] = {}
    for r in rows:
        if r.id not in seen or r.via == economy:
            seen[r.id] = (_agreement(r), r.via)
    return seen


def trade_facts(conn: Connection, hs6: str, origin: str, destination: str,
                as_of: date) -> TradeFacts:
    """The facts of (hs6, origin, destination, as_of), with the reference semantics."""
    day = {"day": as_of}
    groups: dict[str, list[tuple[str, bool]]] = {origin: [], destination: []}
    wto: dict[str, date] = {}
    valuation_row: tuple[str, str] | None = None
    hs_description: str | None = None
    flags: list[str] = []
    for r in conn.execute(_CONTEXT, {**day, "members": [origin, destination],
                                     "destination": destination, "hs6": hs6}):
        if r.kind == "g":
            groups[r.a].append((r.b, bool(r.flag)))
        elif r.kind == "w":
            wto[r.a] = r.day
        elif r.kind == "v":
            valuation_row = (r.b, r.text)
        elif r.kind == "h":
            hs_description = r.text
        else:
            flags.append(r.b)
    origin_codes = [origin, *sorted({g for g, _cu in groups[origin]})]
    destination_codes = [destination, *sorted({g for g, _cu in groups[destination]})]
    unions = sorted({g for g, cu in groups[destination] if cu})
    economies = [destination, *unions]

    # --- schedule (real before SAMPLE, then newest import) -----------------------------------
    order = {code: i for i, code in enumerate(economies)}
    rows = sorted(conn.execute(_SCHEDULES, {**day, "economies": economies}).all(),
                  key=lambda r: (order[r.economy], bool(r.is_sample), -r.imported_at.timestamp(),
                                 -r.id))
    schedule = _schedule_info(rows[0]) if rows else None

    # --- rates and the agreements they name --------------------------------------------------
    mfn: list[TariffRate] = []
    pref: list[TariffRate] = []
    quota: list[TariffRate] = []
    line_additional: list[TariffRate] = []
    rate_rows = (conn.execute(_RATES, {**day, "schedule_id": schedule.id, "hs6": hs6}).all()
                 if schedule else [])
    parties_by_agreement: dict[int, str] = {}
    named = sorted({r.agreement_id for r in rate_rows if r.agreement_id is not None
                    and r.rate_type != "mfn"})
    both = conn.execute(_AGREEMENTS_OF, {**day, "codes": sorted(
        set(origin_codes) | set(destination_codes))}).all()
    origin_agreements = _agreements_of([r for r in both if r.via in origin_codes], origin)
    destination_agreements = _agreements_of([r for r in both if r.via in destination_codes],
                                            destination)
    for agreement_id in named:
        if agreement_id in origin_agreements:
            parties_by_agreement[agreement_id] = origin_agreements[agreement_id][1]
    if schedule is not None:
        for r in rate_rows:  # type: ignore[assignment]
            if r.rate_type == "mfn":
                mfn.append(_rate(r, schedule))
                continue
            if r.origin is not None and r.origin not in origin_codes:
                continue
            via = r.origin
            if r.agreement_id is not None:
                party = parties_by_agreement.get(r.agreement_id)
                if party is None:
                    continue
                via = via or party
            target = {"preferential": pref, "additional": line_additional}.get(r.rate_type, quota)
            target.append(_rate(r, schedule, via))
    used = sorted({r.agreement_id for r in pref + quota if r.agreement_id is not None})
    infos: dict[int, AgreementInfo] = {}
    rules: dict[int, OriginRules] = {}
    product: dict[int, list[str]] = {}
    if used:
        for agreement_id in used:  # the origin is a party to each: already read
            infos[agreement_id] = origin_agreements[agreement_id][0]
        for r in conn.execute(_ORIGIN_RULES, {"ids": used}):
            rules[r.agreement_id] = OriginRules(r.agreement_id, r.general_rule, r.cumulation,
                                                r.proof_of_origin, r.legal_text_url, r.notes)
        prefixes = [hs6[:n] for n in (2, 4, 6)]
        for r in conn.execute(_PRODUCT_RULES, {"ids": used, "prefixes": prefixes}):
            product.setdefault(r.agreement_id, []).append(r.rule_text)

    # --- additional duties -------------------------------------------------------------------
    extra: list[AdditionalDuty] = []
    add_rows = conn.execute(_ADDITIONAL, {**day, "economies": economies, "hs6": hs6,
                                          "origins": origin_codes}).all()
    if add_rows:
        codes: dict[int, list[str]] = {}
        for duty_id, code in conn.execute(_ADDITIONAL_PRODUCTS,
                                          {"ids": [r.id for r in add_rows], "hs6": hs6}):
            codes.setdefault(duty_id, []).append(code)
        for r in add_rows:
            extra.append(AdditionalDuty(
                id=r.id, economy=r.economy, heading=r.heading, authority=r.authority,
                description=r.description, duty=Duty.from_json(r.duty_text, r.duty_json),
                origin_mode=r.origin_mode, product_scope=r.product_scope,
                product_codes=tuple(sorted(codes.get(r.id, []))), valid_from=r.valid_from,
                valid_to=r.valid_to, dataset_id=r.dataset_id))
    for rate in line_additional:
        extra.append(AdditionalDuty(
            id=-rate.id, economy=rate.economy, heading=rate.scheme or rate.national_code,
            authority=rate.scheme, description=rate.description, duty=rate.duty,
            origin_mode="only" if rate.origin else "all", product_scope="listed",
            product_codes=(rate.national_code,), valid_from=rate.valid_from,
            valid_to=rate.valid_to, dataset_id=rate.dataset_id))

    # --- taxes, valuation --------------------------------------------------------------------
    tax_rows = [r for r in conn.execute(_TAXES, {**day, "economy": destination})
                if r.hs_prefix is None or hs6.startswith(r.hs_prefix)
                or r.hs_prefix.startswith(hs6)]
    tax_rows.sort(key=lambda r: (r.kind, -len(r.hs_prefix or ""), r.id))
    taxes = [DomesticTax(
        id=r.id, economy=r.economy, kind=r.kind, name=r.name,
        duty=Duty.from_json(r.rate_text, r.duty_json), hs_prefix=r.hs_prefix, base=r.base,
        valid_from=r.valid_from, valid_to=r.valid_to, dataset_id=r.dataset_id)
        for r in tax_rows]
    if valuation_row is not None:
        valuation = ValuationBasis(destination, valuation_row[0], "data", valuation_row[1])
    elif destination in FOB_ECONOMIES:
        valuation = ValuationBasis(destination, "FOB", "default", FOB_ECONOMIES[destination])
    elif schedule is not None and schedule.valuation_basis in ("CIF", "FOB"):
        valuation = ValuationBasis(destination, schedule.valuation_basis, "schedule",
                                   f"as recorded with the {schedule.name} schedule")
    else:
        valuation = ValuationBasis(destination, "CIF", "default",
                                   "WTO Valuation Agreement default: cost, insurance and "
                                   "freight to the place of importation")

    # --- agreements linking the two, WTO, provenance -----------------------------------------
    links = [AgreementLink(info, via_a, destination_agreements[agreement_id][1])
             for agreement_id, (info, via_a) in origin_agreements.items()
             if agreement_id in destination_agreements
             and via_a != destination_agreements[agreement_id][1]]
    provenance: list[Provenance] = []
    if rows:  # the schedule's dataset first, read with the schedule
        r = rows[0]
        provenance.append(_row_to_provenance(SimpleNamespace(
            id=r.dataset_id, kind=r.kind, name=r.dataset_name, source=r.source,
            licence=r.licence, edition=r.edition, imported_at=r.imported_at,
            is_sample=r.is_sample, row_count=r.row_count, notes=r.notes)))
    others = ({a.dataset_id for a in extra} | {t.dataset_id for t in taxes}
              | {i.dataset_id for i in infos.values() if i.dataset_id is not None}) \
        - {p.id for p in provenance}
    if others:
        provenance += [_row_to_provenance(r)
                       for r in conn.execute(_DATASETS, {"ids": sorted(others)})]
    return TradeFacts(
        schedule=schedule, mfn=mfn, preferential=pref, quotas=quota, additional=extra,
        taxes=taxes, valuation=valuation, agreements=infos, origin_rules=rules,
        product_rules=product, links=links, origin_groups=origin_codes[1:],
        destination_groups=destination_codes[1:], wto=wto, hs_description=hs_description,
        hs_flags=flags, provenance=provenance)

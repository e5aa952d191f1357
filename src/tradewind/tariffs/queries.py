"""Named queries the market-access answer and landed-cost calculator use.

Every query takes ``as_of`` (default today) and returns small dataclasses.  A destination
that belongs to a customs union (FRA → EUN) uses the union's schedule unless it has its own.
When several schedules exist for an economy, a real one wins over a SAMPLE, then the most
recently imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, or_, select

from tradewind.agreements.queries import (
    customs_unions_of,
    economy_codes,
    memberships,
    qualifying_parties,
)
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, dataset_by_id
from tradewind.tariffs.duty import Duty
from tradewind.tariffs.models import (
    RATE_TYPES,
    additional_duty_origins,
    additional_duty_products,
    tariff_lines,
    tariff_rates,
    tariff_schedules,
    valuation_bases,
)
from tradewind.tariffs.models import (
    additional_duties as additional_duties_table,
)
from tradewind.tariffs.models import (
    domestic_taxes as domestic_taxes_table,
)

#: Economies that value imports FOB (free on board) rather than CIF.  Sources: national customs
#: laws as summarised in the WTO Customs Valuation notifications: the United States (19 U.S.C.
#: 1401a), Canada (Customs Act s.48), Australia (Customs Act 1901 s.159), New Zealand, and the
#: Southern African Customs Union members (South Africa, Botswana, Lesotho, Namibia, Eswatini).
#: Everyone else defaults to CIF.  Data in ``valuation_bases`` overrides this list.
FOB_ECONOMIES: dict[str, str] = {
    "USA": "19 U.S.C. 1401a: transaction value excludes international freight and insurance",
    "CAN": "Customs Act s.48: value for duty excludes transport costs after export",
    "AUS": "Customs Act 1901 s.159: customs value is FOB",
    "NZL": "Customs and Excise Act: customs value is FOB",
    "ZAF": "SACU: customs value is FOB",
    "BWA": "SACU: customs value is FOB",
    "LSO": "SACU: customs value is FOB",
    "NAM": "SACU: customs value is FOB",
    "SWZ": "SACU: customs value is FOB",
}


def _today(as_of: date | None) -> date:
    return as_of or date.today()


def _valid(col_from, col_to, as_of):  # type: ignore[no-untyped-def]
    return and_(or_(col_from.is_(None), col_from <= as_of),
                or_(col_to.is_(None), col_to >= as_of))


# ---------------------------------------------------------------------------------------
# Dataclasses


@dataclass(frozen=True)
class ScheduleInfo:
    id: int
    economy: str  # the schedule's economy ("EUN" for France)
    name: str
    nomenclature: str
    hs_edition: str
    national_digits: int
    currency: str
    valuation_basis: str
    source_format: str
    valid_from: date | None
    valid_to: date | None
    dataset_id: int
    is_sample: bool


@dataclass(frozen=True)
class ScheduleProvenance:
    schedule: ScheduleInfo
    provenance: Provenance


@dataclass(frozen=True)
class TariffRate:
    """One rate on one national line."""

    id: int
    schedule_id: int
    economy: str
    national_code: str
    hs6: str
    description: str
    unit: str
    rate_type: str  # mfn | preferential | additional | quota_in | quota_out
    scheme: str
    agreement_id: int | None
    origin: str | None  # None = every origin
    duty: Duty
    quota_volume: float | None
    quota_unit: str | None
    valid_from: date | None
    valid_to: date | None
    dataset_id: int
    via: str | None = None  # party code through which the origin qualifies (preferences)

    @property
    def duty_text(self) -> str:
        return self.duty.text

    @property
    def parse_ok(self) -> bool:
        return self.duty.parse_ok


@dataclass(frozen=True)
class TariffLine:
    id: int
    schedule_id: int
    national_code: str
    hs6: str
    description: str
    unit: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class AdditionalDuty:
    id: int
    economy: str
    heading: str
    authority: str
    description: str
    duty: Duty
    origin_mode: str  # all | only | all_except
    product_scope: str  # all | listed
    product_codes: tuple[str, ...]  # national codes/prefixes matched for this hs6
    valid_from: date | None
    valid_to: date | None
    dataset_id: int


@dataclass(frozen=True)
class DomesticTax:
    id: int
    economy: str
    kind: str  # VAT, GST, excise, sales, other
    name: str
    duty: Duty  # "20%" → ad valorem; excise may be specific
    hs_prefix: str | None
    base: str
    valid_from: date | None
    valid_to: date | None
    dataset_id: int

    @property
    def rate_text(self) -> str:
        return self.duty.text


@dataclass(frozen=True)
class ValuationBasis:
    economy: str
    basis: str  # CIF or FOB
    source: str  # "data" (valuation_bases), "schedule", or "default" (FOB_ECONOMIES / CIF)
    note: str


# ---------------------------------------------------------------------------------------
# Schedules


_DAY: Any = bindparam("day")
_SCHEDULES = (
    select(tariff_schedules, datasets.c.is_sample, datasets.c.imported_at)
    .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
    .where(tariff_schedules.c.economy.in_(bindparam("economies", expanding=True)),
           _valid(tariff_schedules.c.valid_from, tariff_schedules.c.valid_to, _DAY)))


def _schedule_rows(conn: Connection, economies: list[str], as_of: date) -> list[Any]:
    rows = conn.execute(_SCHEDULES, {"economies": list(economies), "day": as_of}).all()
    order = {code: i for i, code in enumerate(economies)}
    return sorted(rows, key=lambda r: (order[r.economy], bool(r.is_sample),
                                       -r.imported_at.timestamp(), -r.id))


def _schedule_info(row: Any) -> ScheduleInfo:
    return ScheduleInfo(
        id=row.id, economy=row.economy, name=row.name, nomenclature=row.nomenclature,
        hs_edition=row.hs_edition, national_digits=row.national_digits, currency=row.currency,
        valuation_basis=row.valuation_basis, source_format=row.source_format,
        valid_from=row.valid_from, valid_to=row.valid_to, dataset_id=row.dataset_id,
        is_sample=bool(row.is_sample))


def destination_economies(conn: Connection, destination: str,
                          as_of: date | None = None) -> list[str]:
    """``destination`` followed by the customs unions whose schedule it applies."""
    return [destination, *customs_unions_of(conn, destination, as_of)]


def schedule_for(conn: Connection, destination: str,
                 as_of: date | None = None) -> ScheduleInfo | None:
    """The schedule that applies to imports into ``destination`` on ``as_of`` (None: none)."""
    rows = _schedule_rows(conn, destination_economies(conn, destination, as_of), _today(as_of))
    return _schedule_info(rows[0]) if rows else None


def schedule_provenance(conn: Connection, destination: str,
                        as_of: date | None = None) -> list[ScheduleProvenance]:
    """Every schedule available for ``destination``, the one used first, with provenance."""
    rows = _schedule_rows(conn, destination_economies(conn, destination, as_of), _today(as_of))
    out = []
    for row in rows:
        provenance = dataset_by_id(conn, row.dataset_id)
        if provenance is not None:
            out.append(ScheduleProvenance(_schedule_info(row), provenance))
    return out


def list_schedules(conn: Connection) -> list[ScheduleInfo]:
    rows = conn.execute(
        select(tariff_schedules, datasets.c.is_sample, datasets.c.imported_at)
        .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
        .order_by(tariff_schedules.c.economy, tariff_schedules.c.id)).all()
    return [_schedule_info(r) for r in rows]


# ---------------------------------------------------------------------------------------
# Lines and rates


def _rate(row: Any, economy: str, via: str | None = None) -> TariffRate:
    return TariffRate(
        id=row.id, schedule_id=row.schedule_id, economy=economy,
        national_code=row.national_code, hs6=row.hs6, description=row.description,
        unit=row.unit, rate_type=row.rate_type, scheme=row.scheme,
        agreement_id=row.agreement_id, origin=row.origin,
        duty=Duty.from_json(row.duty_text, row.duty_json), quota_volume=row.quota_volume,
        quota_unit=row.quota_unit, valid_from=row.valid_from, valid_to=row.valid_to,
        dataset_id=row.dataset_id, via=via)


_RATES = (
    select(tariff_rates.c.id, tariff_rates.c.schedule_id, tariff_rates.c.hs6,
           tariff_rates.c.rate_type, tariff_rates.c.scheme, tariff_rates.c.agreement_id,
           tariff_rates.c.origin, tariff_rates.c.duty_text, tariff_rates.c.duty_json,
           tariff_rates.c.quota_volume, tariff_rates.c.quota_unit,
           tariff_rates.c.valid_from, tariff_rates.c.valid_to,
           tariff_lines.c.national_code, tariff_lines.c.description, tariff_lines.c.unit,
           tariff_schedules.c.dataset_id)
    .join(tariff_lines, tariff_lines.c.id == tariff_rates.c.line_id)
    .join(tariff_schedules, tariff_schedules.c.id == tariff_rates.c.schedule_id)
    .where(tariff_rates.c.schedule_id == bindparam("schedule_id"),
           tariff_rates.c.hs6 == bindparam("hs6"),
           tariff_rates.c.rate_type.in_(bindparam("types", expanding=True)),
           _valid(tariff_rates.c.valid_from, tariff_rates.c.valid_to, _DAY),
           _valid(tariff_lines.c.valid_from, tariff_lines.c.valid_to, _DAY))
    .order_by(tariff_lines.c.national_code, tariff_rates.c.id))


def _rates(conn: Connection, schedule: ScheduleInfo, hs6: str, rate_types: tuple[str, ...],
           as_of: date) -> list[Any]:
    return list(conn.execute(_RATES, {"schedule_id": schedule.id, "hs6": hs6,
                                      "types": list(rate_types), "day": as_of}).all())


def tariff_lines_for(conn: Connection, destination: str, hs6: str,
                     as_of: date | None = None) -> list[TariffLine]:
    """National lines under ``hs6`` in the destination's schedule on ``as_of``."""
    day = _today(as_of)
    schedule = schedule_for(conn, destination, day)
    if schedule is None:
        return []
    rows = conn.execute(
        select(tariff_lines).where(
            tariff_lines.c.schedule_id == schedule.id, tariff_lines.c.hs6 == hs6,
            _valid(tariff_lines.c.valid_from, tariff_lines.c.valid_to, day))
        .order_by(tariff_lines.c.national_code))
    return [TariffLine(r.id, r.schedule_id, r.national_code, r.hs6, r.description, r.unit,
                       r.valid_from, r.valid_to) for r in rows]


def mfn_rates(conn: Connection, destination: str, hs6: str, as_of: date | None = None, *,
              schedule: ScheduleInfo | None = None) -> list[TariffRate]:
    """MFN applied rates of every national line under ``hs6`` (empty: no schedule/line)."""
    day = _today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    return [_rate(r, schedule.economy) for r in _rates(conn, schedule, hs6, ("mfn",), day)]


def _qualifying(rows: list[Any], origin_codes: list[str],
                parties: dict[int, str]) -> list[tuple[Any, str | None]]:
    """Rows ``origin`` may use, with the party/group code through which it qualifies.

    A row qualifies when its origin is NULL or among ``origin_codes`` (the origin and its
    groups on the date) and, when it names an agreement, the origin is a party to that
    agreement in force on the date (``parties``, from :func:`qualifying_parties`).
    """
    out = []
    for row in rows:
        if row.origin is not None and row.origin not in origin_codes:
            continue
        via = row.origin
        if row.agreement_id is not None:
            party = parties.get(row.agreement_id)
            if party is None:
                continue
            via = via or party
        out.append((row, via))
    return out


def _parties_for(conn: Connection, rows: list[Any], origin_codes: list[str],
                 as_of: date) -> dict[int, str]:
    ids = [r.agreement_id for r in rows if r.agreement_id is not None]
    return qualifying_parties(conn, ids, origin_codes, as_of) if ids else {}


def _resolve(conn: Connection, destination: str, day: date,
             schedule: ScheduleInfo | None) -> ScheduleInfo | None:
    return schedule if schedule is not None else schedule_for(conn, destination, day)


def preferential_rates(conn: Connection, destination: str, hs6: str, origin: str,
                       as_of: date | None = None, *, schedule: ScheduleInfo | None = None,
                       origin_codes: list[str] | None = None) -> list[TariffRate]:
    """Preferential rates ``origin`` qualifies for on ``as_of``.

    A rate qualifies when its origin is NULL, the origin itself or a group the origin belongs
    to on that date, and — when it names an agreement — the origin is a party to that
    agreement (directly or through a group) on that date and the agreement is in force.
    ``schedule``/``origin_codes`` may be passed to skip their lookups.
    """
    day = _today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    codes = origin_codes or economy_codes(conn, origin, day)
    rows = _rates(conn, schedule, hs6, ("preferential",), day)
    parties = _parties_for(conn, rows, codes, day)
    return [_rate(row, schedule.economy, via) for row, via in _qualifying(rows, codes, parties)]


def quotas(conn: Connection, destination: str, hs6: str, origin: str | None = None,
           as_of: date | None = None, *, schedule: ScheduleInfo | None = None,
           origin_codes: list[str] | None = None) -> list[TariffRate]:
    """Tariff-rate quota rates (``quota_in``/``quota_out``) open to ``origin`` on ``as_of``.

    ``origin=None`` returns every quota rate on the line.
    """
    day = _today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    rows = _rates(conn, schedule, hs6, ("quota_in", "quota_out"), day)
    if origin is None:
        return [_rate(r, schedule.economy) for r in rows]
    codes = origin_codes or economy_codes(conn, origin, day)
    parties = _parties_for(conn, rows, codes, day)
    return [_rate(row, schedule.economy, via) for row, via in _qualifying(rows, codes, parties)]


def _line_additional(row: Any, economy: str) -> AdditionalDuty:
    """An ``additional`` rate stored on a tariff line, as an :class:`AdditionalDuty`."""
    return AdditionalDuty(
        id=-row.id, economy=economy, heading=row.scheme or row.national_code,
        authority=row.scheme, description=row.description,
        duty=Duty.from_json(row.duty_text, row.duty_json),
        origin_mode="only" if row.origin else "all", product_scope="listed",
        product_codes=(row.national_code,), valid_from=row.valid_from,
        valid_to=row.valid_to, dataset_id=row.dataset_id)


_T = additional_duties_table
_MEASURES = (
    select(_T).where(
        _T.c.economy.in_(bindparam("economies", expanding=True)),
        _valid(_T.c.valid_from, _T.c.valid_to, _DAY),
        or_(_T.c.product_scope == "all",
            exists().where(additional_duty_products.c.duty_id == _T.c.id,
                           additional_duty_products.c.hs6 == bindparam("hs6"))),
        or_(_T.c.origin_mode == "all",
            and_(_T.c.origin_mode == "only",
                 exists().where(additional_duty_origins.c.duty_id == _T.c.id,
                                additional_duty_origins.c.origin.in_(
                                    bindparam("codes", expanding=True)))),
            and_(_T.c.origin_mode == "all_except",
                 ~exists().where(additional_duty_origins.c.duty_id == _T.c.id,
                                 additional_duty_origins.c.origin.in_(
                                     bindparam("codes2", expanding=True))))))
    .order_by(_T.c.heading))
_MEASURE_CODES = (
    select(additional_duty_products.c.duty_id, additional_duty_products.c.product_code)
    .where(additional_duty_products.c.duty_id.in_(bindparam("ids", expanding=True)),
           additional_duty_products.c.hs6 == bindparam("hs6")))


def _measure_duties(conn: Connection, economies: list[str], hs6: str, origin_codes: list[str],
                    day: date) -> list[AdditionalDuty]:
    rows = conn.execute(_MEASURES, {"economies": list(economies), "hs6": hs6,
                                    "codes": list(origin_codes), "codes2": list(origin_codes),
                                    "day": day}).all()
    if not rows:
        return []
    codes: dict[int, list[str]] = {}
    for duty_id, code in conn.execute(_MEASURE_CODES, {"ids": [r.id for r in rows],
                                                       "hs6": hs6}):
        codes.setdefault(duty_id, []).append(code)
    return [AdditionalDuty(
        id=r.id, economy=r.economy, heading=r.heading, authority=r.authority,
        description=r.description, duty=Duty.from_json(r.duty_text, r.duty_json),
        origin_mode=r.origin_mode, product_scope=r.product_scope,
        product_codes=tuple(sorted(codes.get(r.id, []))), valid_from=r.valid_from,
        valid_to=r.valid_to, dataset_id=r.dataset_id) for r in rows]


def additional_duties(conn: Connection, destination: str, hs6: str, origin: str,
                      as_of: date | None = None, *, schedule: ScheduleInfo | None = None,
                      origin_codes: list[str] | None = None,
                      destination_codes: list[str] | None = None) -> list[AdditionalDuty]:
    """Origin-dependent additional duties (e.g. US Chapter 99) on ``hs6`` from ``origin``.

    Also includes ``additional`` rate rows stored on tariff lines (WITS/CSV/UK imports).
    """
    day = _today(as_of)
    economies = destination_codes or destination_economies(conn, destination, day)
    codes = origin_codes or economy_codes(conn, origin, day)
    out = _measure_duties(conn, economies, hs6, codes, day)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is not None:
        rows = _rates(conn, schedule, hs6, ("additional",), day)
        parties = _parties_for(conn, rows, codes, day)
        out += [_line_additional(row, schedule.economy)
                for row, _via in _qualifying(rows, codes, parties)]
    return out


_TAXES = select(domestic_taxes_table).where(
    domestic_taxes_table.c.economy == bindparam("economy"),
    _valid(domestic_taxes_table.c.valid_from, domestic_taxes_table.c.valid_to, _DAY))
_VALUATION = select(valuation_bases).where(valuation_bases.c.economy == bindparam("economy"))


def domestic_taxes(conn: Connection, destination: str, hs6: str,
                   as_of: date | None = None) -> list[DomesticTax]:
    """VAT/GST, excise and other internal taxes on ``hs6`` in ``destination`` on ``as_of``.

    Ordered by kind, then the most specific HS prefix first (a product-specific VAT rate
    comes before the standard rate, which has no prefix).
    """
    rows = conn.execute(_TAXES, {"economy": destination, "day": _today(as_of)}).all()
    matching = [r for r in rows if r.hs_prefix is None or hs6.startswith(r.hs_prefix)
                or r.hs_prefix.startswith(hs6)]
    matching.sort(key=lambda r: (r.kind, -len(r.hs_prefix or ""), r.id))
    return [DomesticTax(
        id=r.id, economy=r.economy, kind=r.kind, name=r.name,
        duty=Duty.from_json(r.rate_text, r.duty_json), hs_prefix=r.hs_prefix, base=r.base,
        valid_from=r.valid_from, valid_to=r.valid_to, dataset_id=r.dataset_id)
        for r in matching]


def valuation_basis(conn: Connection, destination: str, as_of: date | None = None, *,
                    schedule: ScheduleInfo | None = None) -> ValuationBasis:
    """CIF or FOB for ``destination``: imported data, else the schedule, else the default list."""
    row = conn.execute(_VALUATION, {"economy": destination}).first()
    if row is not None:
        return ValuationBasis(destination, row.basis, "data", row.note)
    if destination in FOB_ECONOMIES:
        return ValuationBasis(destination, "FOB", "default", FOB_ECONOMIES[destination])
    schedule = _resolve(conn, destination, _today(as_of), schedule)
    if schedule is not None and schedule.valuation_basis in ("CIF", "FOB"):
        return ValuationBasis(destination, schedule.valuation_basis, "schedule",
                              f"as recorded with the {schedule.name} schedule")
    return ValuationBasis(destination, "CIF", "default",
                          "WTO Valuation Agreement default: cost, insurance and freight "
                          "to the place of importation")


# ---------------------------------------------------------------------------------------
# Everything for one (destination, hs6, origin, date) in as few statements as possible


@dataclass(frozen=True)
class RatesBundle:
    """All rates and taxes the market-access answer needs, fetched together."""

    destination: str
    hs6: str
    origin: str
    as_of: date
    schedule: ScheduleInfo | None  # None: no schedule for the destination on that date
    destination_codes: tuple[str, ...]  # destination and the customs unions it applies
    origin_codes: tuple[str, ...]  # origin and the groups it belongs to
    mfn: list[TariffRate]
    preferential: list[TariffRate]  # only those the origin qualifies for
    quotas: list[TariffRate]  # quota_in/quota_out open to the origin
    additional: list[AdditionalDuty]  # Chapter 99-style measures and additional line rates
    taxes: list[DomesticTax]
    valuation: ValuationBasis


def rates_for(conn: Connection, destination: str, hs6: str, origin: str,
              as_of: date | None = None, *, schedule: ScheduleInfo | None = None) -> RatesBundle:
    """MFN, preferences, quotas, additional duties, taxes and valuation basis in one go.

    Same rules as the separate queries, but the schedule and the groups are looked up once,
    every rate type of (schedule, hs6) comes from one query and the agreement parties of all
    preferences are checked in one query.
    """
    day = _today(as_of)
    groups = memberships(conn, [destination, origin], day)
    destination_codes = [destination, *(g for g, cu in groups[destination] if cu)]
    origin_codes = [origin, *dict.fromkeys(g for g, _cu in groups[origin])]
    if schedule is None:
        rows = _schedule_rows(conn, destination_codes, day)
        schedule = _schedule_info(rows[0]) if rows else None
    mfn: list[TariffRate] = []
    preferential: list[TariffRate] = []
    quota_rates: list[TariffRate] = []
    additional = _measure_duties(conn, destination_codes, hs6, origin_codes, day)
    if schedule is not None:
        rows = _rates(conn, schedule, hs6, RATE_TYPES, day)
        mfn = [_rate(r, schedule.economy) for r in rows if r.rate_type == "mfn"]
        others = [r for r in rows if r.rate_type != "mfn"]
        parties = _parties_for(conn, others, origin_codes, day)
        for row, via in _qualifying(others, origin_codes, parties):
            if row.rate_type == "preferential":
                preferential.append(_rate(row, schedule.economy, via))
            elif row.rate_type == "additional":
                additional.append(_line_additional(row, schedule.economy))
            else:
                quota_rates.append(_rate(row, schedule.economy, via))
    return RatesBundle(
        destination=destination, hs6=hs6, origin=origin, as_of=day, schedule=schedule,
        destination_codes=tuple(destination_codes), origin_codes=tuple(origin_codes),
        mfn=mfn, preferential=preferential, quotas=quota_rates, additional=additional,
        taxes=domestic_taxes(conn, destination, hs6, day),
        valuation=valuation_basis(conn, destination, day, schedule=schedule))

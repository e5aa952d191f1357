"""Named queries the market-access answer and landed-cost calculator use.

Every query takes ``as_of`` (default today) and returns small dataclasses.  A destination
that belongs to a customs union (FRA → EUN) uses the union's schedule unless it has its own.
When several schedules exist for an economy, a real one wins over a SAMPLE, then the most
recently imported.
"""

from __future__ import annotations

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
    case,
    cast,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
)

from tradewind.agreements.models import economy_groups, group_members, wto_members
from tradewind.agreements.queries import (
    AgreementInfo,
    AgreementLink,
    OriginRules,
    ProductRule,
    codes_from,
    customs_unions_of,
    economy_codes,
    links_between,
    participations,
    qualifying_parties,
    rules_of,
    today,
    valid_on,
)
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, _row_to_provenance
from tradewind.nomenclature.models import hs_code_flags, hs_codes
from tradewind.nomenclature.translations import translated
from tradewind.tariffs.duty import Duty
from tradewind.tariffs.models import (
    additional_duties as additional_duties_table,
)
from tradewind.tariffs.models import (
    additional_duty_origins,
    additional_duty_products,
    tariff_lines,
    tariff_rates,
    tariff_schedules,
    valuation_bases,
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
# The schedule's dataset (provenance) comes with it: no second query for the answer.
_SCHEDULES = (
    select(tariff_schedules, datasets.c.kind, datasets.c.name.label("dataset_name"),
           datasets.c.source, datasets.c.licence, datasets.c.edition, datasets.c.is_sample,
           datasets.c.imported_at, datasets.c.row_count, datasets.c.notes)
    .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
    .where(tariff_schedules.c.economy.in_(bindparam("economies", expanding=True)),
           valid_on(tariff_schedules.c.valid_from, tariff_schedules.c.valid_to, _DAY)))


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


def _schedule_dataset(row: Any) -> Provenance:
    """The provenance columns read with a schedule row (see ``_SCHEDULES``)."""
    return _row_to_provenance(SimpleNamespace(
        id=row.dataset_id, kind=row.kind, name=row.dataset_name, source=row.source,
        licence=row.licence, edition=row.edition, imported_at=row.imported_at,
        is_sample=row.is_sample, row_count=row.row_count, notes=row.notes))


def destination_economies(conn: Connection, destination: str,
                          as_of: date | None = None) -> list[str]:
    """``destination`` followed by the customs unions whose schedule it applies."""
    return [destination, *customs_unions_of(conn, destination, as_of)]


def schedule_for(conn: Connection, destination: str,
                 as_of: date | None = None) -> ScheduleInfo | None:
    """The schedule that applies to imports into ``destination`` on ``as_of`` (None: none)."""
    rows = _schedule_rows(conn, destination_economies(conn, destination, as_of), today(as_of))
    return _schedule_info(rows[0]) if rows else None


def schedule_provenance(conn: Connection, destination: str,
                        as_of: date | None = None) -> list[ScheduleProvenance]:
    """Every schedule available for ``destination``, the one used first, with provenance."""
    rows = _schedule_rows(conn, destination_economies(conn, destination, as_of), today(as_of))
    return [ScheduleProvenance(_schedule_info(row), _schedule_dataset(row)) for row in rows]


def list_schedules(conn: Connection) -> list[ScheduleInfo]:
    rows = conn.execute(
        select(tariff_schedules, datasets.c.is_sample, datasets.c.imported_at)
        .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
        .order_by(tariff_schedules.c.economy, tariff_schedules.c.id)).all()
    return [_schedule_info(r) for r in rows]


# ---------------------------------------------------------------------------------------
# Lines and rates


def rate_from_row(row: Any, economy: str, via: str | None = None) -> TariffRate:
    return TariffRate(
        id=row.rate_id, schedule_id=row.schedule_id, economy=economy,
        national_code=row.national_code, hs6=row.hs6, description=row.description,
        unit=row.unit, rate_type=row.rate_type, scheme=row.scheme,
        agreement_id=row.agreement_id, origin=row.origin,
        duty=Duty.from_json(row.duty_text, row.duty_json), quota_volume=row.quota_volume,
        quota_unit=row.quota_unit, valid_from=row.rate_from, valid_to=row.rate_to,
        dataset_id=row.dataset_id, via=via)


# The columns :func:`rate_from_row` reads (the rate's own id and dates relabelled so that they can sit
# next to a schedule's in one row).
_RATE_COLUMNS = (
    tariff_rates.c.id.label("rate_id"), tariff_rates.c.schedule_id, tariff_rates.c.hs6,
    tariff_rates.c.rate_type, tariff_rates.c.scheme, tariff_rates.c.agreement_id,
    tariff_rates.c.origin, tariff_rates.c.duty_text, tariff_rates.c.duty_json,
    tariff_rates.c.quota_volume, tariff_rates.c.quota_unit,
    tariff_rates.c.valid_from.label("rate_from"), tariff_rates.c.valid_to.label("rate_to"),
    tariff_lines.c.national_code, tariff_lines.c.description, tariff_lines.c.unit)
_RATE_LINES = tariff_rates.join(tariff_lines, tariff_lines.c.id == tariff_rates.c.line_id)
_RATE_VALID = and_(valid_on(tariff_rates.c.valid_from, tariff_rates.c.valid_to, _DAY),
                   valid_on(tariff_lines.c.valid_from, tariff_lines.c.valid_to, _DAY))

_RATES = (
    select(*_RATE_COLUMNS, tariff_schedules.c.dataset_id)
    .select_from(_RATE_LINES)
    .join(tariff_schedules, tariff_schedules.c.id == tariff_rates.c.schedule_id)
    .where(tariff_rates.c.schedule_id == bindparam("schedule_id"),
           tariff_rates.c.hs6 == bindparam("hs6"),
           tariff_rates.c.rate_type.in_(bindparam("types", expanding=True)), _RATE_VALID)
    .order_by(tariff_lines.c.national_code, tariff_rates.c.id))

# The schedule that applies (same order as :func:`_schedule_rows`: the destination's own
# before a customs union's, real before SAMPLE, newest import first) and all its rates for
# one hs6, in one statement: one row per rate, or one row with NULL rate columns.  The rates
# and lines are outer-joined one after the other (a nested join makes SQLite scan every
# rate); a rate whose line is not valid on the day comes with NULL line columns and is
# dropped by :func:`_schedule_and_rates`.
_BEST_SCHEDULE = (
    _SCHEDULES.order_by(
        case((tariff_schedules.c.economy == bindparam("destination"), 0), else_=1),
        tariff_schedules.c.economy, datasets.c.is_sample, datasets.c.imported_at.desc(),
        tariff_schedules.c.id.desc())
    .limit(1).subquery("best"))
_SCHEDULE_RATES = (
    select(_BEST_SCHEDULE, *_RATE_COLUMNS)
    .select_from(
        _BEST_SCHEDULE
        .outerjoin(tariff_rates, and_(
            tariff_rates.c.schedule_id == _BEST_SCHEDULE.c.id,
            tariff_rates.c.hs6 == bindparam("hs6"),
            valid_on(tariff_rates.c.valid_from, tariff_rates.c.valid_to, _DAY)))
        .outerjoin(tariff_lines, and_(
            tariff_lines.c.id == tariff_rates.c.line_id,
            valid_on(tariff_lines.c.valid_from, tariff_lines.c.valid_to, _DAY))))
    .order_by(tariff_lines.c.national_code, tariff_rates.c.id))


def _schedule_and_rates(conn: Connection, economies: list[str], destination: str, hs6: str,
                        day: date) -> tuple[Any, list[Any]]:
    """The schedule row that applies (None: none) and its valid rate rows for ``hs6``."""
    rows = conn.execute(_SCHEDULE_RATES, {"economies": economies, "day": day,
                                          "destination": destination, "hs6": hs6}).all()
    if not rows:
        return None, []
    return rows[0], [r for r in rows if r.rate_id is not None and r.national_code is not None]


def rate_rows_of(conn: Connection, schedule: ScheduleInfo, hs6: str, rate_types: tuple[str, ...],
           as_of: date) -> list[Any]:
    return list(conn.execute(_RATES, {"schedule_id": schedule.id, "hs6": hs6,
                                      "types": list(rate_types), "day": as_of}).all())


def tariff_lines_for(conn: Connection, destination: str, hs6: str,
                     as_of: date | None = None) -> list[TariffLine]:
    """National lines under ``hs6`` in the destination's schedule on ``as_of``."""
    day = today(as_of)
    schedule = schedule_for(conn, destination, day)
    if schedule is None:
        return []
    rows = conn.execute(
        select(tariff_lines).where(
            tariff_lines.c.schedule_id == schedule.id, tariff_lines.c.hs6 == hs6,
            valid_on(tariff_lines.c.valid_from, tariff_lines.c.valid_to, day))
        .order_by(tariff_lines.c.national_code))
    return [TariffLine(r.id, r.schedule_id, r.national_code, r.hs6, r.description, r.unit,
                       r.valid_from, r.valid_to) for r in rows]


def mfn_rates(conn: Connection, destination: str, hs6: str, as_of: date | None = None, *,
              schedule: ScheduleInfo | None = None) -> list[TariffRate]:
    """MFN applied rates of every national line under ``hs6`` (empty: no schedule/line)."""
    day = today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    return [rate_from_row(r, schedule.economy) for r in rate_rows_of(conn, schedule, hs6, ("mfn",), day)]


def qualifying_rows(rows: list[Any], origin_codes: list[str],
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


def parties_for(conn: Connection, rows: list[Any], origin_codes: list[str],
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
    day = today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    codes = origin_codes or economy_codes(conn, origin, day)
    rows = rate_rows_of(conn, schedule, hs6, ("preferential",), day)
    parties = parties_for(conn, rows, codes, day)
    return [rate_from_row(row, schedule.economy, via) for row, via in qualifying_rows(rows, codes, parties)]


def quotas(conn: Connection, destination: str, hs6: str, origin: str | None = None,
           as_of: date | None = None, *, schedule: ScheduleInfo | None = None,
           origin_codes: list[str] | None = None) -> list[TariffRate]:
    """Tariff-rate quota rates (``quota_in``/``quota_out``) open to ``origin`` on ``as_of``.

    ``origin=None`` returns every quota rate on the line.
    """
    day = today(as_of)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is None:
        return []
    rows = rate_rows_of(conn, schedule, hs6, ("quota_in", "quota_out"), day)
    if origin is None:
        return [rate_from_row(r, schedule.economy) for r in rows]
    codes = origin_codes or economy_codes(conn, origin, day)
    parties = parties_for(conn, rows, codes, day)
    return [rate_from_row(row, schedule.economy, via) for row, via in qualifying_rows(rows, codes, parties)]


def line_additional_duty(row: Any, economy: str) -> AdditionalDuty:
    """An ``additional`` rate stored on a tariff line, as an :class:`AdditionalDuty`."""
    return AdditionalDuty(
        id=-row.rate_id, economy=economy, heading=row.scheme or row.national_code,
        authority=row.scheme, description=row.description,
        duty=Duty.from_json(row.duty_text, row.duty_json),
        origin_mode="only" if row.origin else "all", product_scope="listed",
        product_codes=(row.national_code,), valid_from=row.rate_from,
        valid_to=row.rate_to, dataset_id=row.dataset_id)


_T = additional_duties_table
# The measures that apply, each with the national codes it lists under the hs6 (one row per
# code, or one row with a NULL code), in one statement.
_LISTED = additional_duty_products.alias("listed")
_MEASURES = (
    select(_T, _LISTED.c.product_code)
    .select_from(_T.outerjoin(_LISTED, and_(_LISTED.c.duty_id == _T.c.id,
                                            _LISTED.c.hs6 == bindparam("hs6"))))
    .where(
        _T.c.economy.in_(bindparam("economies", expanding=True)),
        valid_on(_T.c.valid_from, _T.c.valid_to, _DAY),
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
    .order_by(_T.c.heading, _T.c.id))


def measure_duties(conn: Connection, economies: list[str], hs6: str, origin_codes: list[str],
                    day: date) -> list[AdditionalDuty]:
    rows = conn.execute(_MEASURES, {"economies": list(economies), "hs6": hs6,
                                    "codes": list(origin_codes), "codes2": list(origin_codes),
                                    "day": day}).all()
    first: dict[int, Any] = {}
    codes: dict[int, list[str]] = {}
    for r in rows:
        first.setdefault(r.id, r)
        if r.product_code is not None:
            codes.setdefault(r.id, []).append(r.product_code)
    return [AdditionalDuty(
        id=r.id, economy=r.economy, heading=r.heading, authority=r.authority,
        description=r.description, duty=Duty.from_json(r.duty_text, r.duty_json),
        origin_mode=r.origin_mode, product_scope=r.product_scope,
        product_codes=tuple(sorted(codes.get(r.id, []))), valid_from=r.valid_from,
        valid_to=r.valid_to, dataset_id=r.dataset_id) for r in first.values()]


def additional_duties(conn: Connection, destination: str, hs6: str, origin: str,
                      as_of: date | None = None, *, schedule: ScheduleInfo | None = None,
                      origin_codes: list[str] | None = None,
                      destination_codes: list[str] | None = None) -> list[AdditionalDuty]:
    """Origin-dependent additional duties (e.g. US Chapter 99) on ``hs6`` from ``origin``.

    Also includes ``additional`` rate rows stored on tariff lines (WITS/CSV/UK imports).
    """
    day = today(as_of)
    economies = destination_codes or destination_economies(conn, destination, day)
    codes = origin_codes or economy_codes(conn, origin, day)
    out = measure_duties(conn, economies, hs6, codes, day)
    schedule = _resolve(conn, destination, day, schedule)
    if schedule is not None:
        rows = rate_rows_of(conn, schedule, hs6, ("additional",), day)
        parties = parties_for(conn, rows, codes, day)
        out += [line_additional_duty(row, schedule.economy)
                for row, _via in qualifying_rows(rows, codes, parties)]
    return out


_TAXES = select(domestic_taxes_table).where(
    domestic_taxes_table.c.economy == bindparam("economy"),
    valid_on(domestic_taxes_table.c.valid_from, domestic_taxes_table.c.valid_to, _DAY))
_VALUATION = select(valuation_bases).where(valuation_bases.c.economy == bindparam("economy"))


def domestic_taxes(conn: Connection, destination: str, hs6: str,
                   as_of: date | None = None) -> list[DomesticTax]:
    """VAT/GST, excise and other internal taxes on ``hs6`` in ``destination`` on ``as_of``.

    Ordered by kind, then the most specific HS prefix first (a product-specific VAT rate
    comes before the standard rate, which has no prefix).
    """
    rows = conn.execute(_TAXES, {"economy": destination, "day": today(as_of)}).all()
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
    """CIF or FOB for ``destination``: imported data, else the default list, else the
    schedule, else CIF."""
    row = conn.execute(_VALUATION, {"economy": destination}).first()
    imported = (row.basis, row.note) if row is not None else None
    if imported is None and destination not in FOB_ECONOMIES:
        schedule = _resolve(conn, destination, today(as_of), schedule)
    return _basis(destination, imported, schedule)


# ---------------------------------------------------------------------------------------
# Everything for one (destination, hs6, origin, date) in as few statements as possible


_NULL_TEXT = cast(null(), Text)
_NULL_BOOL = cast(null(), Boolean)
_NULL_DATE = cast(null(), Date)
HS_EDITION = "HS2022"

# One round trip for the small facts of a question: group memberships of both economies (g),
# their WTO accession dates (w), the destination's valuation basis (v), the HS code's
# description (h) and its EU regulation flags (f).  Columns: kind, a, b, flag, day, text.
_CONTEXT = union_all(
    select(literal("g").label("kind"), group_members.c.member.label("a"),
           group_members.c.group_code.label("b"), economy_groups.c.customs_union.label("flag"),
           _NULL_DATE.label("day"), _NULL_TEXT.label("text"))
    .join(economy_groups, economy_groups.c.code == group_members.c.group_code)
    .where(group_members.c.member.in_(bindparam("members", expanding=True)),
           valid_on(group_members.c.valid_from, group_members.c.valid_to, _DAY)),
    select(literal("w"), wto_members.c.economy, _NULL_TEXT, _NULL_BOOL,
           wto_members.c.accession_date, _NULL_TEXT)
    .where(wto_members.c.economy.in_(bindparam("members", expanding=True))),
    select(literal("v"), valuation_bases.c.economy, valuation_bases.c.basis, _NULL_BOOL,
           _NULL_DATE, valuation_bases.c.note)
    .where(valuation_bases.c.economy == bindparam("destination")),
    select(literal("h"), hs_codes.c.code, _NULL_TEXT, _NULL_BOOL, _NULL_DATE,
           hs_codes.c.description)
    .where(hs_codes.c.edition == HS_EDITION, hs_codes.c.code == bindparam("hs6")),
    select(literal("f"), hs_code_flags.c.code, hs_code_flags.c.flag, _NULL_BOOL, _NULL_DATE,
           _NULL_TEXT)
    .where(hs_code_flags.c.edition == HS_EDITION, hs_code_flags.c.code == bindparam("hs6")),
)
_DATASETS = (select(datasets).where(datasets.c.id.in_(bindparam("ids", expanding=True)))
             .order_by(datasets.c.id))


@dataclass(frozen=True)
class _Context:
    groups: dict[str, list[tuple[str, bool]]]
    wto: dict[str, date]
    valuation: tuple[str, str] | None  # (basis, note) imported for the destination
    hs_description: str | None
    hs_flags: list[str]


def _context(conn: Connection, destination: str, hs6: str, origin: str, day: date) -> _Context:
    groups: dict[str, list[tuple[str, bool]]] = {origin: [], destination: []}
    wto: dict[str, date] = {}
    valuation: tuple[str, str] | None = None
    description: str | None = None
    flags: list[str] = []
    for r in conn.execute(_CONTEXT, {"day": day, "members": [origin, destination],
                                     "destination": destination, "hs6": hs6}):
        if r.kind == "g":
            groups[r.a].append((r.b, bool(r.flag)))
        elif r.kind == "w":
            wto[r.a] = r.day
        elif r.kind == "v":
            valuation = (r.b, r.text)
        elif r.kind == "h":
            description = r.text
        else:
            flags.append(r.b)
    for found in groups.values():
        found.sort()
    return _Context(groups, wto, valuation, description, flags)


def _basis(destination: str, imported: tuple[str, str] | None,
           schedule: ScheduleInfo | None) -> ValuationBasis:
    """CIF or FOB: imported data, else the default list, else the schedule, else CIF."""
    if imported is not None:
        return ValuationBasis(destination, imported[0], "data", imported[1])
    if destination in FOB_ECONOMIES:
        return ValuationBasis(destination, "FOB", "default", FOB_ECONOMIES[destination])
    if schedule is not None and schedule.valuation_basis in ("CIF", "FOB"):
        return ValuationBasis(destination, schedule.valuation_basis, "schedule",
                              f"as recorded with the {schedule.name} schedule")
    return ValuationBasis(destination, "CIF", "default",
                          "WTO Valuation Agreement default: cost, insurance and freight "
                          "to the place of importation")


@dataclass(frozen=True)
class RatesBundle:
    """Everything one market-access question needs, fetched together (see :func:`rates_for`)."""

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
    destination_groups: tuple[str, ...] = ()  # every group of the destination (not only CUs)
    #: agreements named by the preferences/quotas the origin may use, with their rules
    agreements: dict[int, AgreementInfo] = field(default_factory=dict)
    origin_rules: dict[int, OriginRules] = field(default_factory=dict)
    product_rules: dict[int, list[ProductRule]] = field(default_factory=dict)
    links: list[AgreementLink] = field(default_factory=list)  # agreements linking the two
    wto: dict[str, date] = field(default_factory=dict)  # accession dates of both economies
    hs_description: str | None = None  # None: the code is not in HS 2022
    hs_flags: list[str] = field(default_factory=list)
    #: datasets behind the figures, the schedule's first
    provenance: list[Provenance] = field(default_factory=list)

    def is_wto_member(self, economy: str) -> bool:
        return economy in self.wto and self.wto[economy] <= self.as_of


def rates_for(conn: Connection, destination: str, hs6: str, origin: str,
              as_of: date | None = None) -> RatesBundle:
    """MFN, preferences, quotas, additional duties, taxes, valuation basis, the agreements
    and their rules, WTO membership and the HS description, for one question.

    This is the one query path of the market-access answer and the landed cost.  Same rules
    as the separate named queries (``tests/tariffs/test_queries.py`` and
    ``tests/access/test_answer.py`` check it), in five statements built once at import: the
    small facts (groups, WTO, valuation, HS text) in one union, the schedule that applies
    with its provenance and all its rates for ``hs6``, the agreements of both economies
    (which also say through which party the origin qualifies for a preference), the
    additional measures with their listed codes, and the taxes.  The rules of origin of the
    agreements used and the provenance of other datasets add one statement each, only when
    there are some.
    """
    day = today(as_of)
    ctx = _context(conn, destination, hs6, origin, day)
    destination_codes = [destination, *(g for g, cu in ctx.groups[destination] if cu)]
    origin_codes = codes_from(ctx.groups, origin)
    row, rate_rows = _schedule_and_rates(conn, destination_codes, destination, hs6, day)
    schedule = _schedule_info(row) if row is not None else None
    provenance = [_schedule_dataset(row)] if row is not None else []

    sides = participations(conn, {origin: origin_codes,
                                  destination: codes_from(ctx.groups, destination)}, day)
    parties = {agreement_id: via for agreement_id, (_info, via, role) in sides[origin].items()
               if role != "grantor"}  # a scheme's grantor does not receive its preference
    mfn: list[TariffRate] = []
    preferential: list[TariffRate] = []
    quota_rates: list[TariffRate] = []
    additional = measure_duties(conn, destination_codes, hs6, origin_codes, day)
    if schedule is not None:
        mfn = [rate_from_row(r, schedule.economy) for r in rate_rows if r.rate_type == "mfn"]
        others = [r for r in rate_rows if r.rate_type != "mfn"]
        for rate_row, via in qualifying_rows(others, origin_codes, parties):
            if rate_row.rate_type == "preferential":
                preferential.append(rate_from_row(rate_row, schedule.economy, via))
            elif rate_row.rate_type == "additional":
                additional.append(line_additional_duty(rate_row, schedule.economy))
            elif rate_row.rate_type in ("quota_in", "quota_out"):
                quota_rates.append(rate_from_row(rate_row, schedule.economy, via))
    used = sorted({r.agreement_id for r in preferential + quota_rates
                   if r.agreement_id is not None})
    general, specific = rules_of(conn, used, hs6)
    taxes = domestic_taxes(conn, destination, hs6, day)

    infos = {agreement_id: sides[origin][agreement_id][0] for agreement_id in used}
    others_ids = ({a.dataset_id for a in additional} | {t.dataset_id for t in taxes}
                  | {i.dataset_id for i in infos.values() if i.dataset_id is not None}) \
        - {p.id for p in provenance}
    if others_ids:
        provenance += [_row_to_provenance(r)
                       for r in conn.execute(_DATASETS, {"ids": sorted(others_ids)})]
    return RatesBundle(
        destination=destination, hs6=hs6, origin=origin, as_of=day, schedule=schedule,
        destination_codes=tuple(destination_codes), origin_codes=tuple(origin_codes),
        destination_groups=tuple(codes_from(ctx.groups, destination)[1:]),
        mfn=mfn, preferential=preferential, quotas=quota_rates, additional=additional,
        taxes=taxes, valuation=_basis(destination, ctx.valuation, schedule),
        agreements=infos, origin_rules=general, product_rules=specific,
        links=links_between(sides[origin], sides[destination]), wto=ctx.wto,
        hs_description=_in_reader_language(conn, hs6, ctx.hs_description),
        hs_flags=ctx.hs_flags, provenance=provenance)


def _in_reader_language(conn: Connection, hs6: str, english: str | None) -> str | None:
    """The product's description in the reader's language where imported (else English)."""
    if english is None:
        return None
    return translated(conn, HS_EDITION, [hs6]).get(hs6, english)

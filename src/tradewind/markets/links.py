"""Optional inputs from the tariff feature: trade agreements and duties, read in bulk.

The market finder needs, for one origin, the agreement status and the duties of *every*
market at once; calling a per-pair function two hundred times would break the 100 ms
budget, so agreements are read here in three small queries over the agreement tables.
Duties come from ``tradewind.tariffs.queries`` when that module exists and has data; when
it does not, access is "unknown" — it is never guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, text

from tradewind.agreements.queries import is_one_way_type
from tradewind.errors import TradewindError

log = logging.getLogger(__name__)


def _in_force(start: Any, end: Any, as_of: date) -> Any:
    return and_(or_(start.is_(None), start <= as_of), or_(end.is_(None), end >= as_of))


def is_one_way(kind: str) -> bool:
    """One-way preference schemes (GSP, AGOA, DCTS…) do not count for ease of trade:
    beneficiaries are not in an agreement with one another (their lower duties count in
    market access)."""
    return is_one_way_type(kind or "")


def agreement_partners(conn: Connection, origin: str, as_of: date) -> set[str] | None:
    """ISO3 codes of every economy sharing an agreement in force with ``origin`` on ``as_of``.

    Uses TARIFFS' ``agreements_of`` (the origin's agreements in force, directly or through a
    group) and then reads the other parties of those agreements in one query, expanding
    groups (e.g. "EUN") to their members on that date.  As in ``agreements_between``, two
    members of the same group are not linked by that group's own external agreements, and
    one-way preference schemes are skipped (:func:`is_one_way`).  Returns None when no agreements are loaded (ease then leaves the agreement part out
    instead of counting "no agreement").
    """
    try:
        from tradewind.agreements.models import agreement_parties, agreements, group_members
        from tradewind.agreements.queries import agreements_of
    except ImportError:  # pragma: no cover - the tariff feature is optional
        return None
    if not conn.execute(select(func.count()).select_from(agreements)).scalar():
        return None
    via_by_agreement = {info.id: via for info, via in agreements_of(conn, origin, as_of)
                        if not is_one_way(info.type)}
    if not via_by_agreement:
        return set()
    parties: list[tuple[int, str]] = [
        (int(r.agreement_id), r.party) for r in conn.execute(
            select(agreement_parties.c.agreement_id, agreement_parties.c.party).where(
                agreement_parties.c.agreement_id.in_(sorted(via_by_agreement)),
                _in_force(agreement_parties.c.entry_date, agreement_parties.c.exit_date,
                          as_of)))]
    codes = sorted({party for _a, party in parties})
    members: dict[str, set[str]] = {}
    for r in conn.execute(select(group_members.c.group_code, group_members.c.member).where(
            group_members.c.group_code.in_(codes),
            _in_force(group_members.c.valid_from, group_members.c.valid_to, as_of))):
        members.setdefault(r.group_code, set()).add(r.member)
    partners: set[str] = set()
    for agreement_id, party in parties:
        if party == via_by_agreement[agreement_id]:
            continue  # the origin's own side of the agreement
        partners |= members.get(party, {party})
    return partners - {origin}


@dataclass(frozen=True)
class Duties:
    """Ad valorem duty (%) the origin faces and the import-weighted one its competitors face."""

    origin: float
    competitors: float
    note: str = ""


def _ad_valorem(rate: Any) -> float | None:
    """The percentage of a Free or purely ad valorem duty; None for specific/compound ones."""
    duty = getattr(rate, "duty", None)
    value = getattr(duty, "ad_valorem_percent", None)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Pricing:
    """What an ad valorem equivalent needs: the market's import unit value and the date."""

    unit_value_usd_per_kg: float | None
    as_of: date


def _percent(conn: Connection, rate: Any, pricing: Pricing) -> float | None:
    """Ad valorem percentage, or the ad valorem equivalent (AVE) of a specific or compound
    duty at the market's import unit value: duty on 1 000 kg worth 1 000 × unit value USD,
    as a percentage of that value.  Per-kg duties only (other units stay unknown); foreign
    currencies through the imported exchange rates (no rate → unknown, never guessed)."""
    plain = _ad_valorem(rate)
    if plain is not None:
        return plain
    uv = pricing.unit_value_usd_per_kg
    duty = getattr(rate, "duty", None)
    if not uv or uv <= 0 or duty is None or not getattr(duty, "parse_ok", False):
        return None
    try:
        from tradewind.fx.rates import convert
        from tradewind.tariffs.duty import Money, compute_duty
    except ImportError:  # pragma: no cover - optional features
        return None
    value = Decimal(str(uv)) * 1000

    def converter(amount: Decimal, source: str, target: str) -> Decimal:
        return convert(conn, amount, source, target, pricing.as_of).converted

    try:
        owed = compute_duty(duty, Money(value, "USD"), {"kg": Decimal(1000)}, converter)
    except TradewindError:  # no exchange rate: unknown
        return None
    if owed.amount is None:
        return None
    return float(owed.amount / value * 100)


def best_rate(queries: Any, conn: Connection, destination: str, hs6: str, origin: str,
              pricing: Pricing) -> float | None:
    """Lowest MFN or preferential rate open to ``origin`` (ad valorem or its equivalent) plus
    the additional duties on it; None when the MFN rate cannot be expressed as a percentage.

    With several national lines under one subheading the lowest MFN line is used (the
    exporter picks the line its goods fall in; a simplification stated in the method doc).
    """
    as_of = pricing.as_of
    # the schedule is resolved once for the three lookups (each would resolve it again)
    schedule = queries.schedule_for(conn, destination, as_of) \
        if hasattr(queries, "schedule_for") else None
    if schedule is None and hasattr(queries, "schedule_for"):
        return None  # no schedule: no MFN rate
    found = {"schedule": schedule} if schedule is not None else {}
    mfn = [v for v in (_percent(conn, r, pricing)
                       for r in queries.mfn_rates(conn, destination, hs6, as_of, **found))
           if v is not None]
    if not mfn:
        return None
    best = min(mfn)
    if hasattr(queries, "preferential_rates"):
        prefs = [v for v in (_percent(conn, r, pricing) for r in queries.preferential_rates(
            conn, destination, hs6, origin, as_of, **found)) if v is not None]
        if prefs:
            best = min(best, *prefs)
    if hasattr(queries, "additional_duties"):
        for extra in queries.additional_duties(conn, destination, hs6, origin, as_of,
                                               **found):
            value = _percent(conn, extra, pricing)
            if value is not None:
                best += value
    return best


_RATE_CACHE: dict[tuple[Any, ...], Any] = {}
_RATE_CACHE_SIZE = 50_000


def data_version(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever a dataset is imported or deleted, or an editor saves a change
    (cache key for derived figures).  Inside :func:`one_version` on the same connection,
    the version read when it began."""
    scoped = _SCOPED.get()
    if scoped is not None and scoped[0] is conn:
        return scoped[1]
    row = conn.execute(_VERSION_QUERY).one()
    return (_url_label(conn), row[0], row[1], str(row[2]), row[3])


_SCOPED: ContextVar[tuple[Connection, tuple[Any, ...]] | None] = ContextVar(
    "tradewind_data_version", default=None)


@contextmanager
def one_version(conn: Connection) -> Iterator[tuple[Any, ...]]:
    """One answer composed of several cached parts (the brief) reads the data version once:
    every :func:`data_version` on ``conn`` inside the block returns it (a round trip each
    otherwise).  An import finishing meanwhile is seen by the next answer."""
    version = data_version(conn)
    token = _SCOPED.set((conn, version))
    try:
        yield version
    finally:
        _SCOPED.reset(token)


# Asked on every cached answer: plain SQL, compiled once (the datasets table is small; the
# audit log's id is its primary key).  Edits made in the web editors (requirements, content)
# write the audit log, so they change the version as imports do.
_VERSION_QUERY = text("SELECT max(id), count(*), max(imported_at), "
                      "(SELECT max(id) FROM audit_log) FROM datasets")


def _url_label(conn: Connection) -> str:
    url = conn.engine.url
    label = _URL_LABELS.get(url)
    if label is None:
        label = _URL_LABELS[url] = url.render_as_string(hide_password=True)
    return label


_URL_LABELS: dict[Any, str] = {}


_DERIVED: dict[tuple[Any, ...], Any] = {}
_MISSING = object()


def cached(conn: Connection, key: tuple[Any, ...], compute: Callable[[], Any],
           version: tuple[Any, ...] | None = None) -> Any:
    """``compute()`` remembered until the data change (see :func:`data_version`).

    Used for figures that do not depend on the product (GDP growth of every market, the
    origin's agreement partners, provenance lists), which would otherwise be re-read on every
    ranking.  Pass ``version`` when making several calls in one request.
    """
    full = (version or data_version(conn), *key)
    found = _DERIVED.get(full, _MISSING)
    if found is _MISSING:
        if len(_DERIVED) >= 2_000:
            _DERIVED.clear()
        found = _DERIVED[full] = compute()
    return found


def clear_derived() -> None:
    """Forget the derived figures and duty rates kept by this process (tests)."""
    _DERIVED.clear()
    _RATE_CACHE.clear()


def duties_for(conn: Connection, product: str, origin: str, markets: Iterable[str],
               suppliers: Callable[[str], Sequence[tuple[str, float]]], as_of: date,
               unit_values: dict[str, float] | None = None,
               version: tuple[Any, ...] | None = None) -> dict[str, Duties]:
    """Duties per market where a schedule is loaded; markets without one are absent.

    Competitors are the market's three largest suppliers other than the origin, weighted by
    their imports.  Specific duties count through their ad valorem equivalent at the
    market's import unit value (``unit_values``: ISO3 → USD/kg); without it they are unknown.
    """
    unit_values = unit_values or {}
    try:
        queries = import_module("tradewind.tariffs.queries")
    except ImportError:
        return {}
    if not hasattr(queries, "mfn_rates"):
        return {}
    try:
        from tradewind.tariffs.models import tariff_schedules
        schedule_of = {e: e for e in conn.execute(
            select(tariff_schedules.c.economy).distinct()).scalars()}
    except Exception:  # the tariff tables may be absent in a partial install
        log.debug("tariff schedules unavailable", exc_info=True)
        return {}
    if not schedule_of:
        return {}
    try:
        from tradewind.agreements.models import group_members
        for r in conn.execute(select(group_members.c.group_code, group_members.c.member).where(
                group_members.c.group_code.in_(sorted(schedule_of)),
                _in_force(group_members.c.valid_from, group_members.c.valid_to, as_of))):
            schedule_of.setdefault(r.member, r.group_code)
    except Exception:
        log.debug("group members unavailable", exc_info=True)
    # Members of a customs union share one schedule: look each (schedule, origin) up once,
    # and remember it across requests until any dataset is imported or deleted.
    version = version or data_version(conn)
    from tradewind.markets.rates import ProductRates, supported

    bulk = ProductRates(queries, conn, product, as_of, version) if supported(queries) else None

    def best(market: str, who: str) -> float | None:
        pricing = Pricing(unit_values.get(market), as_of)
        uv = None if pricing.unit_value_usd_per_kg is None else round(
            pricing.unit_value_usd_per_kg, 6)
        key = (version, schedule_of[market], product, who, as_of, uv)
        found = _RATE_CACHE.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]
        if len(_RATE_CACHE) >= _RATE_CACHE_SIZE:
            _RATE_CACHE.clear()
        rate = _RATE_CACHE[key] = (
            bulk.best(market, who, lambda r: _percent(conn, r, pricing)) if bulk is not None
            else best_rate(queries, conn, market, product, who, pricing))
        return rate

    out: dict[str, Duties] = {}
    for market in markets:
        if market not in schedule_of:
            continue
        try:
            own = best(market, origin)
            if own is None:
                continue
            rivals = [(s, v) for s, v in suppliers(market) if s != origin][:3]
            weighted = 0.0
            total = 0.0
            for supplier, value in rivals:
                rate = best(market, supplier)
                if rate is None:
                    continue
                weighted += rate * value
                total += value
            if total <= 0:
                continue
            out[market] = Duties(own, weighted / total)
        except Exception:  # a half-loaded schedule must not break the ranking: unknown instead
            log.warning("duties for %s %s unavailable", market, product, exc_info=True)
    return out

"""The market finder: "where should I sell product P from origin O?" and the reverse question.

Reads one product's slice of the pre-aggregated flow tables (a few hundred rows), plus
indicators, geography and — when loaded — agreements and duties, then scores in Python
(:mod:`tradewind.markets.scoring`).  The method is in ``docs/market-finder.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select, text

from tradewind.aggcache import cached_aggregate
from tradewind.countries.reference import country_name
from tradewind.datasets.queries import Provenance
from tradewind.errors import InvalidInput, NotFound
from tradewind.flows.blocks import flow_rows
from tradewind.flows.models import (
    flow_economy_totals,
    flow_exports,
    flow_imports,
    flow_world,
)
from tradewind.i18n import current_language
from tradewind.i18n import lazy_noop as N_
from tradewind.markets import links
from tradewind.markets.scoring import (
    DEFAULT_WEIGHTS,
    MarketInputs,
    ProductInputs,
    Scored,
    SupplyInputs,
    Weights,
    rca,
    score_markets,
    score_products,
    series_cagr,
)
from tradewind.stats import queries as q

MAX_PRODUCTS = 1000  # the reverse question scores at most this many candidate products


@dataclass
class Ranking:
    """A ranked list (markets for a product, or products for a market) with its context."""

    kind: str  # "markets" or "products"
    product: str | None
    origin: str
    market: str | None
    year: int
    years: list[int]
    weights: dict[str, float]
    rows: list[Scored]
    supply: SupplyInputs | None
    access_known: bool
    agreements_known: bool
    geography_known: bool
    indicators_known: bool
    provenance: list[Provenance] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "product": self.product, "origin": self.origin,
            "market": self.market, "year": self.year, "years": self.years,
            "weights": self.weights, "default_weights": DEFAULT_WEIGHTS,
            "supply": None if self.supply is None else {
                "exports_usd": self.supply.exports, "rca": self.supply.rca,
                "export_growth": self.supply.growth, "world_share": self.supply.world_share},
            "access_known": self.access_known, "agreements_known": self.agreements_known,
            "geography_known": self.geography_known, "indicators_known": self.indicators_known,
            "notes": self.notes,
            "results": [r.as_dict() for r in self.rows],
            "sample": self.is_sample,
            "provenance": [p.as_dict() for p in self.provenance],
        }


def _as_of_date(year: int, as_of: date | int | None) -> date:
    """The date for duties and agreements: today by default (an exporter faces today's
    tariffs even though flows are historical); the end of the year when a year is given."""
    if isinstance(as_of, date):
        return as_of
    if as_of is None:
        return date.today()
    return date(int(as_of), 12, 31)


def _as_of_year(as_of: date | int | None) -> int | None:
    if as_of is None:
        return None
    return as_of.year if isinstance(as_of, date) else int(as_of)


def _growth(conn: Connection, indicator: str, years: list[int]) -> dict[str, float]:
    """CAGR of an indicator per economy over the five years to the last flow year (economies
    with at least two values in that window; indicators may lag flows by a year)."""
    span = list(range(years[-1] - q.GROWTH_SPAN, years[-1] + 1))
    series = q.indicator_series(conn, indicator, None, span)
    out: dict[str, float] = {}
    for iso3, values in series.items():
        g = series_cagr(values, years[-1], q.GROWTH_SPAN)
        if g is not None:
            out[iso3] = g
    return out


def _provenance(conn: Connection, years: list[int],
                version: tuple[Any, ...] | None = None) -> list[Provenance]:
    """Datasets behind a ranking: the flow years, indicators and geography (cached)."""
    return links.cached(conn, ("provenance", tuple(years)),  # type: ignore[no-any-return]
                        lambda: q.flow_provenance(conn, years) + q.indicator_provenance(conn),
                        version)


@lru_cache(maxsize=2048)
def _country_label(iso3: str, lang: str) -> str:
    return country_name(iso3, lang)


def _supply(conn: Connection, hs6: int, oid: int | None, years: list[int],
            world_by_year: dict[int, float]) -> SupplyInputs:
    """The origin's exports, growth, world share and RCA in one product."""
    year = years[-1]
    exports: dict[int, float] = {}
    if oid is not None:
        exports = {int(r.year): float(r.value_usd) for r in conn.execute(
            select(flow_exports.c.year, flow_exports.c.value_usd).where(
                flow_exports.c.hs6 == hs6, flow_exports.c.exporter == oid,
                flow_exports.c.year.in_(years)))}
    origin_total = 0.0
    if oid is not None:
        origin_total = float(conn.execute(
            select(flow_economy_totals.c.exports_usd).where(
                flow_economy_totals.c.economy == oid, flow_economy_totals.c.year == year)
        ).scalar() or 0)
    world_k = world_by_year.get(year, 0.0)
    last = exports.get(year, 0.0)
    return SupplyInputs(
        exports=last,
        rca=rca(last, origin_total, world_k, q.world_total(conn, year)),
        growth=series_cagr(exports, year, q.GROWTH_SPAN),
        world_share=(last / world_k) if world_k else 0.0)


def _cache_inputs(weights: Weights, as_of: date | int | None) -> tuple[Any, ...]:
    """Weights and the resolved date as a stable cache key part (no date means today's
    duties, so today's date is part of the key)."""
    when: Any = ("today", date.today()) if as_of is None else as_of
    return (tuple(sorted(weights.as_dict().items())), when)


def rank_markets(conn: Connection, product: str, origin: str,
                 weights: Weights | dict[str, float] | None = None,
                 as_of: date | int | None = None, limit: int | None = None,
                 exclude_unknown_access: bool = False) -> Ranking:
    """Ranks every market that imports ``product`` for sellers from ``origin`` — see
    :func:`compute_market_ranking`; computed once per inputs and dataset version, then read
    from the shared aggregate cache (:mod:`tradewind.aggcache`) by every instance."""
    code = q.parse_product(product)
    if not isinstance(weights, Weights):
        weights = Weights.from_mapping(weights or {})
    chosen = weights
    version = links.data_version(conn)
    full = cached_aggregate(
        conn, "rank_markets",
        (code, origin, *_cache_inputs(chosen, as_of), bool(exclude_unknown_access)),
        lambda: compute_market_ranking(conn, code, origin, chosen, as_of, None,
                                       exclude_unknown_access, version=version),
        version)
    lang = current_language.get()
    rows = full.rows if limit is None else full.rows[:limit]
    return replace(full, rows=[replace(r, label=_country_label(r.key, lang)) for r in rows])


def compute_market_ranking(conn: Connection, product: str, origin: str,
                           weights: Weights | dict[str, float] | None = None,
                           as_of: date | int | None = None, limit: int | None = None,
                           exclude_unknown_access: bool = False,
                           version: tuple[Any, ...] | None = None) -> Ranking:
    """Ranks every market that imports ``product`` for sellers from ``origin``.

    A market without tariff data keeps an *unknown* access score: its overall score is the
    weighted mean of the components that are known.  ``exclude_unknown_access`` leaves such
    markets out (the ranks are renumbered) for users who only want markets with known duties.

    ``weights`` are the component weights (defaults 1 each); ``as_of`` picks the last year
    used (a year or a date; default: the latest loaded year).  Markets are those with
    imports of the product in any year of the five-year window, except the origin itself.
    ``version``: the data version already read by the caller (one query fewer).
    """
    code = q.parse_product(product)
    hs6 = int(code)
    if not isinstance(weights, Weights):
        weights = Weights.from_mapping(weights or {})
    years = q.window(conn, _as_of_year(as_of))
    year = years[-1]
    when = _as_of_date(year, as_of)
    codes = q.economy_codes(conn)
    ids = {v: k for k, v in codes.items()}
    oid = ids.get(origin)

    imports: dict[str, dict[int, float]] = {}
    unit_values: dict[str, float] = {}
    for r in conn.execute(select(flow_imports.c.importer, flow_imports.c.year,
                                 flow_imports.c.value_usd, flow_imports.c.quantity)
                          .where(flow_imports.c.hs6 == hs6, flow_imports.c.year.in_(years))):
        iso3 = codes.get(int(r.importer))
        if iso3 and iso3 != origin:
            imports.setdefault(iso3, {})[int(r.year)] = float(r.value_usd)
            if int(r.year) == year and r.quantity:
                unit_values[iso3] = float(r.value_usd) / float(r.quantity)
    if not imports:
        raise NotFound(N_("no market imported %(given)s in %(years)s–%(year)s in the loaded "
                          "data"), given=code, years=years[0], year=year)

    # The product's flows in the last year, read once: the origin's sales to each market
    # and each market's suppliers (largest first, as :func:`q.top_suppliers` orders them).
    actual: dict[str, float] = {}
    supplied: dict[int, list[tuple[str, int]]] = {}
    for row in flow_rows(conn, years=[year], hs6=[hs6], quantities=False):
        if oid is not None and row.exporter == oid:
            iso3 = codes.get(int(row.importer))
            if iso3:
                actual[iso3] = float(row.value_usd)
        seller = codes.get(int(row.exporter))
        if seller is not None:
            supplied.setdefault(int(row.importer), []).append((seller, int(row.value_usd)))

    world = {int(r.year): float(r.value_usd) for r in conn.execute(
        select(flow_world.c.year, flow_world.c.value_usd).where(
            flow_world.c.hs6 == hs6, flow_world.c.year.in_(years)))}
    supply = _supply(conn, hs6, oid, years, world)

    version = version or links.data_version(conn)
    gdp: dict[str, float] = links.cached(conn, ("growth", q.GDP, year),
                                         lambda: _growth(conn, q.GDP, years), version)
    pop: dict[str, float] = links.cached(conn, ("growth", q.POPULATION, year),
                                         lambda: _growth(conn, q.POPULATION, years), version)
    pairs: dict[str, dict[str, Any]] = links.cached(
        conn, ("pairs", origin), lambda: q.pairs_from(conn, origin), version)
    partners: set[str] | None = links.cached(
        conn, ("partners", origin, when), lambda: links.agreement_partners(conn, origin, when),
        version)
    markets = sorted(imports)

    def suppliers_of(market: str) -> list[tuple[str, float]]:
        mid = q.economy_id(conn, market)
        found = sorted(supplied.get(mid, []) if mid is not None else [],
                       key=lambda s: (-s[1], s[0]))
        return [(iso3, float(value)) for iso3, value in found[:4]]

    duties = links.duties_for(conn, code, origin, markets, suppliers_of, when, unit_values,
                              version=version)

    inputs = []
    for m in markets:
        series = imports[m]
        pair = pairs.get(m)
        duty = duties.get(m)
        inputs.append(MarketInputs(
            market=m, imports=series.get(year, 0.0),
            import_growth=series_cagr(series, year, q.GROWTH_SPAN),
            gdp_growth=gdp.get(m), population_growth=pop.get(m),
            actual_exports=actual.get(m, 0.0),
            tariff_origin=None if duty is None else duty.origin,
            tariff_competitors=None if duty is None else duty.competitors,
            distance_km=None if pair is None else pair["distance_km"],
            contiguous=None if pair is None else pair["contiguous"],
            common_language=None if pair is None else pair["common_language"],
            agreement=None if partners is None else (m in partners)))
    rows = score_markets(supply, inputs, weights)
    for scored in rows:
        scored.components_as_dict()
    excluded = 0
    if exclude_unknown_access:
        kept = [r for r in rows if r.components["access"].score is not None]
        excluded = len(rows) - len(kept)
        for n, scored in enumerate(kept, start=1):
            scored.rank = n
        rows = kept
    lang = current_language.get()
    for scored in rows:
        scored.label = _country_label(scored.key, lang)
    notes = _notes(bool(duties), partners is not None, bool(pairs), bool(gdp or pop), supply)
    if excluded:
        notes.append("access-unknown-excluded")
    provenance = _provenance(conn, years, version)
    return Ranking(kind="markets", product=code, origin=origin, market=None, year=year,
                   years=years, weights=weights.as_dict(),
                   rows=rows if limit is None else rows[:limit], supply=supply,
                   access_known=bool(duties), agreements_known=partners is not None,
                   geography_known=bool(pairs), indicators_known=bool(gdp or pop),
                   provenance=provenance, notes=notes)


def _notes(access: bool, agreements: bool, geography: bool, indicators: bool,
           supply: SupplyInputs | None) -> list[str]:
    """Plain statements of what is unknown (untranslated keys; pages translate them)."""
    notes = []
    if not access:
        notes.append("access-unknown")
    if not agreements:
        notes.append("agreements-unknown")
    if not geography:
        notes.append("geography-unknown")
    if not indicators:
        notes.append("indicators-unknown")
    if supply is not None and supply.exports <= 0:
        notes.append("origin-no-exports")
    return notes


def rank_products(conn: Connection, market: str, origin: str,
                  weights: Weights | dict[str, float] | None = None,
                  as_of: date | int | None = None, limit: int | None = 50) -> Ranking:
    """The reverse question (:func:`compute_product_ranking`), through the shared aggregate
    cache like :func:`rank_markets`."""
    if not isinstance(weights, Weights):
        weights = Weights.from_mapping(weights or {})
    chosen = weights
    full = cached_aggregate(
        conn, "rank_products", (market, origin, *_cache_inputs(chosen, as_of), limit),
        lambda: compute_product_ranking(conn, market, origin, chosen, as_of, limit))
    return replace(full, rows=[replace(r) for r in full.rows])


def compute_product_ranking(conn: Connection, market: str, origin: str,
                            weights: Weights | dict[str, float] | None = None,
                            as_of: date | int | None = None, limit: int | None = 50) -> Ranking:
    """"Which products could ``origin`` sell to ``market``?"

    Candidates are the products the origin exported (to anyone) and the market imported (from
    anyone) in the last year — at most :data:`MAX_PRODUCTS`, the largest world exports of the
    origin first.  Components are normalised across products; ease is the market's own.
    """
    if market == origin:
        raise InvalidInput(N_("the market and the origin must differ"))
    if not isinstance(weights, Weights):
        weights = Weights.from_mapping(weights or {})
    years = q.window(conn, _as_of_year(as_of))
    year = years[-1]
    when = _as_of_date(year, as_of)
    ids = q.economy_ids(conn)
    oid, mid = ids.get(origin), ids.get(market)
    if oid is None:
        raise NotFound(N_("%(origin)s has no exports in the loaded flows"), origin=origin)
    if mid is None:
        raise NotFound(N_("%(market)s has no imports in the loaded flows"), market=market)

    # Last year first (two index range scans), then the window only for the candidates, by
    # primary key.  Candidate lists are integers rendered inline: a bound parameter per code
    # costs more to compile than the query takes to run.
    last_exports = {int(k): float(v) for k, v in conn.execute(
        text("SELECT hs6, value_usd FROM flow_exports WHERE exporter = :o AND year = :y"),
        {"o": oid, "y": year})}
    last_imports = {int(k) for k, v in conn.execute(
        text("SELECT hs6, value_usd FROM flow_imports WHERE importer = :m AND year = :y"),
        {"m": mid, "y": year}) if v and v > 0}
    candidates = sorted((k for k, v in last_exports.items() if v > 0 and k in last_imports),
                        key=lambda k: -last_exports[k])[:MAX_PRODUCTS]
    if not candidates:
        raise NotFound(N_("%(origin)s exported nothing in %(year)s that %(market)s imported"),
                       origin=origin, year=year, market=market)
    codes = ",".join(str(int(k)) for k in sorted(candidates))
    span = ",".join(str(int(y)) for y in years)
    exports: dict[int, dict[int, float]] = {}
    for k, y, v in conn.execute(text(
            f"SELECT hs6, year, value_usd FROM flow_exports WHERE hs6 IN ({codes}) "
            f"AND exporter = :o AND year IN ({span})"), {"o": oid}):
        exports.setdefault(int(k), {})[int(y)] = float(v)
    imports: dict[int, dict[int, float]] = {}
    for k, y, v in conn.execute(text(
            f"SELECT hs6, year, value_usd FROM flow_imports WHERE hs6 IN ({codes}) "
            f"AND importer = :m AND year IN ({span})"), {"m": mid}):
        imports.setdefault(int(k), {})[int(y)] = float(v)
    world = {int(k): float(v) for k, v in conn.execute(text(
        f"SELECT hs6, value_usd FROM flow_world WHERE hs6 IN ({codes}) AND year = :y"),
        {"y": year})}
    actual = {r.hs6: float(r.value_usd) for r in flow_rows(
        conn, years=[year], hs6=sorted(candidates), importer=mid, exporter=oid,
        quantities=False)}
    origin_total, _ = q.economy_total(conn, origin, year)
    world_total = q.world_total(conn, year)
    gdp = links.cached(conn, ("growth", q.GDP, year),
                       lambda: _growth(conn, q.GDP, years)).get(market)
    pop = links.cached(conn, ("growth", q.POPULATION, year),
                       lambda: _growth(conn, q.POPULATION, years)).get(market)
    pair = q.pairs_from(conn, origin).get(market)
    partners: set[str] | None = links.cached(
        conn, ("partners", origin, when), lambda: links.agreement_partners(conn, origin, when))

    items = []
    for k in candidates:
        last = exports[k].get(year, 0.0)
        wk = world.get(k, 0.0)
        supply = SupplyInputs(exports=last, rca=rca(last, origin_total, wk, world_total),
                              growth=series_cagr(exports[k], year, q.GROWTH_SPAN),
                              world_share=(last / wk) if wk else 0.0)
        series = imports[k]
        items.append(ProductInputs(product=q.product_code(k), supply=supply, market=MarketInputs(
            market=market, imports=series.get(year, 0.0),
            import_growth=series_cagr(series, year, q.GROWTH_SPAN),
            gdp_growth=gdp, population_growth=pop, actual_exports=actual.get(k, 0.0),
            distance_km=None if pair is None else pair["distance_km"],
            contiguous=None if pair is None else pair["contiguous"],
            common_language=None if pair is None else pair["common_language"],
            agreement=None if partners is None else market in partners)))
    rows = score_products(items, weights)
    for scored in rows:
        scored.components_as_dict()
    from tradewind.nomenclature.queries import descriptions

    shown = rows if limit is None else rows[:limit]
    labels = descriptions(conn, [r.key for r in shown], "HS2022")
    for scored in shown:
        scored.label = labels.get(scored.key, "")
    provenance = _provenance(conn, years)
    return Ranking(kind="products", product=None, origin=origin, market=market, year=year,
                   years=years, weights=weights.as_dict(), rows=shown, supply=None,
                   access_known=False, agreements_known=partners is not None,
                   geography_known=pair is not None, indicators_known=gdp is not None
                   or pop is not None, provenance=provenance,
                   notes=["access-not-used", *_notes(True, partners is not None, pair is not None,
                                                     gdp is not None or pop is not None, None)])

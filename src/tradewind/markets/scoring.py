"""Export-potential scoring on plain Python data (no database): the maths of the market finder.

Every market (or product) gets four components, each on a 0–100 scale with the raw inputs
kept next to it, and an overall score that is the weighted mean of the components that are
*known*.  A component without data (typically market access before tariffs are imported) is
reported as unknown and left out of the mean — it is never guessed.  The formulas are
documented in ``docs/market-finder.md``; the tests recompute them by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tradewind.errors import ConflictingInput, InvalidInput
from tradewind.i18n import lazy_noop as N_

COMPONENTS: tuple[str, ...] = ("supply", "demand", "access", "ease")
DEFAULT_WEIGHTS: dict[str, float] = {"supply": 1.0, "demand": 1.0, "access": 1.0, "ease": 1.0}
GROWTH_CLAMP = 0.5  # growth rates are clamped to ±50 % a year: one odd year must not dominate
PROJECTION_YEARS = 3  # demand is projected this many years ahead of the last observed year
EASE_PARTS = {"distance": 0.55, "contiguity": 0.15, "language": 0.15, "agreement": 0.15}
EASE_FACTOR_BOUNDS = (0.25, 4.0)


@dataclass(frozen=True)
class Weights:
    """User-chosen component weights (any non-negative numbers; they are normalised)."""

    supply: float = 1.0
    demand: float = 1.0
    access: float = 1.0
    ease: float = 1.0

    def __post_init__(self) -> None:
        for name in COMPONENTS:
            value = getattr(self, name)
            if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
                raise InvalidInput(N_("weight %(name)r must be a number"), name=name,
                                   field=f"w_{name}")
            if value < 0 or value > 100:
                raise InvalidInput(N_("weight %(name)r must be between 0 and 100, not %(value)s"),
                                   name=name, value=value, field=f"w_{name}")
        if sum(getattr(self, n) for n in COMPONENTS) <= 0:
            raise ConflictingInput(N_("at least one weight must be above zero"), field="weights")

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in COMPONENTS}

    @classmethod
    def from_mapping(cls, values: Mapping[str, float | None]) -> Weights:
        clean = {k: float(v) for k, v in values.items() if k in COMPONENTS and v is not None}
        return cls(**clean)


def cagr(first: float | None, last: float | None, years: int) -> float | None:
    """Compound annual growth rate between two positive values ``years`` apart, else None."""
    if first is None or last is None or years <= 0 or first <= 0 or last <= 0:
        return None
    return float((last / first) ** (1.0 / years) - 1.0)


def series_cagr(series: Mapping[int, float], last_year: int, span: int = 5) -> float | None:
    """CAGR over the longest window up to ``span`` years ending at the latest year ≤ last_year.

    Uses the earliest year with a positive value inside the window so that a market that
    started importing two years ago still gets a (shorter) growth rate.
    """
    years = sorted(y for y, v in series.items() if y <= last_year and v and v > 0)
    if len(years) < 2:
        return None
    end = years[-1]
    starts = [y for y in years if end - span <= y < end]
    if not starts:
        return None
    start = starts[0]
    return cagr(series[start], series[end], end - start)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def rca(origin_product: float, origin_total: float, world_product: float,
        world_total: float) -> float | None:
    """Balassa revealed comparative advantage: (X_ik / X_i) / (X_wk / X_w); None if undefined."""
    if origin_total <= 0 or world_product <= 0 or world_total <= 0:
        return None
    return float((origin_product / origin_total) / (world_product / world_total))


def minmax_scores(values: Sequence[float | None]) -> list[float | None]:
    """Min–max rescaling to 0–100; None stays None; all-equal known values score 50."""
    known = [v for v in values if v is not None]
    if not known:
        return [None for _ in values]
    low, high = min(known), max(known)
    if high - low <= 1e-12:
        return [None if v is None else 50.0 for v in values]
    return [None if v is None else 100.0 * (v - low) / (high - low) for v in values]


@dataclass(frozen=True)
class SupplyInputs:
    """The origin's side: its exports of the product and its comparative advantage."""

    exports: float  # origin's exports of the product to the world, last year (USD)
    rca: float | None  # Balassa RCA of the origin in the product
    growth: float | None  # CAGR of the origin's exports of the product
    world_share: float  # origin's share of world exports of the product (0–1)


@dataclass(frozen=True)
class MarketInputs:
    """Everything known about one market for (product, origin); None means "no data"."""

    market: str  # ISO3
    imports: float  # market's imports of the product, last year (USD)
    import_growth: float | None  # CAGR of those imports
    gdp_growth: float | None = None  # CAGR of the market's GDP (current USD)
    population_growth: float | None = None  # CAGR of its population
    actual_exports: float = 0.0  # origin's exports of the product to this market, last year
    tariff_origin: float | None = None  # ad valorem duty (%) the origin faces
    tariff_competitors: float | None = None  # import-weighted average duty (%) competitors face
    distance_km: float | None = None
    contiguous: bool | None = None
    common_language: bool | None = None
    agreement: bool | None = None  # a trade agreement in force between origin and market


@dataclass
class Component:
    """One component of a score: 0–100 (or None when unknown) and the raw inputs behind it."""

    score: float | None
    raw: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def known(self) -> bool:
        return self.score is not None

    def as_dict(self) -> dict[str, Any]:
        return {"score": None if self.score is None else round(self.score, 1),
                "known": self.known, "raw": self.raw, "note": self.note}


@dataclass
class Scored:
    """A ranked market (or product): components, overall score, potential and untapped value."""

    key: str
    components: dict[str, Component]
    score: float
    projected_demand: float
    potential: float
    actual: float
    untapped: float
    rank: int = 0
    label: str = ""
    #: The components as data, kept once computed (cached rankings are served many times).
    components_data: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def components_as_dict(self) -> dict[str, Any]:
        if self.components_data is None:
            self.components_data = {k: c.as_dict() for k, c in self.components.items()}
        return self.components_data

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": self.label, "rank": self.rank,
            "score": round(self.score, 1),
            "components": self.components_as_dict(),
            "projected_demand_usd": round(self.projected_demand, 0),
            "potential_usd": round(self.potential, 0),
            "actual_usd": round(self.actual, 0),
            "untapped_usd": round(self.untapped, 0),
        }


def projected_growth(m: MarketInputs) -> tuple[float, str]:
    """Growth rate used to project demand, and which signals it used (documented formula).

    g = mean of the available signals among: the product's import CAGR, and the market's
    GDP CAGR (which already contains population growth; population growth alone is used
    when GDP is missing).  Each signal is clamped to ±50 %.  No signal → 0 %.
    """
    signals: list[float] = []
    used: list[str] = []
    if m.import_growth is not None:
        signals.append(clamp(m.import_growth, -GROWTH_CLAMP, GROWTH_CLAMP))
        used.append("imports")
    if m.gdp_growth is not None:
        signals.append(clamp(m.gdp_growth, -GROWTH_CLAMP, GROWTH_CLAMP))
        used.append("gdp")
    elif m.population_growth is not None:
        signals.append(clamp(m.population_growth, -GROWTH_CLAMP, GROWTH_CLAMP))
        used.append("population")
    if not signals:
        return 0.0, "none"
    return sum(signals) / len(signals), "+".join(used)


def supply_score(s: SupplyInputs) -> Component:
    """Absolute 0–100 (not relative to other markets): 75 % RCA/(1+RCA), 25 % export growth."""
    raw = {"rca": None if s.rca is None else round(s.rca, 3),
           "export_growth": None if s.growth is None else round(s.growth, 4),
           "exports_usd": round(s.exports, 0), "world_share": round(s.world_share, 6)}
    if s.rca is None and s.growth is None:
        return Component(None, raw, "the origin has no recorded exports data")
    parts: list[tuple[float, float]] = []
    if s.rca is not None:
        parts.append((0.75, s.rca / (1.0 + s.rca)))
    if s.growth is not None:
        parts.append((0.25, (clamp(s.growth, -GROWTH_CLAMP, GROWTH_CLAMP) + GROWTH_CLAMP)
                      / (2 * GROWTH_CLAMP)))
    total = sum(w for w, _ in parts)
    return Component(100.0 * sum(w * v for w, v in parts) / total, raw)


def ease_raw(m: MarketInputs, distance_score: float | None) -> tuple[float | None, dict[str, Any]]:
    """Weighted mix of distance (closer is better) and the three yes/no links.

    Parts without data are dropped and the remaining weights renormalised.
    """
    raw: dict[str, Any] = {"distance_km": None if m.distance_km is None else round(m.distance_km),
                           "contiguous": m.contiguous, "common_language": m.common_language,
                           "agreement": m.agreement}
    parts: list[tuple[float, float]] = []
    if distance_score is not None:
        parts.append((EASE_PARTS["distance"], distance_score))
    for key, value in (("contiguity", m.contiguous), ("language", m.common_language),
                       ("agreement", m.agreement)):
        if value is not None:
            parts.append((EASE_PARTS[key], 100.0 if value else 0.0))
    if not parts:
        return None, raw
    total = sum(w for w, _ in parts)
    return sum(w * v for w, v in parts) / total, raw


def access_ratio(m: MarketInputs) -> float | None:
    """(1 + t_competitors) / (1 + t_origin): above 1 means the origin pays less than rivals."""
    if m.tariff_origin is None or m.tariff_competitors is None:
        return None
    return (1.0 + m.tariff_competitors / 100.0) / (1.0 + m.tariff_origin / 100.0)


def ease_factor(m: MarketInputs, median_distance: float | None) -> float:
    """Multiplier on potential trade: distance decay (elasticity 0.5) and link bonuses."""
    factor = 1.0
    if m.distance_km and median_distance:
        factor *= math.sqrt(median_distance / max(m.distance_km, 1.0))
    if m.contiguous:
        factor *= 1.3
    if m.common_language:
        factor *= 1.2
    if m.agreement:
        factor *= 1.2
    return clamp(factor, *EASE_FACTOR_BOUNDS)


def score_markets(supply: SupplyInputs, markets: Sequence[MarketInputs],
                  weights: Weights | None = None) -> list[Scored]:
    """Scores and ranks markets for one (product, origin); best first.

    * demand  = min–max over markets of log10(1 + projected imports), where projected
      imports = imports × (1 + g)^3 and g = :func:`projected_growth`;
    * supply  = :func:`supply_score` (the same for every market of one product);
    * access  = min–max over markets of the ratio (1 + t_comp)/(1 + t_origin), unknown
      when either duty is missing;
    * ease    = :func:`ease_raw` with distance scored by min–max of −log(distance);
    * score   = Σ wᶜ·scoreᶜ / Σ wᶜ over the known components;
    * potential = projected imports × origin's world share × access ratio (1 when unknown)
      × :func:`ease_factor`; untapped = max(potential − actual exports, 0).
    """
    weights = weights or Weights()
    w = weights.as_dict()
    supply_c = supply_score(supply)
    growth = [projected_growth(m) for m in markets]
    projected = [m.imports * (1.0 + g) ** PROJECTION_YEARS for m, (g, _) in zip(markets, growth, strict=True)]
    demand_scores = minmax_scores([math.log10(1.0 + p) for p in projected])
    ratios = [access_ratio(m) for m in markets]
    access_scores = minmax_scores(ratios)
    distance_scores = minmax_scores(
        [-math.log(max(m.distance_km, 1.0)) if m.distance_km else None for m in markets])
    distances = sorted(m.distance_km for m in markets if m.distance_km)
    median_distance = distances[len(distances) // 2] if distances else None

    results: list[Scored] = []
    for i, m in enumerate(markets):
        g, used = growth[i]
        demand_c = Component(demand_scores[i], {
            "imports_usd": round(m.imports, 0),
            "import_growth": None if m.import_growth is None else round(m.import_growth, 4),
            "gdp_growth": None if m.gdp_growth is None else round(m.gdp_growth, 4),
            "population_growth": (None if m.population_growth is None
                                  else round(m.population_growth, 4)),
            "projected_growth": round(g, 4), "growth_signals": used,
            "projected_imports_usd": round(projected[i], 0)})
        access_c = Component(access_scores[i], {
            "tariff_origin_pct": m.tariff_origin, "tariff_competitors_pct": m.tariff_competitors,
            "ratio": None if ratios[i] is None else round(ratios[i] or 0.0, 4)},
            "" if ratios[i] is not None else "unknown: no tariff data for this market")
        ease_value, ease_inputs = ease_raw(m, distance_scores[i])
        ease_c = Component(ease_value, ease_inputs,
                           "" if ease_value is not None else "unknown: no geography data")
        comps = {"supply": supply_c, "demand": demand_c, "access": access_c, "ease": ease_c}
        total_w = sum(w[k] for k, c in comps.items() if c.score is not None)
        overall = (sum(w[k] * (c.score or 0.0) for k, c in comps.items() if c.score is not None)
                   / total_w) if total_w > 0 else 0.0
        potential = (projected[i] * supply.world_share * (ratios[i] or 1.0)
                     * ease_factor(m, median_distance))
        results.append(Scored(key=m.market, components=comps, score=overall,
                              projected_demand=projected[i], potential=potential,
                              actual=m.actual_exports,
                              untapped=max(potential - m.actual_exports, 0.0)))
    return rank(results)


def rank(results: list[Scored]) -> list[Scored]:
    """Best score first; ties broken by larger untapped potential, then by key (stable)."""
    ordered = sorted(results, key=lambda r: (-round(r.score, 9), -r.untapped, r.key))
    for i, r in enumerate(ordered):
        r.rank = i + 1
    return ordered


@dataclass(frozen=True)
class ProductInputs:
    """One candidate product for the reverse question (market fixed, origin fixed)."""

    product: str
    supply: SupplyInputs
    market: MarketInputs  # the fixed market's figures for this product


def score_products(products: Sequence[ProductInputs], weights: Weights | None = None,
                   ) -> list[Scored]:
    """Ranks products an origin could sell to one market: same components, normalised across
    products instead of markets (supply now varies; ease is the same for every product)."""
    weights = weights or Weights()
    w = weights.as_dict()
    growth = [projected_growth(p.market) for p in products]
    projected = [p.market.imports * (1.0 + g) ** PROJECTION_YEARS
                 for p, (g, _) in zip(products, growth, strict=True)]
    demand_scores = minmax_scores([math.log10(1.0 + v) for v in projected])
    ratios = [access_ratio(p.market) for p in products]
    access_scores = minmax_scores(ratios)
    results: list[Scored] = []
    for i, p in enumerate(products):
        m = p.market
        g, used = growth[i]
        supply_c = supply_score(p.supply)
        demand_c = Component(demand_scores[i], {
            "imports_usd": round(m.imports, 0),
            "import_growth": None if m.import_growth is None else round(m.import_growth, 4),
            "projected_growth": round(g, 4), "growth_signals": used,
            "projected_imports_usd": round(projected[i], 0)})
        access_c = Component(access_scores[i], {
            "tariff_origin_pct": m.tariff_origin, "tariff_competitors_pct": m.tariff_competitors,
            "ratio": None if ratios[i] is None else round(ratios[i] or 0.0, 4)},
            "" if ratios[i] is not None else "unknown: no tariff data for this product")
        # Ease does not depend on the product: one market, one origin.  A fixed distance
        # cannot be min–max scored, so it is dropped and only the yes/no links count.
        ease_value, ease_inputs = ease_raw(m, None)
        ease_c = Component(ease_value, ease_inputs,
                           "the same for every product of this market")
        comps = {"supply": supply_c, "demand": demand_c, "access": access_c, "ease": ease_c}
        total_w = sum(w[k] for k, c in comps.items() if c.score is not None)
        overall = (sum(w[k] * (c.score or 0.0) for k, c in comps.items() if c.score is not None)
                   / total_w) if total_w > 0 else 0.0
        potential = projected[i] * p.supply.world_share * (ratios[i] or 1.0)
        results.append(Scored(key=p.product, components=comps, score=overall,
                              projected_demand=projected[i], potential=potential,
                              actual=m.actual_exports,
                              untapped=max(potential - m.actual_exports, 0.0)))
    return rank(results)

"""Named statistics queries over the flow tables (pages, API, CLI and the market finder call these).

Products are HS 2022 subheadings given as six-digit strings ("090111"); flows store them as
integers.  Economies are ISO3 codes outside and ISO-numeric SMALLINT ids inside.  Every
query reads the pre-aggregated tables (``flow_imports``, ``flow_exports``, ``flow_world``,
``flow_economy_totals``) or one product's block of bilateral flows per year
(:mod:`tradewind.flows.blocks`, one primary-key lookup each), so each is a handful of lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, func, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, dataset_by_id
from tradewind.errors import InvalidInput, NotFound, UnknownValue
from tradewind.flows.blocks import flow_rows
from tradewind.flows.economies import all_economies
from tradewind.flows.economies import economy_id as _economy_id
from tradewind.flows.models import (
    country_pairs,
    flow_economy_totals,
    flow_exports,
    flow_imports,
    flow_world,
    flow_years,
    indicators,
)
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.codes import normalize_code

GDP = "NY.GDP.MKTP.CD"
POPULATION = "SP.POP.TOTL"
GROWTH_SPAN = 5  # "5-year growth": CAGR over the last five years (six data points)


def parse_product(text: str | int) -> str:
    """A six-digit HS subheading from what a person typed ("0901.11" → "090111")."""
    code = normalize_code(str(text))
    if len(code) != 6:
        raise InvalidInput(N_("trade statistics are by six-digit subheading; %(text)r has "
                              "%(count)s digits — pick a subheading (e.g. find it at /hs/search)"),
                           text=text, count=len(code))
    return code


def product_id(code: str) -> int:
    return int(parse_product(code))


def product_code(hs6: int) -> str:
    return f"{int(hs6):06d}"


def available_years(conn: Connection) -> list[int]:
    """Years of flows loaded, ascending."""
    return [int(y) for y in conn.execute(select(flow_years.c.year).order_by(flow_years.c.year))
            .scalars()]


def require_years(conn: Connection) -> list[int]:
    years = available_years(conn)
    if not years:
        raise NotFound(N_("no trade flows are loaded yet; import BACI or Comtrade files "
                          "(`tradewind import baci …`) or run `tradewind init` for the SAMPLE"))
    return years


def last_year(conn: Connection, as_of: int | None = None,
              years: list[int] | None = None) -> int:
    """The latest loaded year ≤ ``as_of`` (the latest of all when ``as_of`` is None)."""
    years = years if years else require_years(conn)
    if as_of is None:
        return years[-1]
    usable = [y for y in years if y <= as_of]
    if not usable:
        raise UnknownValue(N_("no flows loaded for %(as_of)s or before; loaded years: "
                              "%(first)s–%(last)s"),
                           as_of=as_of, first=years[0], last=years[-1])
    return usable[-1]


def window(conn: Connection, as_of: int | None = None, span: int = GROWTH_SPAN) -> list[int]:
    """Loaded years in the growth window ending at :func:`last_year` (at most span+1 years)."""
    years = require_years(conn)
    end = last_year(conn, as_of, years)
    return [y for y in years if end - span <= y <= end]


@lru_cache(maxsize=1)
def _id_maps() -> tuple[dict[str, int], dict[int, str]]:
    rows = all_economies()
    return ({iso3: number for number, iso3, _name in rows},
            {number: iso3 for number, iso3, _name in rows})


def economy_ids(conn: Connection) -> dict[str, int]:
    """ISO3 → economy id (the ``economies`` table is filled from this same fixed mapping)."""
    return dict(_id_maps()[0])


def economy_codes(conn: Connection) -> dict[int, str]:
    """Economy id → ISO3."""
    return _id_maps()[1]


def economy_id(conn: Connection, iso3: str) -> int | None:
    """The flows' SMALLINT id of an ISO3 economy, None when it has none."""
    try:
        return _economy_id(iso3)
    except KeyError:
        return None


def flow_provenance(conn: Connection, years: Iterable[int] | None = None) -> list[Provenance]:
    """Datasets behind the given years of flows (all loaded years when None)."""
    ids = select(flow_years.c.dataset_id)
    if years is not None:
        ids = ids.where(flow_years.c.year.in_(list(years)))
    rows = conn.execute(select(datasets).where(datasets.c.id.in_(ids)).order_by(datasets.c.id))
    return [_provenance(r) for r in rows]


def _provenance(row: Any) -> Provenance:
    """A provenance row read in bulk (one query for every dataset behind a page)."""
    imported_at = row.imported_at
    if imported_at.tzinfo is None:
        imported_at = imported_at.replace(tzinfo=UTC)
    return Provenance(id=row.id, kind=row.kind, name=row.name, source=row.source,
                      licence=row.licence, edition=row.edition, imported_at=imported_at,
                      is_sample=bool(row.is_sample), row_count=row.row_count, notes=row.notes)


def indicator_provenance(conn: Connection) -> list[Provenance]:
    ids = set(conn.execute(select(indicators.c.dataset_id).distinct()).scalars())
    ids |= set(conn.execute(select(country_pairs.c.dataset_id).distinct()).scalars())
    found = [dataset_by_id(conn, int(i)) for i in sorted(ids)]
    return [p for p in found if p is not None]


@dataclass(frozen=True)
class YearFigure:
    """One year of one flow aggregate: value (USD), quantity (kg) and unit value (USD/kg)."""

    year: int
    value_usd: float
    quantity_kg: float | None

    @property
    def unit_value(self) -> float | None:
        if not self.quantity_kg:
            return None
        return self.value_usd / self.quantity_kg

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "value_usd": self.value_usd, "quantity_kg": self.quantity_kg,
                "unit_value_usd_per_kg": (None if self.unit_value is None
                                          else round(self.unit_value, 4))}


def _figures(rows: Iterable[Any]) -> list[YearFigure]:
    return [YearFigure(int(r.year), float(r.value_usd),
                       None if r.quantity is None else float(r.quantity)) for r in rows]


def _yearly(conn: Connection, table: Any, economy_column: Any, product: str, economy: str,
            years: Sequence[int] | None) -> list[YearFigure]:
    """Yearly totals of one product for one economy from an aggregate table."""
    eid = economy_id(conn, economy)
    if eid is None:
        return []
    query = (select(table.c.year, table.c.value_usd, table.c.quantity)
             .where(table.c.hs6 == product_id(product), economy_column == eid))
    if years is not None:
        query = query.where(table.c.year.in_(list(years)))
    return _figures(conn.execute(query.order_by(table.c.year)))


def imports_by_market(conn: Connection, product: str, market: str,
                      years: Sequence[int] | None = None) -> list[YearFigure]:
    """A market's imports of a product by year (all suppliers)."""
    return _yearly(conn, flow_imports, flow_imports.c.importer, product, market, years)


def exports_by_origin(conn: Connection, product: str, origin: str,
                      years: Sequence[int] | None = None) -> list[YearFigure]:
    """An origin's exports of a product to the world by year."""
    return _yearly(conn, flow_exports, flow_exports.c.exporter, product, origin, years)


def bilateral_by_year(conn: Connection, product: str, market: str, origin: str,
                      years: Sequence[int]) -> list[YearFigure]:
    """The origin's exports of the product to the market by year (primary-key lookups)."""
    mid, oid = economy_id(conn, market), economy_id(conn, origin)
    if mid is None or oid is None:
        return []
    rows = flow_rows(conn, years=list(years), hs6=[product_id(product)], importer=mid,
                     exporter=oid)
    return _figures(rows)


def world_demand(conn: Connection, product: str,
                 years: Sequence[int] | None = None) -> list[YearFigure]:
    """World trade (sum of all flows) of a product by year."""
    query = (select(flow_world.c.year, flow_world.c.value_usd, flow_world.c.quantity)
             .where(flow_world.c.hs6 == product_id(product)))
    if years is not None:
        query = query.where(flow_world.c.year.in_(list(years)))
    return _figures(conn.execute(query.order_by(flow_world.c.year)))


@dataclass(frozen=True)
class Partner:
    """A supplier (or a destination) of a product with its value and share of the total."""

    iso3: str
    value_usd: float
    quantity_kg: float | None
    share: float  # 0–1 of the total over all partners

    def as_dict(self) -> dict[str, Any]:
        return {"iso3": self.iso3, "value_usd": self.value_usd, "quantity_kg": self.quantity_kg,
                "share": round(self.share, 6)}


@dataclass(frozen=True)
class _PartnerRow:
    iso3: str
    value_usd: int
    quantity: int | None


def _partners(conn: Connection, product: str, economy: str, year: int, limit: int | None,
              *, economy_is_importer: bool) -> list[Partner]:
    """Partners of ``economy`` for one product and year, largest first, with shares.

    ``economy_is_importer`` picks the direction: its suppliers, or its destinations.
    """
    eid = economy_id(conn, economy)
    if eid is None:
        return []
    found = flow_rows(conn, years=[year], hs6=[product_id(product)],
                      importer=eid if economy_is_importer else None,
                      exporter=None if economy_is_importer else eid)
    codes = economy_codes(conn)
    rows = sorted(
        (_PartnerRow(codes[p], r.value_usd, r.quantity) for r in found
         if (p := r.exporter if economy_is_importer else r.importer) in codes),
        key=lambda r: (-r.value_usd, r.iso3))
    total = sum(float(r.value_usd) for r in rows)
    chosen = rows if limit is None else rows[:limit]
    return [Partner(r.iso3, float(r.value_usd), None if r.quantity is None else float(r.quantity),
                    float(r.value_usd) / total if total else 0.0) for r in chosen]


def top_suppliers(conn: Connection, product: str, market: str, year: int,
                  limit: int | None = 10) -> list[Partner]:
    """The market's suppliers of the product in a year, largest first, with shares."""
    return _partners(conn, product, market, year, limit, economy_is_importer=True)


def destinations(conn: Connection, product: str, origin: str, year: int,
                 limit: int | None = None) -> list[Partner]:
    """Where the origin sold the product in a year, largest first, with shares."""
    return _partners(conn, product, origin, year, limit, economy_is_importer=False)


def growth_rate(figures: Sequence[YearFigure], span: int = GROWTH_SPAN) -> float | None:
    """CAGR of value over the last ``span`` years of the series (shorter if it starts later)."""
    from tradewind.markets.scoring import series_cagr

    if not figures:
        return None
    return series_cagr({f.year: f.value_usd for f in figures}, figures[-1].year, span)


@dataclass(frozen=True)
class BasketItem:
    """One product of an economy's export or import basket."""

    product: str
    value_usd: float
    share: float  # of the economy's total exports (or imports) that year
    world_share: float  # the product's share of world trade that year
    rca: float | None  # Balassa RCA (exports only; None for imports)
    partners: int  # number of markets (exports) or suppliers (imports)
    description: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"product": self.product, "description": self.description,
                "value_usd": self.value_usd, "share": round(self.share, 6),
                "world_share": round(self.world_share, 8),
                "rca": None if self.rca is None else round(self.rca, 4),
                "partners": self.partners}


def world_total(conn: Connection, year: int) -> float:
    value = conn.execute(select(flow_years.c.value_usd).where(flow_years.c.year == year)).scalar()
    return float(value or 0)


def economy_total(conn: Connection, iso3: str, year: int) -> tuple[float, float]:
    """(exports, imports) of an economy over all products in a year."""
    eid = economy_id(conn, iso3)
    if eid is None:
        return 0.0, 0.0
    row = conn.execute(select(flow_economy_totals.c.exports_usd, flow_economy_totals.c.imports_usd)
                       .where(flow_economy_totals.c.economy == eid,
                              flow_economy_totals.c.year == year)).first()
    return (float(row.exports_usd), float(row.imports_usd)) if row else (0.0, 0.0)


def export_basket(conn: Connection, origin: str, year: int | None = None,
                  limit: int | None = 50, order: str = "value") -> list[BasketItem]:
    """An origin's exports by product with share and revealed comparative advantage.

    RCA_k = (X_origin,k / X_origin) / (X_world,k / X_world) (Balassa 1965).  ``order`` is
    "value" or "rca".
    """
    from tradewind.markets.scoring import rca as balassa

    year = last_year(conn, year)
    eid = economy_id(conn, origin)
    if eid is None:
        return []
    origin_total, _ = economy_total(conn, origin, year)
    world = world_total(conn, year)
    rows = conn.execute(
        select(flow_exports.c.hs6, flow_exports.c.value_usd, flow_exports.c.markets,
               flow_world.c.value_usd.label("world_value"))
        .join(flow_world, and_(flow_world.c.hs6 == flow_exports.c.hs6,
                               flow_world.c.year == flow_exports.c.year))
        .where(flow_exports.c.exporter == eid, flow_exports.c.year == year)).all()
    items = [BasketItem(product_code(r.hs6), float(r.value_usd),
                        float(r.value_usd) / origin_total if origin_total else 0.0,
                        float(r.world_value) / world if world else 0.0,
                        balassa(float(r.value_usd), origin_total, float(r.world_value), world),
                        int(r.markets)) for r in rows]
    if order == "rca":
        items.sort(key=lambda i: (-(i.rca or 0.0), -i.value_usd, i.product))
    else:
        items.sort(key=lambda i: (-i.value_usd, i.product))
    return _described(conn, items if limit is None else items[:limit])


def _described(conn: Connection, items: list[BasketItem]) -> list[BasketItem]:
    """Adds the HS 2022 descriptions (empty when the nomenclature is not loaded)."""
    from tradewind.nomenclature.queries import descriptions

    labels = descriptions(conn, [i.product for i in items], "HS2022")
    return [replace(i, description=labels.get(i.product, "")) for i in items]


def import_basket(conn: Connection, market: str, year: int | None = None,
                  limit: int | None = 50) -> list[BasketItem]:
    """A market's imports by product with their share of its total imports."""
    year = last_year(conn, year)
    eid = economy_id(conn, market)
    if eid is None:
        return []
    _, market_total = economy_total(conn, market, year)
    world = world_total(conn, year)
    rows = conn.execute(
        select(flow_imports.c.hs6, flow_imports.c.value_usd, flow_imports.c.suppliers,
               flow_world.c.value_usd.label("world_value"))
        .join(flow_world, and_(flow_world.c.hs6 == flow_imports.c.hs6,
                               flow_world.c.year == flow_imports.c.year))
        .where(flow_imports.c.importer == eid, flow_imports.c.year == year)
        .order_by(flow_imports.c.value_usd.desc(), flow_imports.c.hs6)
        .limit(limit)).all()
    return _described(conn, [BasketItem(product_code(r.hs6), float(r.value_usd),
                                        float(r.value_usd) / market_total if market_total
                                        else 0.0,
                                        float(r.world_value) / world if world else 0.0, None,
                                        int(r.suppliers)) for r in rows])


def indicator_series(conn: Connection, indicator: str, iso3s: Sequence[str] | None,
                     years: Sequence[int]) -> dict[str, dict[int, float]]:
    """``{iso3: {year: value}}`` of one World Bank indicator (None = every economy)."""
    query = (select(indicators.c.iso3, indicators.c.year, indicators.c.value)
             .where(indicators.c.indicator == indicator, indicators.c.year.in_(list(years))))
    if iso3s is not None:
        query = query.where(indicators.c.iso3.in_(list(iso3s)))
    out: dict[str, dict[int, float]] = {}
    for r in conn.execute(query):
        out.setdefault(r.iso3, {})[int(r.year)] = float(r.value)
    return out


def pairs_from(conn: Connection, origin: str) -> dict[str, dict[str, Any]]:
    """Geography from the origin to every destination (GeoDist), keyed by destination ISO3."""
    rows = conn.execute(select(country_pairs).where(country_pairs.c.origin == origin))
    return {r.destination: {"distance_km": float(r.distance_km), "contiguous": bool(r.contiguous),
                            "common_language": bool(r.common_official_language
                                                    or r.common_language)}
            for r in rows}


def count_flows(conn: Connection) -> int:
    """Number of bilateral flow rows loaded (used by the SAMPLE/empty checks)."""
    return int(conn.execute(select(func.coalesce(func.sum(flow_years.c.row_count), 0))).scalar()
               or 0)


@dataclass
class ProductMarket:
    """Everything the product-market statistics page shows."""

    product: str
    market: str
    origin: str | None
    year: int
    years: list[int]
    imports: list[YearFigure]
    import_growth: float | None
    suppliers: list[Partner]
    supplier_count: int
    origin_exports: list[YearFigure]
    origin_share: float | None
    origin_rank: int | None
    world: list[YearFigure]
    world_growth: float | None
    market_share_of_world: float | None
    provenance: list[Provenance] = field(default_factory=list)

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)

    @property
    def latest_imports(self) -> YearFigure | None:
        return next((f for f in reversed(self.imports) if f.year == self.year), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product, "market": self.market, "origin": self.origin,
            "year": self.year, "years": self.years,
            "imports": [f.as_dict() for f in self.imports],
            "import_growth_5y": self.import_growth,
            "top_suppliers": [s.as_dict() for s in self.suppliers],
            "supplier_count": self.supplier_count,
            "origin_exports": [f.as_dict() for f in self.origin_exports],
            "origin_share": self.origin_share, "origin_rank": self.origin_rank,
            "world_demand": [f.as_dict() for f in self.world],
            "world_growth_5y": self.world_growth,
            "market_share_of_world": self.market_share_of_world,
            "sample": self.is_sample,
            "provenance": [p.as_dict() for p in self.provenance],
        }


def product_market(conn: Connection, product: str, market: str, origin: str | None = None,
                   as_of: int | None = None, top: int = 10) -> ProductMarket:
    """The statistics of one product in one market (:func:`compute_product_market`), computed
    once per inputs and dataset version and shared by every instance (:mod:`tradewind.aggcache`)."""
    from tradewind.aggcache import cached_aggregate

    code = parse_product(product)
    return cached_aggregate(  # type: ignore[no-any-return]
        conn, "product_market", (code, market, origin or None, as_of, int(top)),
        lambda: compute_product_market(conn, code, market, origin, as_of, top))


def compute_product_market(conn: Connection, product: str, market: str,
                           origin: str | None = None, as_of: int | None = None,
                           top: int = 10) -> ProductMarket:
    """Imports by year, 5-year growth, top suppliers and shares, the origin's exports there and
    its share and rank, and world demand — one call for the whole statistics page."""
    code = parse_product(product)
    years = window(conn, as_of)
    year = years[-1]
    imports = imports_by_market(conn, code, market, years)
    all_suppliers = top_suppliers(conn, code, market, year, limit=None)
    origin_exports: list[YearFigure] = []
    origin_share = None
    origin_rank = None
    if origin:
        origin_exports = bilateral_by_year(conn, code, market, origin, years)
        for i, s in enumerate(all_suppliers):
            if s.iso3 == origin:
                origin_share, origin_rank = s.share, i + 1
                break
        else:
            origin_share = 0.0 if all_suppliers else None
    world = world_demand(conn, code, years)
    world_latest = next((f.value_usd for f in world if f.year == year), 0.0)
    latest = next((f.value_usd for f in imports if f.year == year), 0.0)
    return ProductMarket(
        product=code, market=market, origin=origin, year=year, years=years, imports=imports,
        import_growth=growth_rate(imports), suppliers=all_suppliers[:top],
        supplier_count=len(all_suppliers), origin_exports=origin_exports,
        origin_share=origin_share, origin_rank=origin_rank, world=world,
        world_growth=growth_rate(world),
        market_share_of_world=(latest / world_latest) if world_latest else None,
        provenance=flow_provenance(conn, years))


def basket(conn: Connection, economy: str, year: int | None = None, limit: int | None = 50,
           exports: bool = True, order: str = "value") -> dict[str, Any]:
    """An economy's export (with RCA) or import basket with totals and provenance, as data."""
    chosen = last_year(conn, year)
    items = (export_basket(conn, economy, chosen, limit=limit, order=order) if exports
             else import_basket(conn, economy, chosen, limit=limit))
    total_exports, total_imports = economy_total(conn, economy, chosen)
    provenance = flow_provenance(conn, [chosen])
    return {
        "economy": economy, "year": chosen, "flow": "exports" if exports else "imports",
        "total_usd": total_exports if exports else total_imports,
        "products": [i.as_dict() for i in items],
        "sample": any(p.is_sample for p in provenance),
        "provenance": [p.as_dict() for p in provenance],
    }

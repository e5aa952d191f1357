"""What the web pages, the API and the CLI share: input parsing, plain-language notes, tables.

Handlers parse user input here (never SQL in handlers) and turn results into rows for
tables and downloads, so the page, the CSV, the XLSX and the CLI show the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tradewind.countries.reference import resolve_country
from tradewind.errors import InvalidInput
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.markets.finder import Ranking
from tradewind.markets.scoring import COMPONENTS, Weights
from tradewind.stats.queries import BasketItem, ProductMarket, parse_product

NOTES: dict[str, str] = {
    "access-unknown-excluded": N_("Markets without tariff data were left out, as you asked."),
    "access-unknown": N_("Market access is unknown: no tariff data are loaded for these "
                         "markets, so it is left out of the score (it is never guessed)."),
    "access-not-used": N_("Market access is not used in this list yet (it needs one tariff "
                          "look-up per product): it is shown as unknown and left out of the "
                          "score."),
    "agreements-unknown": N_("Trade agreements are not loaded, so ease of trade uses "
                             "distance, contiguity and common language only."),
    "geography-unknown": N_("Distances and common languages are not loaded, so ease of "
                            "trade is unknown and left out of the score."),
    "indicators-unknown": N_("GDP and population are not loaded, so demand is projected "
                             "from import growth alone."),
    "origin-no-exports": N_("The origin had no recorded exports of this product in the last "
                            "year: supply and the untapped potential are therefore low."),
}
COMPONENT_LABELS: dict[str, str] = {
    "supply": N_("Supply"), "demand": N_("Demand"), "access": N_("Market access"),
    "ease": N_("Ease of trade"),
}
COMPONENT_HELP: dict[str, str] = {
    "supply": N_("The origin's revealed comparative advantage in the product and the growth "
                 "of its exports (the same for every market)."),
    "demand": N_("The market's imports of the product, projected three years ahead with its "
                 "import growth and GDP growth."),
    "access": N_("The duty the origin pays compared with what the main competitors pay."),
    "ease": N_("Distance (closer is better), a shared border, a common language and a trade "
               "agreement in force."),
}
MAX_TEXT = 200


def note_texts(keys: Sequence[str]) -> list[str]:
    """Translated sentences for a ranking's notes."""
    return [_(NOTES[k]) for k in keys if k in NOTES]


def parse_origin(text: str | None, what: str = "origin") -> str:
    """ISO3 from a code or an English name; a clear 422 when missing or unknown."""
    if not text or not text.strip():
        raise InvalidInput(N_("choose the %(what)s country (an ISO code such as KEN, or a name)"),
                           what=what)
    return resolve_country(text.strip()[:MAX_TEXT])


def parse_weights(supply: float | None = None, demand: float | None = None,
                  access: float | None = None, ease: float | None = None) -> Weights:
    """Weights from form or API values; missing ones take the default (1)."""
    return Weights.from_mapping({"supply": supply, "demand": demand, "access": access,
                                 "ease": ease})


def parse_year(text: str | int | None) -> int | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        year = int(str(text).strip())
    except ValueError:
        raise InvalidInput(N_("the year must be a number such as 2023, not %(text)r"),
                           text=text) from None
    if not 1900 <= year <= 2100:
        raise InvalidInput(N_("the year %(year)s is out of range"), year=year)
    return year


@dataclass(frozen=True)
class ProductChoice:
    code: str
    description: str


def require_product(conn: Connection, text: str | None) -> ProductChoice:
    """A six-digit HS 2022 subheading that exists (InvalidCode names the nearest codes)."""
    from tradewind.errors import NotFound
    from tradewind.nomenclature.queries import require_code

    if not text or not text.strip():
        raise InvalidInput(N_("enter a six-digit HS code such as 090111 (find it at /hs/search)"))
    code = parse_product(text.strip()[:MAX_TEXT])
    try:
        info = require_code(conn, code)
    except NotFound:  # the nomenclature is not loaded: flows can still be shown
        return ProductChoice(code, "")
    return ProductChoice(code, info.description)


def ranking_table(ranking: Ranking) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of a ranking, as in the CSV/XLSX downloads and the CLI."""
    key = _("Market") if ranking.kind == "markets" else _("Product")
    header = [_("Rank"), key, _("Name"), _("Score")]
    header += [_(COMPONENT_LABELS[c]) for c in COMPONENTS]
    header += [_("Imports (USD)"), _("Import growth"), _("Projected imports (USD)"),
               _("Potential (USD)"), _("Actual exports (USD)"), _("Untapped potential (USD)"),
               _("Origin duty (%)"), _("Competitors' duty (%)"), _("Distance (km)"),
               _("Shared border"), _("Common language"), _("Trade agreement")]
    rows: list[list[Any]] = []
    for r in ranking.rows:
        demand = r.components["demand"].raw
        access = r.components["access"].raw
        ease = r.components["ease"].raw
        row: list[Any] = [r.rank, r.key, r.label, round(r.score, 1)]
        row += [None if r.components[c].score is None else round(r.components[c].score or 0, 1)
                for c in COMPONENTS]
        row += [demand.get("imports_usd"), demand.get("import_growth"),
                demand.get("projected_imports_usd"), round(r.potential), round(r.actual),
                round(r.untapped), access.get("tariff_origin_pct"),
                access.get("tariff_competitors_pct"), ease.get("distance_km"),
                ease.get("contiguous"), ease.get("common_language"), ease.get("agreement")]
        rows.append(row)
    return header, rows


def product_market_tables(pm: ProductMarket) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Sheets of the product-market statistics download: imports by year, suppliers."""
    origin_by_year = {f.year: f.value_usd for f in pm.origin_exports}
    world_by_year = {f.year: f.value_usd for f in pm.world}
    years_header = [_("Year"), _("Imports (USD)"), _("Quantity (kg)"), _("Unit value (USD/kg)"),
                    _("World trade (USD)")]
    if pm.origin:
        years_header.append(_("Exports from %(origin)s (USD)", origin=pm.origin))
    years_rows: list[list[Any]] = []
    for f in pm.imports:
        row: list[Any] = [f.year, f.value_usd, f.quantity_kg,
                          None if f.unit_value is None else round(f.unit_value, 4),
                          world_by_year.get(f.year)]
        if pm.origin:
            row.append(origin_by_year.get(f.year, 0.0))
        years_rows.append(row)
    supplier_rows: list[list[Any]] = [
        [i + 1, s.iso3, s.value_usd, s.quantity_kg, round(s.share * 100, 2)]
        for i, s in enumerate(pm.suppliers)]
    return [
        (_("Imports by year"), years_header, years_rows),
        (_("Top suppliers %(year)s", year=pm.year),
         [_("Rank"), _("Supplier"), _("Value (USD)"), _("Quantity (kg)"), _("Share (%)")],
         supplier_rows),
    ]


def basket_table(items: Sequence[BasketItem], exports: bool
                 ) -> tuple[list[str], list[list[Any]]]:
    header = [_("Product"), _("Description"), _("Value (USD)"), _("Share (%)"),
              _("Share of world trade (%)")]
    if exports:
        header += [_("RCA"), _("Markets")]
    else:
        header += [_("Suppliers")]
    rows: list[list[Any]] = []
    for b in items:
        row: list[Any] = [b.product, b.description, b.value_usd, round(b.share * 100, 3),
                          round(b.world_share * 100, 4)]
        row += ([None if b.rca is None else round(b.rca, 3), b.partners] if exports
                else [b.partners])
        rows.append(row)
    return header, rows

"""Pages: where to sell (market finder), which products to sell, and trade statistics.

Handlers only parse input and call the named functions of ``tradewind.markets`` and
``tradewind.stats``; charts are inline SVG with a data table next to them; every page built
on SAMPLE flows shows the SAMPLE banner and its sources.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind import i18n
from tradewind.charts.downloads import csv_bytes, xlsx_bytes
from tradewind.charts.svg import choropleth, legend, share_bars, short_number, trend_chart
from tradewind.countries.reference import all_countries, country_name
from tradewind.db import Database
from tradewind.errors import InvalidCode, InvalidInput, TradewindError
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.markets import rank_markets, rank_products
from tradewind.markets.finder import Ranking
from tradewind.markets.present import (
    COMPONENT_HELP,
    COMPONENT_LABELS,
    basket_table,
    note_texts,
    parse_origin,
    parse_weights,
    parse_year,
    product_market_tables,
    ranking_table,
    require_product,
)
from tradewind.markets.scoring import COMPONENTS, DEFAULT_WEIGHTS, Weights
from tradewind.policy.recorder import observe
from tradewind.stats import queries as stats
from tradewind.web.deps import get_conn, get_db
from tradewind.web.templating import field_errors, render, url_for_lang

router = APIRouter()
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _countries(conn: Connection) -> list[tuple[str, str]]:
    lang = i18n.current_language.get()
    return sorted(((c["iso3"], country_name(c["iso3"], lang)) for c in all_countries(conn)),
                  key=lambda pair: pair[1])


def _weights_without(request: Request, bad: str | None) -> Weights:
    """The user's weights with the one in error left at its default (all defaults if the
    error is about the weights together)."""
    kept: dict[str, float | None] = {}
    for name in COMPONENTS:
        raw = request.query_params.get(f"w_{name}", "").strip().replace(",", ".")
        try:
            kept[name] = None if f"w_{name}" == bad or not raw else float(raw)
        except ValueError:
            kept[name] = None
    try:
        return parse_weights(**kept)
    except InvalidInput:
        return parse_weights()


def _weights_from(request: Request) -> dict[str, float | None]:
    """Weights from the query string (``w_supply`` …); bad numbers are a 422, not a 500."""
    out: dict[str, float | None] = {}
    for name in COMPONENTS:
        raw = request.query_params.get(f"w_{name}", "").strip()
        if raw == "":
            out[name] = None
            continue
        try:
            out[name] = float(raw.replace(",", "."))
        except ValueError:
            raise InvalidInput(N_("weight %(name)r must be a number, not %(raw)r"),
                               name=name, raw=raw[:20], field=f"w_{name}") from None
    return out


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _sources_notes(provenance: list[Any]) -> list[str]:
    lines = []
    for p in provenance:
        prefix = "SAMPLE — " if p.is_sample and "SAMPLE" not in p.name else ""
        lines.append(f"{prefix}{p.name}: {p.source} (licence {p.licence}; edition {p.edition})")
    return lines


def _download(kind: str, name: str, sheets: list[Any], notes: list[str]) -> Response:
    if kind not in DOWNLOAD_TYPES:
        raise InvalidInput(N_("download format must be csv or xlsx"))
    body = csv_bytes(sheets, notes) if kind == "csv" else xlsx_bytes(sheets, notes)
    return Response(body, media_type=DOWNLOAD_TYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'})


@router.get("/markets", response_class=HTMLResponse)
def markets_form(request: Request, product: str = "", origin: str = "",
                 conn: Connection = Depends(get_conn),
                 db: Database = Depends(get_db)) -> Response:
    """The form: a code goes straight to the ranking; words show candidate codes first."""
    product = product.strip()[:200]
    origin_iso3 = ""
    problem = ""
    prompt_only = False  # a valid code without an origin: ask, it is not an error
    candidates: list[Any] = []
    if origin.strip():
        try:
            origin_iso3 = parse_origin(origin)
        except InvalidInput as exc:
            problem = str(exc)
    if product and not problem:
        # Starts with a digit: meant as a code ("0901.1x" gets the nearest valid codes).
        looks_like_code = product[:1].isdigit()
        if looks_like_code:
            try:
                choice = require_product(conn, product)
                if origin_iso3:
                    target = url_for_lang(request, "/markets/rank?" + _query(
                        product=choice.code, origin=origin_iso3))
                    return RedirectResponse(target, status_code=303)
                prompt_only = True
                problem = _("Choose the country you sell from.")
            except (InvalidCode, InvalidInput) as exc:
                problem = str(exc)
        else:
            candidates = _search(db, product)
            if not candidates:
                problem = _("No product matched those words. Try other words or an HS code.")
    return render(request, "markets/index.html", {
        "product": product, "origin": origin_iso3, "countries": _countries(conn),
        "candidates": candidates, "problem": problem,
        "years": stats.available_years(conn),
        "provenance": stats.flow_provenance(conn),
    }, status_code=422 if problem and (product or origin) and not prompt_only else 200)


def _search(db: Database, words: str) -> list[Any]:
    """Candidate codes from the product finder (empty when that feature is not installed)."""
    try:
        from tradewind.finder import search_products
    except ImportError:
        return []
    try:
        result = search_products(db, words, limit=8)
    except TradewindError:
        return []
    return [c for c in result.candidates if len(c.code) == 6]


def _ranking_context(request: Request, conn: Connection, ranking: Ranking,
                     description: str) -> dict[str, Any]:
    lang = i18n.current_language.get()
    origin = ranking.origin
    scores = {r.key: r.score for r in ranking.rows}

    def market_link(iso3: str) -> str:
        return url_for_lang(request, "/stats/product-market?" + _query(
            product=ranking.product, market=iso3, origin=origin))

    top = ranking.rows[:10]
    map_svg = choropleth(
        "market-map", scores,
        _("Export potential score by market"),
        _("World map: each market is shaded by its score from 0 to 100; darker is better. "
          "The origin is outlined. The table below lists the same scores."),
        name=lambda iso3: country_name(iso3, lang), link=market_link, highlight=origin)
    bars_svg = "" if not any(r.untapped > 0 for r in top) else share_bars(
        "untapped-bars", [(r.label or r.key, r.untapped) for r in
                          sorted(top, key=lambda r: -r.untapped)],
        _("Untapped potential in the top 10 markets (USD)"),
        _("Horizontal bars of the untapped potential, in US dollars, of the ten best-ranked "
          "markets; the same figures are in the table."),
        fmt=lambda v: short_number(v) + " USD")
    return {
        "ranking": ranking, "description": description, "map_svg": map_svg,
        "bars_svg": bars_svg, "legend": legend(), "notes": note_texts(ranking.notes),
        "components": COMPONENTS, "labels": {k: _(v) for k, v in COMPONENT_LABELS.items()},
        "helps": {k: _(v) for k, v in COMPONENT_HELP.items()},
        "defaults": DEFAULT_WEIGHTS, "market_link": market_link,
        "short": short_number, "datasets": ranking.provenance,
    }


@router.get("/markets/rank", response_class=HTMLResponse)
@observe("markets")
def markets_rank(request: Request, product: str = "", origin: str = "", as_of: str = "",
                 conn: Connection = Depends(get_conn)) -> Response:
    if product.strip() and not origin.strip():
        # Links from code pages and search results carry only the product: ask for the origin.
        return RedirectResponse(url_for_lang(request, "/markets?" + _query(
            product=product.strip()[:40])), status_code=303)
    choice = require_product(conn, product)
    origin_iso3 = parse_origin(origin)
    weight_errors: dict[str, str] = {}
    try:
        weights = parse_weights(**_weights_from(request))
    except InvalidInput as exc:  # rank without the bad weight; the form shows error and value
        weight_errors = field_errors(exc) or {"weights": str(exc)}
        weights = _weights_without(request, exc.field)
    known_only = request.query_params.get("known_access", "") in ("1", "on", "true")
    ranking = rank_markets(conn, choice.code, origin_iso3, weights, parse_year(as_of),
                           exclude_unknown_access=known_only)
    context = _ranking_context(request, conn, ranking, choice.description)
    context["known_access"] = known_only
    query = _query(product=choice.code, origin=origin_iso3, as_of=as_of,
                   **({"known_access": "1"} if known_only else {}),
                   **{f"w_{k}": v for k, v in weights.as_dict().items()})
    context.update({"query": query, "as_of": as_of.strip()[:4],
                    "origin_name": country_name(origin_iso3, i18n.current_language.get()),
                    "errors": weight_errors,
                    "raw": {k: v[:20] for k, v in request.query_params.items()}})
    return render(request, "markets/rank.html", context, status_code=422 if weight_errors else 200)


@router.get("/markets/rank.{kind}")
def markets_rank_download(request: Request, kind: str, product: str = "", origin: str = "",
                          as_of: str = "", conn: Connection = Depends(get_conn)) -> Response:
    choice = require_product(conn, product)
    origin_iso3 = parse_origin(origin)
    weights = parse_weights(**_weights_from(request))
    ranking = rank_markets(conn, choice.code, origin_iso3, weights, parse_year(as_of),
                           exclude_unknown_access=request.query_params.get(
                               "known_access", "") in ("1", "on", "true"))
    header, rows = ranking_table(ranking)
    notes = [f"Tradewind market finder: product {choice.code}, origin {origin_iso3}, "
             f"year {ranking.year}, weights {ranking.weights}",
             "potential = projected imports x origin's world share x access ratio x ease "
             "factor; untapped = max(potential - actual exports, 0) (docs/market-finder.md)",
             *note_texts(ranking.notes), *_sources_notes(ranking.provenance)]
    return _download(kind, f"markets-{choice.code}-{origin_iso3}",
                     [(_("Markets"), header, rows)], notes)


@router.get("/markets/products", response_class=HTMLResponse)
@observe("markets")
def markets_products(request: Request, market: str = "", origin: str = "", as_of: str = "",
                     conn: Connection = Depends(get_conn)) -> HTMLResponse:
    countries = _countries(conn)
    if not market.strip() and not origin.strip():
        return render(request, "markets/products.html", {
            "ranking": None, "countries": countries, "market": "", "origin": ""})
    try:
        market_iso3 = parse_origin(market, "market")
        origin_iso3 = parse_origin(origin)
        weights = parse_weights(**_weights_from(request))
        ranking = rank_products(conn, market_iso3, origin_iso3, weights, parse_year(as_of))
    except InvalidInput as exc:  # the form again, the choices kept, the message by its field
        return render(request, "markets/products.html", {
            "ranking": None, "countries": countries, "market": market.strip().upper()[:3],
            "origin": origin.strip().upper()[:3], "error": exc.message(),
            "error_field": exc.field or "market"}, status_code=exc.status_code)
    lang = i18n.current_language.get()
    query = _query(market=market_iso3, origin=origin_iso3, as_of=as_of,
                   **{f"w_{k}": v for k, v in weights.as_dict().items()})
    return render(request, "markets/products.html", {
        "ranking": ranking, "countries": countries, "market": market_iso3,
        "origin": origin_iso3, "market_name": country_name(market_iso3, lang),
        "origin_name": country_name(origin_iso3, lang), "notes": note_texts(ranking.notes),
        "components": COMPONENTS, "labels": {k: _(v) for k, v in COMPONENT_LABELS.items()},
        "defaults": DEFAULT_WEIGHTS, "short": short_number, "datasets": ranking.provenance,
        "query": query, "as_of": as_of.strip()[:4],
    })


@router.get("/markets/products.{kind}")
def markets_products_download(request: Request, kind: str, market: str = "", origin: str = "",
                              as_of: str = "", conn: Connection = Depends(get_conn)) -> Response:
    market_iso3 = parse_origin(market, "market")
    origin_iso3 = parse_origin(origin)
    weights = parse_weights(**_weights_from(request))
    ranking = rank_products(conn, market_iso3, origin_iso3, weights, parse_year(as_of),
                            limit=None)
    header, rows = ranking_table(ranking)
    notes = [f"Tradewind: products {origin_iso3} could sell to {market_iso3}, "
             f"year {ranking.year}, weights {ranking.weights}",
             *note_texts(ranking.notes), *_sources_notes(ranking.provenance)]
    return _download(kind, f"products-{origin_iso3}-{market_iso3}",
                     [(_("Products"), header, rows)], notes)


def _product_market(conn: Connection, product: str, market: str, origin: str,
                    as_of: str) -> tuple[Any, stats.ProductMarket]:
    choice = require_product(conn, product)
    market_iso3 = parse_origin(market, "market")
    origin_iso3 = parse_origin(origin) if origin.strip() else None
    return choice, stats.product_market(conn, choice.code, market_iso3, origin_iso3,
                                        parse_year(as_of))


@router.get("/stats/product-market", response_class=HTMLResponse)
def product_market_page(request: Request, product: str = "", market: str = "",
                        origin: str = "", as_of: str = "",
                        conn: Connection = Depends(get_conn)) -> HTMLResponse:
    if not product.strip() and not market.strip():
        return render(request, "markets/product_market.html", {
            "pm": None, "countries": _countries(conn), "product": "", "market": "",
            "origin": ""})
    choice, pm = _product_market(conn, product, market, origin, as_of)
    lang = i18n.current_language.get()
    market_name = country_name(pm.market, lang)
    origin_name = country_name(pm.origin, lang) if pm.origin else ""
    trend = trend_chart(
        "imports-trend", [(f.year, f.value_usd) for f in pm.imports],
        _("Imports of %(product)s by %(market)s", product=choice.code, market=market_name),
        _("Bars show the market's imports of the product each year in US dollars"
          "%(line)s; the table below gives the same figures.",
          line=(_("; the line shows the imports from %(origin)s", origin=origin_name)
                if pm.origin else "")),
        highlight=[(f.year, f.value_usd) for f in pm.origin_exports] if pm.origin else None,
        highlight_label=origin_name)
    shares = share_bars(
        "supplier-shares", [(country_name(s.iso3, lang), s.share) for s in pm.suppliers],
        _("Suppliers' shares of %(market)s's imports in %(year)s", market=market_name,
          year=pm.year),
        _("Horizontal bars of each supplier's share of the market's imports; the table "
          "below gives the same figures."),
        highlight=origin_name or None)
    sheets = product_market_tables(pm)
    query = _query(product=choice.code, market=pm.market, origin=pm.origin, as_of=as_of)
    return render(request, "markets/product_market.html", {
        "pm": pm, "choice": choice, "market_name": market_name, "origin_name": origin_name,
        "trend_svg": trend, "shares_svg": shares, "sheets": sheets, "short": short_number,
        "datasets": pm.provenance, "query": query, "countries": _countries(conn),
        "product": choice.code, "market": pm.market, "origin": pm.origin or "",
    })


@router.get("/stats/product-market.{kind}")
def product_market_download(kind: str, product: str = "", market: str = "", origin: str = "",
                            as_of: str = "", conn: Connection = Depends(get_conn)) -> Response:
    choice, pm = _product_market(conn, product, market, origin, as_of)
    notes = [f"Tradewind statistics: product {choice.code}, market {pm.market}"
             + (f", origin {pm.origin}" if pm.origin else "") + f", years {pm.years}",
             *_sources_notes(pm.provenance)]
    return _download(kind, f"stats-{choice.code}-{pm.market}", product_market_tables(pm), notes)


def _basket_page(request: Request, conn: Connection, iso3: str, year: str,
                 exports: bool) -> Response:
    code, dot, kind = iso3.partition(".")
    if dot:  # /stats/origin/ZAF.csv, /stats/market/DEU.xlsx
        return _basket_download(conn, code, year, exports, kind,
                                request.query_params.get("order", "value"))
    economy = parse_origin(iso3, "country")
    chosen = stats.last_year(conn, parse_year(year))
    order = request.query_params.get("order", "value")
    if exports:
        items = stats.export_basket(conn, economy, chosen, limit=50,
                                    order="rca" if order == "rca" else "value")
    else:
        items = stats.import_basket(conn, economy, chosen, limit=50)
    lang = i18n.current_language.get()
    name = country_name(economy, lang)
    total_exports, total_imports = stats.economy_total(conn, economy, chosen)
    top = items[:10]
    title = (_("Top exports of %(country)s in %(year)s", country=name, year=chosen) if exports
             else _("Top imports of %(country)s in %(year)s", country=name, year=chosen))
    bars = share_bars("basket-bars", [(f"{b.product} {b.description}"[:40], b.share)
                                      for b in top], title,
                      _("Horizontal bars of each product's share of the total; the table "
                        "below gives the same figures."))
    header, rows = basket_table(items, exports)
    return render(request, "markets/basket.html", {
        "exports": exports, "economy": economy, "name": name, "year": chosen,
        "years": stats.available_years(conn), "items": items, "bars_svg": bars,
        "total": total_exports if exports else total_imports, "short": short_number,
        "datasets": stats.flow_provenance(conn, [chosen]), "order": order,
        "header": header, "rows": rows,
    })


def _basket_download(conn: Connection, iso3: str, year: str, exports: bool, kind: str,
                     order: str) -> Response:
    if kind not in DOWNLOAD_TYPES:
        raise InvalidInput(N_("download format must be csv or xlsx"))
    economy = parse_origin(iso3, "country")
    chosen = stats.last_year(conn, parse_year(year))
    items = (stats.export_basket(conn, economy, chosen, limit=None,
                                 order="rca" if order == "rca" else "value") if exports
             else stats.import_basket(conn, economy, chosen, limit=None))
    header, rows = basket_table(items, exports)
    flow = "exports" if exports else "imports"
    notes = [f"Tradewind statistics: {flow} of {economy} in {chosen}",
             *_sources_notes(stats.flow_provenance(conn, [chosen]))]
    title = _("Exports") if exports else _("Imports")
    return _download(kind, f"{flow}-{economy}-{chosen}", [(title, header, rows)], notes)


@router.get("/stats/origin/{iso3}", response_class=HTMLResponse)
def origin_page(request: Request, iso3: str, year: str = "",
                conn: Connection = Depends(get_conn)) -> Response:
    return _basket_page(request, conn, iso3[:20], year, exports=True)


@router.get("/stats/market/{iso3}", response_class=HTMLResponse)
def market_page(request: Request, iso3: str, year: str = "",
                conn: Connection = Depends(get_conn)) -> Response:
    return _basket_page(request, conn, iso3[:20], year, exports=False)

"""``tradewind markets rank|products`` and ``tradewind stats product-market|origin|market``."""

from __future__ import annotations

from typing import Any

import typer

from tradewind.charts.svg import short_number
from tradewind.cli.app import app, database, emit, user_errors
from tradewind.markets import rank_markets, rank_products
from tradewind.markets.finder import Ranking
from tradewind.markets.present import (
    note_texts,
    parse_origin,
    parse_weights,
    parse_year,
    require_product,
)
from tradewind.stats import queries as stats

markets_app = typer.Typer(help="Market finder: where to sell, which products to sell.",
                          no_args_is_help=True)
stats_app = typer.Typer(help="Trade statistics by product, market and origin.",
                        no_args_is_help=True)
app.add_typer(markets_app, name="markets")
app.add_typer(stats_app, name="stats")

W_HELP = "Weight of the {} component (0–100, default 1)."


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:+.1f}%"


def _score(value: float | None) -> str:
    return "  –" if value is None else f"{value:3.0f}"


def _sample_line(ranking_or_pm: Any) -> str:
    return ("SAMPLE data: generated examples, not real statistics.\n"
            if ranking_or_pm.is_sample else "")


def _sources(provenance: list[Any]) -> list[str]:
    """One line per dataset; SAMPLE ones say so (once, even when their name says it too)."""
    return [f"Source: {'SAMPLE ' if p.is_sample and 'SAMPLE' not in p.name else ''}{p.name} "
            f"({p.licence})" for p in provenance]


def _render_ranking(ranking: Ranking) -> str:
    lines = [_sample_line(ranking).rstrip()] if ranking.is_sample else []
    if ranking.kind == "markets":
        lines.append(f"Markets for {ranking.product} from {ranking.origin}, {ranking.year} "
                     f"(weights {ranking.weights})")
    else:
        lines.append(f"Products {ranking.origin} could sell to {ranking.market}, {ranking.year} "
                     f"(weights {ranking.weights})")
    lines.append(f"{'#':>3}  {'key':<7} {'score':>5} {'sup':>3} {'dem':>3} {'acc':>3} {'ease':>4}"
                 f" {'imports':>9} {'growth':>7} {'actual':>8} {'untapped':>9}  name")
    for r in ranking.rows:
        c = r.components
        lines.append(
            f"{r.rank:>3}  {r.key:<7} {r.score:5.1f} {_score(c['supply'].score)} "
            f"{_score(c['demand'].score)} {_score(c['access'].score)} "
            f"{_score(c['ease'].score):>4} "
            f"{short_number(c['demand'].raw.get('imports_usd') or 0):>9} "
            f"{_pct(c['demand'].raw.get('import_growth')):>7} {short_number(r.actual):>8} "
            f"{short_number(r.untapped):>9}  {r.label[:40]}")
    lines += [f"Note: {n}" for n in note_texts(ranking.notes)]
    lines += _sources(ranking.provenance)
    return "\n".join(lines)


@markets_app.command("rank")
def markets_rank(
    product: str = typer.Option(..., "--product", "-p", help="HS 2022 six-digit code."),
    origin: str = typer.Option(..., "--origin", "-o", help="Exporting country (ISO3 or name)."),
    w_supply: float = typer.Option(1.0, "--w-supply", help=W_HELP.format("supply")),
    w_demand: float = typer.Option(1.0, "--w-demand", help=W_HELP.format("demand")),
    w_access: float = typer.Option(1.0, "--w-access", help=W_HELP.format("market access")),
    w_ease: float = typer.Option(1.0, "--w-ease", help=W_HELP.format("ease of trade")),
    as_of: str = typer.Option("", "--as-of", help="Last year used (default: latest loaded)."),
    limit: int = typer.Option(25, "--limit", "-n", min=1, help="How many markets to show."),
    as_json: bool = typer.Option(False, "--json", help="JSON output for scripts."),
) -> None:
    """Rank every market for PRODUCT sold from ORIGIN by export-potential score."""
    with user_errors(), database().connect() as conn:
        choice = require_product(conn, product)
        ranking = rank_markets(conn, choice.code, parse_origin(origin),
                               parse_weights(w_supply, w_demand, w_access, w_ease),
                               parse_year(as_of), limit=limit)
        emit(ranking.as_dict() if as_json else ranking, as_json, _render_ranking)


@markets_app.command("products")
def markets_products(
    market: str = typer.Option(..., "--market", "-m", help="Importing country (ISO3 or name)."),
    origin: str = typer.Option(..., "--origin", "-o", help="Exporting country (ISO3 or name)."),
    w_supply: float = typer.Option(1.0, "--w-supply", help=W_HELP.format("supply")),
    w_demand: float = typer.Option(1.0, "--w-demand", help=W_HELP.format("demand")),
    w_access: float = typer.Option(1.0, "--w-access", help=W_HELP.format("market access")),
    w_ease: float = typer.Option(1.0, "--w-ease", help=W_HELP.format("ease of trade")),
    as_of: str = typer.Option("", "--as-of", help="Last year used (default: latest loaded)."),
    limit: int = typer.Option(25, "--limit", "-n", min=1, help="How many products to show."),
    as_json: bool = typer.Option(False, "--json", help="JSON output for scripts."),
) -> None:
    """Which products could ORIGIN sell to MARKET?"""
    with user_errors(), database().connect() as conn:
        ranking = rank_products(conn, parse_origin(market, "market"), parse_origin(origin),
                                parse_weights(w_supply, w_demand, w_access, w_ease),
                                parse_year(as_of), limit=limit)
        emit(ranking.as_dict() if as_json else ranking, as_json, _render_ranking)


def _render_pm(pm: stats.ProductMarket) -> str:
    lines = [_sample_line(pm).rstrip()] if pm.is_sample else []
    lines.append(f"Imports of {pm.product} by {pm.market}"
                 + (f" (origin {pm.origin})" if pm.origin else ""))
    origin_by_year = {f.year: f.value_usd for f in pm.origin_exports}
    lines.append(f"{'year':<6}{'value USD':>14}{'kg':>14}{'USD/kg':>9}"
                 + (f"{'from ' + pm.origin:>14}" if pm.origin else ""))
    for f in pm.imports:
        unit = "–" if f.unit_value is None else f"{f.unit_value:.2f}"
        qty = "–" if f.quantity_kg is None else f"{f.quantity_kg:,.0f}"
        extra = f"{origin_by_year.get(f.year, 0):>14,.0f}" if pm.origin else ""
        lines.append(f"{f.year:<6}{f.value_usd:>14,.0f}{qty:>14}{unit:>9}{extra}")
    lines.append(f"5-year growth: {_pct(pm.import_growth)} a year; world: {_pct(pm.world_growth)}")
    if pm.origin:
        share = "–" if pm.origin_share is None else f"{pm.origin_share * 100:.1f}%"
        lines.append(f"{pm.origin} share: {share}" + (f" (rank {pm.origin_rank})"
                                                     if pm.origin_rank else ""))
    lines.append(f"Top suppliers {pm.year} ({pm.supplier_count} in all):")
    for i, s in enumerate(pm.suppliers, 1):
        lines.append(f"{i:>3}. {s.iso3}  {s.value_usd:>14,.0f}  {s.share * 100:5.1f}%")
    lines += _sources(pm.provenance)
    return "\n".join(lines)


@stats_app.command("product-market")
def stats_product_market(
    product: str = typer.Option(..., "--product", "-p", help="HS 2022 six-digit code."),
    market: str = typer.Option(..., "--market", "-m", help="Importing country."),
    origin: str = typer.Option("", "--origin", "-o", help="Your country (optional)."),
    as_of: str = typer.Option("", "--as-of", help="Last year used."),
    as_json: bool = typer.Option(False, "--json", help="JSON output for scripts."),
) -> None:
    """Imports by year, 5-year growth, top suppliers and the origin's share."""
    with user_errors(), database().connect() as conn:
        choice = require_product(conn, product)
        pm = stats.product_market(conn, choice.code, parse_origin(market, "market"),
                                  parse_origin(origin) if origin.strip() else None,
                                  parse_year(as_of))
        emit(pm.as_dict() if as_json else pm, as_json, _render_pm)


def _render_basket(data: dict[str, Any]) -> str:
    lines = ["SAMPLE data: generated examples, not real statistics."] if data["sample"] else []
    lines.append(f"{data['flow'].capitalize()} of {data['economy']} in {data['year']}: "
                 f"{short_number(data['total_usd'])} USD")
    rca_col = data["flow"] == "exports"
    for item in data["products"]:
        rca = "" if not rca_col else (
            "   RCA –" if item["rca"] is None else f"   RCA {item['rca']:.2f}")
        lines.append(f"{item['product']}  {item['value_usd']:>14,.0f}  {item['share'] * 100:5.1f}%"
                     f"{rca}  {item['description'][:50]}")
    return "\n".join(lines)


def _basket(iso3: str, year: str, limit: int, exports: bool, order: str = "value"
            ) -> dict[str, Any]:
    with database().connect() as conn:
        return stats.basket(conn, parse_origin(iso3, "country"), parse_year(year), limit,
                            exports=exports, order=order)


@stats_app.command("origin")
def stats_origin(
    country: str = typer.Argument(..., help="Exporting country (ISO3 or name)."),
    year: str = typer.Option("", "--year", help="Year (default: latest loaded)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    by_rca: bool = typer.Option(False, "--by-rca", help="Order by comparative advantage."),
    as_json: bool = typer.Option(False, "--json", help="JSON output for scripts."),
) -> None:
    """An origin's export basket with revealed comparative advantage (RCA)."""
    with user_errors():
        emit(_basket(country, year, limit, True, "rca" if by_rca else "value"), as_json,
             _render_basket)


@stats_app.command("market")
def stats_market(
    country: str = typer.Argument(..., help="Importing country (ISO3 or name)."),
    year: str = typer.Option("", "--year", help="Year (default: latest loaded)."),
    limit: int = typer.Option(20, "--limit", "-n", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON output for scripts."),
) -> None:
    """A market's import basket."""
    with user_errors():
        emit(_basket(country, year, limit, False), as_json, _render_basket)

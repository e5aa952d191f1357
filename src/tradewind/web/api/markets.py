"""API: market finder rankings and trade statistics (JSON, with ``sample`` and provenance)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.markets import rank_markets, rank_products
from tradewind.markets.present import (
    note_texts,
    parse_origin,
    parse_weights,
    parse_year,
    require_product,
)
from tradewind.stats import queries as stats
from tradewind.web.api.contract import problems
from tradewind.web.api.params import economy, hs6, iso3_path
from tradewind.web.deps import get_conn

router = APIRouter(tags=["markets"])
NOT_FOUND = problems({404: "Unknown country, product not in HS 2022 or never imported, or no "
                           "flows loaded for the year"})
WEIGHT = "weight, 0–100 (default 1); at least one above 0"


@router.get("/markets/rank", summary="Rank every market for a product and an origin",
            responses=NOT_FOUND)
def api_rank(product: str = hs6(),
             origin: str = economy(),
             w_supply: float | None = Query(None, ge=0, le=100, description=WEIGHT),
             w_demand: float | None = Query(None, ge=0, le=100, description=WEIGHT),
             w_access: float | None = Query(None, ge=0, le=100, description=WEIGHT),
             w_ease: float | None = Query(None, ge=0, le=100, description=WEIGHT),
             as_of: int | None = Query(None, ge=1900, le=2100, description="last year used"),
             limit: int | None = Query(None, ge=1, le=500),
             exclude_unknown_access: bool = Query(
                 False, description="leave out markets without tariff data (their access "
                                    "score is unknown and their score uses the other parts)"),
             conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    choice = require_product(conn, product)
    ranking = rank_markets(conn, choice.code, parse_origin(origin),
                           parse_weights(w_supply, w_demand, w_access, w_ease),
                           parse_year(as_of), limit=limit,
                           exclude_unknown_access=exclude_unknown_access)
    body = ranking.as_dict()
    body["description"] = choice.description
    body["note_texts"] = note_texts(ranking.notes)
    return body


@router.get("/markets/products", summary="Rank the products an origin could sell to a market",
            responses=NOT_FOUND)
def api_products(market: str = economy(example="FRA"), origin: str = economy(),
                 w_supply: float | None = Query(None, ge=0, le=100, description=WEIGHT),
                 w_demand: float | None = Query(None, ge=0, le=100, description=WEIGHT),
                 w_access: float | None = Query(None, ge=0, le=100, description=WEIGHT),
                 w_ease: float | None = Query(None, ge=0, le=100, description=WEIGHT),
                 as_of: int | None = Query(None, ge=1900, le=2100),
                 limit: int = Query(50, ge=1, le=1000),
                 conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    ranking = rank_products(conn, parse_origin(market, "market"), parse_origin(origin),
                            parse_weights(w_supply, w_demand, w_access, w_ease),
                            parse_year(as_of), limit=limit)
    body = ranking.as_dict()
    body["note_texts"] = note_texts(ranking.notes)
    return body


@router.get("/stats/product-market", summary="Imports of a product by a market, suppliers, shares",
            responses=NOT_FOUND)
def api_product_market(product: str = hs6(),
                       market: str = economy(example="FRA"),
                       origin: str | None = economy(None),
                       as_of: int | None = Query(None, ge=1900, le=2100),
                       top: int = Query(10, ge=1, le=300),
                       conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    choice = require_product(conn, product)
    pm = stats.product_market(conn, choice.code, parse_origin(market, "market"),
                              parse_origin(origin) if origin else None, parse_year(as_of),
                              top=top)
    body = pm.as_dict()
    body["description"] = choice.description
    return body


@router.get("/stats/origin/{iso3}", summary="An origin's export basket with RCA by product",
            responses=NOT_FOUND)
def api_origin(iso3: str = iso3_path(), year: int | None = Query(None, ge=1900, le=2100),
               limit: int = Query(50, ge=1, le=6000),
               order: str = Query("value", pattern="^(value|rca)$"),
               conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return stats.basket(conn, parse_origin(iso3, "country"), year, limit,
                        exports=True, order=order)


@router.get("/stats/market/{iso3}", summary="A market's import basket by product",
            responses=NOT_FOUND)
def api_market(iso3: str = iso3_path(), year: int | None = Query(None, ge=1900, le=2100),
               limit: int = Query(50, ge=1, le=6000),
               conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return stats.basket(conn, parse_origin(iso3, "country"), year, limit, exports=False)

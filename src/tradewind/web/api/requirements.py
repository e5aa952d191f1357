"""API: the non-tariff requirements (MAST-classified measures) for a product and a market.

Responses carry ``sample`` and ``provenance``; ``status`` tells "no requirements imported
for this market" (``no_data``) from "none found for this product" (``none_found``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.requirements.queries import lookup
from tradewind.web.deps import get_conn

router = APIRouter(tags=["requirements"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


@router.get("/requirements", summary="Non-tariff requirements for a product in a market",
            responses={404: {"description": "Unknown economy", **PROBLEM},
                       422: {"description": "Invalid product, economy or date", **PROBLEM}})
def requirements(product: str = Query(..., max_length=40, description="HS code, 2-10 digits"),
                 destination: str = Query(..., max_length=60),
                 origin: str | None = Query(None, max_length=60),
                 date: str | None = Query(None, max_length=10),
                 conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return lookup(conn, product, destination, origin, date).as_dict()

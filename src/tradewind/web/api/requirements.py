"""API: the non-tariff requirements (MAST-classified measures) for a product and a market.

Responses carry ``sample`` and ``provenance``; ``status`` tells "no requirements imported
for this market" (``no_data``) from "none found for this product" (``none_found``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection

from tradewind.requirements.queries import lookup
from tradewind.web.api.contract import problems
from tradewind.web.api.params import day, economy, hs_code
from tradewind.web.deps import get_conn

router = APIRouter(tags=["requirements"])



@router.get("/requirements", summary="Non-tariff requirements for a product in a market",
            responses=problems({404: "Unknown economy (problem JSON)"}))
def requirements(product: str = hs_code(pattern=r"^[0-9]{2}([. ]?[0-9]){0,8}$",
                                        description="HS code, 2–10 digits", example="0901"),
                 destination: str = economy(example="FRA"),
                 origin: str | None = economy(None),
                 date: str | None = day(),
                 conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return lookup(conn, product, destination, origin, date).as_dict()

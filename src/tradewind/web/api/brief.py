"""API: the market brief as JSON (``GET /api/v1/brief``), the same tree the page renders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.brief.requests import BriefForm
from tradewind.db import Database
from tradewind.web.deps import get_conn, get_db

router = APIRouter(tags=["brief"])


@router.get("/brief")
def brief_api(product: str = Query("", max_length=200, examples=["090111", "roasted coffee"]),
              origin: str = Query("", max_length=60, examples=["KEN"]),
              destination: str = Query("", max_length=60, examples=["FRA"]),
              date: str = Query("", max_length=10, description="YYYY-MM-DD; default today"),
              incoterm: str = Query("", max_length=20, examples=["FOB"]),
              value: str = Query("", max_length=30, description="shipment value"),
              currency: str = Query("USD", max_length=10),
              conn: Connection = Depends(get_conn),
              db: Database = Depends(get_db)) -> dict[str, Any]:
    """Product, duties, landed cost, requirements, market statistics, rules of origin,
    guides, glossary and organisations in one answer; ``sample`` and ``sources`` included."""
    form = BriefForm(product, origin, destination, date, incoterm, value, currency)
    return form.compose(db, conn).as_dict()

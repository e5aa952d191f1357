"""API: the market brief as JSON (``GET /api/v1/brief``), the same tree the page renders."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.brief.requests import BriefForm
from tradewind.costs.incoterms import INCOTERMS
from tradewind.db import Database
from tradewind.web.api.contract import problems
from tradewind.web.api.params import amount, currency, day, economy
from tradewind.web.deps import get_conn, get_db

router = APIRouter(tags=["brief"])
INCOTERM_CODES = tuple(INCOTERMS)
#: A code, or words (at least two letters in a row: the finder picks the code).
PRODUCT = r"^[0-9]{4}[. ]?[0-9]{2}([. ]?[0-9]{2}){0,2}$|[A-Za-zÀ-ÖØ-öø-ɏ]{2}"


@router.get("/brief", responses=problems({
    404: "Unknown economy, product not in HS 2022, or no code matched the words (problem JSON)",
    422: "A parameter breaks the schema; or `conflicting_input`: origin and destination are "
         "the same economy (problem JSON)"}))
def brief_api(product: str = Query(..., min_length=2, max_length=200, pattern=PRODUCT,
                                   description="HS code (6–10 digits) or plain words",
                                   examples=["090111", "roasted coffee"]),
              origin: str = economy(),
              destination: str = economy(example="FRA"),
              date: str | None = day(),
              incoterm: Literal[INCOTERM_CODES] | None = Query(  # type: ignore[valid-type]
                  None, description="Incoterms 2020 rule of the price"),
              value: str | None = amount(None, description="shipment value"),
              currency: str = currency("USD"),
              conn: Connection = Depends(get_conn),
              db: Database = Depends(get_db)) -> dict[str, Any]:
    """Product, duties, landed cost, requirements, market statistics, rules of origin,
    guides, glossary and organisations in one answer; ``sample`` and ``sources`` included."""
    form = BriefForm(product, origin, destination, date or "", incoterm or "", value or "",
                     currency)
    return form.compose(db, conn).as_dict()

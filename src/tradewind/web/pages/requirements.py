"""Page: what must I do to sell this product in that market? (non-tariff requirements).

A plain GET form (bookmarkable, works without JavaScript); the handler parses input and calls
:func:`tradewind.requirements.queries.lookup`; bad input re-shows the form with the message.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind.access.answer import economy_label
from tradewind.errors import TradewindError
from tradewind.policy.recorder import observe
from tradewind.requirements.queries import lookup
from tradewind.web.deps import get_conn
from tradewind.web.pages.tariffs import _economies
from tradewind.web.templating import render

router = APIRouter()
FIELDS = {"product": 40, "origin": 60, "destination": 60, "date": 10}


@router.get("/requirements", response_class=HTMLResponse)
@observe("requirements")
def requirements_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    values = {name: request.query_params.get(name, "").strip()[:limit]
              for name, limit in FIELDS.items()}
    context: dict[str, Any] = {"economies": _economies(conn), "values": values, "error": None, "result": None,
               "destination_name": "", "origin_name": ""}
    if values["product"] or values["destination"]:
        try:
            result = lookup(conn, values["product"], values["destination"],
                            values["origin"] or None, values["date"] or None)
        except TradewindError as exc:
            context["error"] = str(exc)
            return render(request, "requirements/index.html", context,
                          status_code=exc.status_code)
        context.update(result=result, destination_name=economy_label(result.destination),
                       origin_name=economy_label(result.origin) if result.origin else "")
    return render(request, "requirements/index.html", context)

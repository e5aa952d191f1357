"""Page: does my product qualify as originating under the agreement? (self-assessment).

A plain GET form with numbered material rows; "add a material" re-renders with one more row,
so it works without JavaScript.  Parsing lives in :mod:`tradewind.origin.form`, the check in
:mod:`tradewind.origin.check`; errors are shown next to their field with the values kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind.errors import TradewindError
from tradewind.i18n import gettext
from tradewind.origin.assess import explain
from tradewind.origin.check import run_check
from tradewind.origin.form import MAX_ROWS, parse_form
from tradewind.web.deps import get_conn
from tradewind.web.pages.tariffs import _economies
from tradewind.web.templating import render

router = APIRouter()


@router.get("/origin-check", response_class=HTMLResponse)
def origin_check_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    form = parse_form(request.query_params)
    adding = "add" in request.query_params
    rows = list(form.rows)
    if adding or not rows:
        rows.append({"hs": "", "value": "", "origin": ""})
    context: dict[str, Any] = {"economies": _economies(conn), "form": form,
                               "rows": rows[:MAX_ROWS], "answer": None}
    status = 200
    if form.errors and not adding:
        status = 422
    elif form.request is not None and not adding:
        try:
            answer = run_check(conn, form.request)
            reasons, missing = explain(answer.check.assessment)
            context.update(answer=answer, reasons=reasons, missing=missing,
                           proofs=[gettext(p) for p in answer.check.proofs])
        except TradewindError as exc:
            form.errors["agreement"] = str(exc)
            status = exc.status_code
    return render(request, "origin/check.html", context, status_code=status)



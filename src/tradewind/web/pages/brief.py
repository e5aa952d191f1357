"""Pages: the market brief (``/brief``) and its PDF (``/brief.pdf``).

Plain GET form, bookmarkable; the handler parses text into :class:`BriefForm` and renders
the composed answer.  Bad input re-shows the form with the message (4xx), never a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tradewind.brief.pdf import render_pdf
from tradewind.brief.present import charts, labels
from tradewind.brief.requests import BriefForm
from tradewind.costs.incoterms import INCOTERMS
from tradewind.db import Database
from tradewind.errors import TradewindError
from tradewind.web.deps import get_conn, get_db
from tradewind.web.pages.tariffs import _economies
from tradewind.web.templating import render

router = APIRouter()


def brief_form(request: Request) -> BriefForm:
    p = request.query_params

    def text(name: str, limit: int = 200) -> str:
        return p.get(name, "").strip()[:limit]

    return BriefForm(product=text("product"), origin=text("origin", 60),
                     destination=text("destination", 60), date=text("date", 10),
                     incoterm=text("incoterm", 20), value=text("value", 30),
                     currency=text("currency", 10) or "USD")


@router.get("/brief", response_class=HTMLResponse)
def brief_page(request: Request, conn: Connection = Depends(get_conn),
               db: Database = Depends(get_db)) -> HTMLResponse:
    form = brief_form(request)
    context: dict[str, Any] = {"form": form, "brief": None, "error": None, "economies": _economies(conn),
               "incoterms": list(INCOTERMS), "labels": labels(), "charts": {}, "query": ""}
    status = 200
    if not form.is_empty:
        try:
            brief = form.compose(db, conn)
            context.update(brief=brief, charts=charts(brief),
                           query=urlencode({**form.query(), "product": brief.product.code}))
        except TradewindError as exc:
            context["error"] = str(exc)
            status = exc.status_code
    return render(request, "brief/brief.html", context, status_code=status)


@router.get("/brief.pdf")
def brief_pdf(request: Request, conn: Connection = Depends(get_conn),
              db: Database = Depends(get_db)) -> Response:
    brief = brief_form(request).compose(db, conn)
    name = f"brief-{brief.product.code}-{brief.origin}-{brief.destination}.pdf"
    return Response(render_pdf(brief), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})

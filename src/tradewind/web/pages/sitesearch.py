"""``/search?q=``: one box for guides, library, glossary, organisations and HS codes."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind import i18n
from tradewind.db import Database
from tradewind.i18n import lazy_noop as N_
from tradewind.sitesearch import site_search
from tradewind.web.deps import get_conn, get_db
from tradewind.web.templating import render

router = APIRouter()

GROUP_TITLES = {"guides": N_("Guides"), "glossary": N_("Glossary"), "library": N_("Library"),
                "organisations": N_("Organisations that can help"), "hs": N_("HS codes")}


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, db: Database = Depends(get_db),
           conn: Connection = Depends(get_conn)) -> HTMLResponse:
    q = request.query_params.get("q", "").strip()[:200]
    results = site_search(db, conn, q, i18n.current_language.get())
    return render(request, "sitesearch/results.html", {
        "q": q, "results": results, "titles": GROUP_TITLES,
    })

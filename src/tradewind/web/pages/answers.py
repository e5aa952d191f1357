"""Pages: the statistics section index (every section reachable from the menu), and the GET
forms that lead to a market or origin profile (path parameters cannot come from a form)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.countries.reference import resolve_country
from tradewind.errors import TradewindError
from tradewind.web.deps import get_conn
from tradewind.web.pages.markets import _countries
from tradewind.web.templating import render, url_for_lang

router = APIRouter()


def _index(request: Request, conn: Connection, error: str | None = None,
           status_code: int = 200, economy: str = "") -> HTMLResponse:
    return render(request, "stats/index.html",
                  {"countries": _countries(conn), "error": error, "economy": economy},
                  status_code=status_code)


@router.get("/stats", response_class=HTMLResponse)
def stats_index(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return _index(request, conn)


@router.get("/stats/market", response_class=HTMLResponse)
@router.get("/stats/origin", response_class=HTMLResponse)
def stats_profile(request: Request, economy: str = "",
                  conn: Connection = Depends(get_conn)) -> Response:
    """``/stats/market?economy=KEN`` → ``/stats/market/KEN`` (same for origin)."""
    kind = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    if not economy.strip():
        return _index(request, conn)
    try:
        code = resolve_country(economy[:60])
    except TradewindError as exc:
        return _index(request, conn, str(exc), exc.status_code, economy[:60])
    return RedirectResponse(url_for_lang(request, f"/stats/{kind}/{code}"), status_code=303)

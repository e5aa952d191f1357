"""Home page, data sources page and health check."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from tradewind import i18n
from tradewind.datasets.queries import all_datasets
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")


@router.get("/data-sources", response_class=HTMLResponse)
def data_sources(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "data_sources.html", {"datasets": all_datasets(conn)})


@router.get("/language/{lang}")
def choose_language(request: Request, lang: str, next: str = "/") -> RedirectResponse:
    """Remembers a language choice in a cookie (the switcher also works through URLs)."""
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(("/" + lang + target) if lang in i18n.LANGUAGES else target,
                                status_code=303)
    if lang in i18n.LANGUAGES:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response

"""Home page, data sources page and health check."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from tradewind import i18n
from tradewind.datasets.queries import all_datasets
from tradewind.errors import NotFound
from tradewind.i18n import _
from tradewind.policy.recorder import AUDIENCE_COOKIE, USER_TYPES
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    chosen = request.cookies.get(AUDIENCE_COOKIE, "")
    return render(request, "home.html", {"audience": chosen if chosen in USER_TYPES else ""})


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


@router.get("/audience/{kind}")
def choose_audience(request: Request, kind: str, next: str = "/") -> RedirectResponse:
    """Remembers who the visitor says they are (business, advisor, public body).

    Only the category is kept, in the visitor's own cookie: the policy dashboard counts
    questions by audience without knowing who asked.  ``unknown`` forgets the choice.
    """
    if kind not in USER_TYPES:
        raise NotFound(_("There is no such audience: {kind}.").format(kind=kind[:40]))
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(getattr(request.state, "lang_prefix", "") + target,
                                status_code=303)
    if kind != "unknown":
        response.set_cookie(AUDIENCE_COOKIE, kind, max_age=365 * 24 * 3600, samesite="lax")
    else:
        response.delete_cookie(AUDIENCE_COOKIE)
    return response

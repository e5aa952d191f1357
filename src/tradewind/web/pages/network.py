"""The directory of organisations that help: search by country and service, CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from tradewind import i18n
from tradewind.countries.reference import country_name
from tradewind.ingest.network_csv import export_network_csv
from tradewind.network.queries import KINDS, SERVICES, parse_need, search_organisations
from tradewind.network.queries import served_countries as _served
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


def resolve_filters(q: str, country: str, service: str, lang: str
                    ) -> tuple[str | None, str | None, str]:
    """Explicit filters win; otherwise a question names the country and the service."""
    words = q
    if q and not (country and service):
        need = parse_need(q, lang)
        country = country or (need.country or "")
        service = service or (need.service or "")
        words = need.words
    return (country.upper() or None, service if service in SERVICES else None, words)


@router.get("/network", response_class=HTMLResponse)
def network(request: Request, country: str = "", service: str = "", kind: str = "",
            conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    q = request.query_params.get("q", "")[:200]
    iso3, svc, words = resolve_filters(q, country[:5], service, lang)
    orgs = search_organisations(conn, iso3, svc, words, kind if kind in KINDS else None,
                                lang=lang)
    countries = sorted(((c, country_name(c, lang)) for c in _served(conn)), key=lambda p: p[1])
    return render(request, "network/index.html", {
        "orgs": orgs, "q": q, "country": iso3 or "", "service": svc or "", "kind": kind,
        "countries": countries, "services": SERVICES, "kinds": KINDS,
        "searched": bool(q or country or service or kind),
        "country_names": lambda codes: sorted(country_name(c, lang) for c in codes),
    })


@router.get("/network.csv")
def network_csv(conn: Connection = Depends(get_conn)) -> Response:
    return Response(export_network_csv(conn), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="network.csv"'})

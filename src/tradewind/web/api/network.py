"""API: organisations that help, by country and service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.network.queries import SERVICES, check_country, parse_need, search_organisations
from tradewind.web.deps import get_conn

router = APIRouter(tags=["network"])


@router.get("/network", summary="Organisations serving a country and offering a service")
def network(country: str | None = None, service: str | None = None,
            q: str = Query("", max_length=200),
            conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    words = q
    if q and not (country and service):
        need = parse_need(q)
        country = country or need.country
        service = service or need.service
        words = need.words
    if country:
        try:
            country = check_country(country)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
    if service and service not in SERVICES:
        raise InvalidInput(N_("unknown service %(service)r; one of: %(services)s"),
                           service=service, services=', '.join(SERVICES))
    orgs = search_organisations(conn, country, service, words)
    return {"country": country, "service": service,
            "organisations": [o.as_dict() for o in orgs]}

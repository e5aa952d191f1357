"""API: organisations that help, by country and service."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.errors import InvalidInput, UnknownValue
from tradewind.i18n import lazy_noop as N_
from tradewind.network.queries import SERVICES, check_country, parse_need, search_organisations
from tradewind.web.api.contract import problems
from tradewind.web.deps import get_conn

router = APIRouter(tags=["network"])
SERVICE_NAMES = tuple(SERVICES)


@router.get("/network", summary="Organisations serving a country and offering a service",
            responses=problems({404: "Unknown country (problem JSON)"}))
def network(country: str | None = Query(None, pattern=r"^([A-Za-z]{3}|WORLD|world)$",
                                        description="ISO3 code or WORLD; unknown: 404",
                                        examples=["KEN"]),
            service: Literal[SERVICE_NAMES] | None = Query(None),  # type: ignore[valid-type]
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
        except ValueError:
            raise UnknownValue(N_("unknown country %(value)r: use an ISO code such as KEN"),
                               value=country, field="country") from None
    if service and service not in SERVICES:
        raise InvalidInput(N_("unknown service %(service)r; one of: %(services)s"),
                           service=service, services=', '.join(SERVICES))
    orgs = search_organisations(conn, country, service, words)
    return {"country": country, "service": service,
            "organisations": [o.as_dict() for o in orgs]}

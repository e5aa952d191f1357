"""Pages: duties and market access, landed cost, trade agreements.

Plain GET forms (bookmarkable, work without JavaScript).  Handlers parse input and call
``tradewind.access`` / ``tradewind.costs`` / ``tradewind.agreements.queries``; a problem with
the input re-shows the form with the message (4xx), never a 500.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind import i18n
from tradewind.access import market_access
from tradewind.access.answer import economy_label, resolve_economy
from tradewind.access.requests import CostForm, parse_date
from tradewind.access.unions import member_state_choices
from tradewind.agreements.queries import (
    agreements_between,
    get_agreement,
    list_agreements,
    list_groups,
    origin_rules_for,
    parties_of,
)
from tradewind.costs.incoterms import INCOTERMS
from tradewind.costs.service import landed_cost
from tradewind.countries.reference import all_countries, country_name
from tradewind.datasets.queries import Provenance, dataset_by_id
from tradewind.errors import NotFound, TradewindError
from tradewind.i18n import lazy_noop as N_
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_conn
from tradewind.web.templating import field_errors, render, url_for_lang

router = APIRouter()
UNITS = ("kg", "t", "g", "l", "hl", "pcs", "doz", "pair", "m2", "m3", "pf_l")
CURRENCIES = ("USD", "EUR", "GBP", "KES", "INR", "BRL", "JPY", "CNY", "ZAR", "CAD")


def _economies(conn: Connection) -> list[tuple[str, str]]:
    lang = i18n.current_language.get()
    countries = sorted(((c["iso3"], country_name(c["iso3"], lang)) for c in all_countries(conn)),
                       key=lambda pair: pair[1])
    groups = [(g.code, f"{economy_label(g.code)} ({g.code})") for g in list_groups(conn)]
    return groups + countries


def _text(request: Request, name: str, limit: int = 60) -> str:
    return request.query_params.get(name, "").strip()[:limit]


def _looks_like_words(product: str) -> bool:
    """"roasted coffee" → the finder; "0901.1x" is a mistyped code, answered with an error."""
    return bool(re.search(r"[^\W\d_]{2,}", product)) or not re.search(r"\d", product)


def _agreement_sources(conn: Connection, dataset_ids: set[int | None]) -> list[Provenance]:
    out = []
    for dataset_id in sorted(i for i in dataset_ids if i is not None):
        found = dataset_by_id(conn, dataset_id)
        if found is not None:
            out.append(found)
    return out


@router.get("/tariffs", response_class=HTMLResponse)
def tariffs_form(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    values = {name: _text(request, name) for name in ("product", "origin", "destination", "date")}
    return render(request, "tariffs/index.html",
                  {"economies": _economies(conn), "values": values, "error": None,
                   "member_states": member_state_choices(conn)})


@router.get("/tariffs/access", response_class=HTMLResponse)
@observe("access")
def access_page(request: Request, conn: Connection = Depends(get_conn)) -> Response:
    values = {name: _text(request, name)
              for name in ("product", "origin", "destination", "date", "member_state")}
    if not any(values.values()):
        return RedirectResponse(url_for_lang(request, "/tariffs"), status_code=303)
    if values["product"] and _looks_like_words(values["product"]):
        # Words go through the finder, which links back here with the user's other choices.
        carried = {k: values[k] for k in ("origin", "destination", "date", "member_state")
                   if values[k]}
        return RedirectResponse(url_for_lang(request, "/hs/search?" + urlencode(
            {"q": values["product"][:200], **carried})), status_code=303)
    if values["product"] and not (values["origin"] and values["destination"]):
        # Links from code pages and search results carry only the product: ask the rest.
        return render(request, "tariffs/index.html",
                      {"economies": _economies(conn), "values": values, "error": None,
                       "member_states": member_state_choices(conn)})
    try:
        answer = market_access(conn, values["product"], values["origin"],
                               values["destination"], parse_date(values["date"]),
                               member_state=values["member_state"] or None)
    except TradewindError as exc:
        return render(request, "tariffs/index.html",
                      {"economies": _economies(conn), "values": values, "error": str(exc),
                       "errors": field_errors(exc, default="product"),
                       "member_states": member_state_choices(conn)},
                      status_code=exc.status_code)
    cost_link = "/tariffs/cost?" + urlencode({
        "product": answer.product, "origin": answer.origin, "destination": answer.destination,
        "date": answer.as_of.isoformat(), "incoterm": "FOB", "currency": "USD",
        **({"member_state": answer.member_state} if answer.member_state else {})})
    return render(request, "tariffs/access.html", {
        "answer": answer, "values": values, "economies": _economies(conn),
        "member_states": member_state_choices(conn, answer.as_of),
        "cost_link": cost_link, "origin_name": economy_label(answer.origin),
        "destination_name": economy_label(answer.destination)})


def _cost_form(request: Request) -> CostForm:
    params = request.query_params
    return CostForm(
        product=_text(request, "product", 40), origin=_text(request, "origin"),
        destination=_text(request, "destination"),
        incoterm=_text(request, "incoterm", 20) or "FOB", value=_text(request, "value", 30),
        currency=_text(request, "currency", 10) or "USD",
        freight=_text(request, "freight", 30), insurance=_text(request, "insurance", 30),
        export_costs=_text(request, "export_costs", 30), quantity=_text(request, "quantity", 30),
        unit=_text(request, "unit", 20), result_currency=_text(request, "result_currency", 10),
        date=_text(request, "date", 10),
        other_label=tuple(v[:80] for v in params.getlist("other_label")[:10]),
        other_amount=tuple(v[:30] for v in params.getlist("other_amount")[:10]),
        # the form sends a hidden "0" then the ticked checkbox's "1": the last value wins
        preference=(params.getlist("preference") or ["1"])[-1] not in ("0", "false", "no", "off"))


@router.get("/tariffs/cost", response_class=HTMLResponse)
@observe("cost")
def cost_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    form = _cost_form(request)
    context: dict[str, Any] = {"form": form, "economies": _economies(conn),
                               "incoterms": list(INCOTERMS.values()), "units": UNITS,
                               "currencies": CURRENCIES, "result": None, "answer": None,
                               "error": None, "line": _text(request, "line", 14),
                               "member_state": _text(request, "member_state"),
                               "member_states": member_state_choices(conn)}
    status = 200
    if not form.is_empty:
        try:
            result, answer = landed_cost(
                conn, form.inputs(request.app.state.settings.insurance_rate_percent),
                national_code=context["line"] or None,
                member_state=context["member_state"] or None)
            context.update(result=result, answer=answer,
                           destination_name=economy_label(answer.destination),
                           origin_name=economy_label(answer.origin))
        except TradewindError as exc:
            context["error"] = str(exc)
            context["errors"] = field_errors(exc, default="product")
            status = exc.status_code
    return render(request, "tariffs/cost.html", context, status_code=status)


@router.get("/agreements", response_class=HTMLResponse)
def agreements_page(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    economy_text = _text(request, "economy")
    a_text, b_text = _text(request, "a"), _text(request, "b")
    date_text = _text(request, "date", 10)
    context: dict[str, Any] = {"economies": _economies(conn), "economy": economy_text,
                               "a": a_text, "b": b_text, "date": date_text, "error": None,
                               "links": None, "agreements": [], "pair": None}
    status = 200
    try:
        day = parse_date(date_text) if date_text else None
        if a_text or b_text:
            code_a, code_b = resolve_economy(conn, a_text), resolve_economy(conn, b_text)
            context["links"] = agreements_between(conn, code_a, code_b, day)
            context["pair"] = (economy_label(code_a), economy_label(code_b),
                               (day or parse_date(None)).isoformat())
        code = resolve_economy(conn, economy_text) if economy_text else None
        context["agreements"] = list_agreements(conn, code, day, limit=500)
        context["economy_name"] = economy_label(code) if code else ""
    except TradewindError as exc:
        context["error"] = str(exc)
        status = exc.status_code
    infos = context["agreements"] + [link.agreement for link in context["links"] or []]
    context["sources"] = _agreement_sources(conn, {i.dataset_id for i in infos})
    return render(request, "tariffs/agreements.html", context, status_code=status)


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(request: Request, agreement_id: int = Path(..., ge=1, le=2**31 - 1),
                   conn: Connection = Depends(get_conn)) -> HTMLResponse:
    info = get_agreement(conn, agreement_id)
    if info is None:
        raise NotFound(N_("no agreement %(agreement_id)s"), agreement_id=agreement_id)
    parties = [(p, economy_label(p.party)) for p in parties_of(conn, agreement_id)]
    return render(request, "tariffs/agreement.html", {
        "agreement": info, "parties": parties, "rules": origin_rules_for(conn, agreement_id),
        "sources": _agreement_sources(conn, {info.dataset_id})})

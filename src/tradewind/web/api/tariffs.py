"""API: market-access answer, landed cost, tariff lines, agreements, currency conversion.

Every response built on tariff data carries ``sample`` and ``provenance``.  Query parameters
are read as text and validated by the library, so bad input is a 4xx problem, never a 500.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import StringConstraints
from sqlalchemy import Connection

from tradewind.access import market_access
from tradewind.access.answer import parse_product, resolve_economy
from tradewind.access.requests import CostForm, parse_date, require
from tradewind.agreements.queries import (
    AgreementInfo,
    agreements_between,
    get_agreement,
    list_agreements,
    origin_rules_for,
    parties_of,
)
from tradewind.costs.incoterms import INCOTERMS
from tradewind.costs.service import landed_cost, parse_amount
from tradewind.datasets.queries import dataset_by_id
from tradewind.errors import InvalidInput, NotFound
from tradewind.fx.rates import convert, known_currencies
from tradewind.i18n import lazy_noop as N_
from tradewind.settings import Settings
from tradewind.tariffs.queries import mfn_rates, quotas, schedule_provenance
from tradewind.web.api.contract import problems
from tradewind.web.api.params import (
    AMOUNT_PATTERN,
    HS_LINE_PATTERN,
    MAX_ID,
    amount,
    currency,
    day,
    economy,
    hs_code,
)
from tradewind.web.api.params import economy as economy_param
from tradewind.web.deps import get_conn, get_settings

router = APIRouter(tags=["tariffs"])
INCOTERM_CODES = tuple(INCOTERMS)
POSITIVE = r"^([1-9][0-9]{0,14}([.][0-9]{1,6})?|0[.][0-9]{0,5}[1-9])$"
ACCESS_ERRORS = problems({
    404: "Unknown economy, or product not in HS 2022 (problem JSON)",
    422: "A parameter breaks the schema; or `conflicting_input`: origin and destination are "
         "the same economy, a member state without a customs union (problem JSON)"})
COST_ERRORS = problems({
    404: "Unknown economy, product not in HS 2022, national line not under the product, or no "
         "exchange rate for the currency (problem JSON)",
    422: "A parameter breaks the schema; or `conflicting_input`: origin and destination are the "
         "same, a quantity without its unit, freight and insurance above the price (problem "
         "JSON)"})
ECONOMY_ERRORS = problems({404: "Unknown economy, or code not in HS 2022 (problem JSON)"})


def agreement_dict(info: AgreementInfo) -> dict[str, Any]:
    return {
        "id": info.id, "code": info.code, "name": info.name, "type": info.type,
        "status": info.status, "coverage": info.coverage,
        "signed_date": info.signed_date.isoformat() if info.signed_date else None,
        "entry_into_force": info.entry_into_force.isoformat() if info.entry_into_force else None,
        "end_date": info.end_date.isoformat() if info.end_date else None,
        "wto_notified": info.wto_notified, "legal_text_url": info.legal_text_url or None,
        "source": info.source,
    }


def _agreement_provenance(conn: Connection, infos: list[AgreementInfo]) -> list[dict[str, Any]]:
    out = []
    for dataset_id in sorted({i.dataset_id for i in infos if i.dataset_id is not None}):
        found = dataset_by_id(conn, dataset_id)
        if found is not None:
            out.append(found.as_dict())
    return out


@router.get("/tariffs/access", summary="Market-access answer for a product, origin, "
            "destination and date", responses=ACCESS_ERRORS)
def access(product: str = hs_code(pattern=HS_LINE_PATTERN,
                                  description="HS subheading or national line (6–10 digits)"),
           origin: str = economy(), destination: str = economy(example="FRA"),
           date: str | None = day(),
           member_state: str | None = economy(
               None, description="member state of import, when the destination is a customs "
                                 "union", example="FRA"),
           conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    return market_access(conn, product, origin, destination, parse_date(date),
                         member_state=member_state).as_dict()


@router.get("/tariffs/cost", summary="Landed cost, line by line with formulas",
            responses=COST_ERRORS)
def cost(product: str = hs_code(pattern=HS_LINE_PATTERN,
                                description="HS subheading or national line (6–10 digits)"),
         origin: str = economy(), destination: str = economy(example="FRA"),
         incoterm: Literal[INCOTERM_CODES] = Query(  # type: ignore[valid-type]
             "FOB", description="Incoterms 2020 rule"),
         value: str = Query(..., pattern=POSITIVE, max_length=22,
                            description="goods value, more than 0", examples=["10000"]),
         currency: str = currency("USD"),
         freight: str | None = amount(None, description="freight cost"),
         insurance: str | None = amount(None, description="insurance (empty: estimated)"),
         export_costs: str | None = amount(None, description="export costs (EXW)"),
         quantity: str | None = Query(None, pattern=POSITIVE, max_length=22,
                                      description="quantity, more than 0 (give `unit` too)"),
         unit: str | None = Query(None, min_length=1, max_length=20,
                                  pattern=r"^[A-Za-z0-9][A-Za-z0-9 ./²³-]{0,19}$",
                                  description="unit of the quantity (kg, l, pcs…)"),
         result_currency: str | None = currency(None, description="currency of the result"),
         date: str | None = day(),
         line: str | None = Query(None, pattern=r"^[0-9]{8}([0-9]{2})?$",
                                  description="national tariff line (default: the first); "
                                              "not under the product: 404"),
         preference: bool = Query(True, description="use the lowest preferential rate"),
         other_label: list[Annotated[str, StringConstraints(max_length=80)]] = Query(
             [], max_length=10, description="labels of other charges"),
         other_amount: list[Annotated[str, StringConstraints(pattern=AMOUNT_PATTERN,
                                                             max_length=22)]] = Query(
             [], max_length=10, description="amounts of other charges (same order)"),
         member_state: str | None = economy(
             None, description="member state of import, when the destination is a customs "
                               "union", example="FRA"),
         conn: Connection = Depends(get_conn),
         settings: Settings = Depends(get_settings)) -> dict[str, Any]:
    form = CostForm(product=product, origin=origin, destination=destination, incoterm=incoterm,
                    value=value, currency=currency, freight=freight, insurance=insurance,
                    export_costs=export_costs, quantity=quantity, unit=unit,
                    result_currency=result_currency, date=date,
                    other_label=tuple(other_label), other_amount=tuple(other_amount),
                    preference=preference)
    result, answer = landed_cost(conn, form.inputs(settings.insurance_rate_percent),
                                 national_code=line, member_state=member_state)
    body = result.as_dict()
    body["provenance"] = [p.as_dict() for p in answer.provenance]
    body["sample"] = result.is_sample or answer.is_sample
    return body


@router.get("/tariffs/incoterms", summary="The eleven Incoterms 2020 rules and what the "
            "seller's price includes")
def incoterms() -> list[dict[str, Any]]:
    return [{"code": t.code, "name": t.name, "group": t.group, "sea_only": t.sea_only,
             "export_clearance": t.export_clearance, "main_carriage": t.main_carriage,
             "insurance": t.insurance, "to_destination": t.to_destination,
             "unloading": t.unloading, "import_duties": t.import_duties}
            for t in INCOTERMS.values()]


@router.get("/tariffs/lines", summary="National tariff lines and MFN/quota rates under an HS6 code",
            responses=ECONOMY_ERRORS)
def lines(destination: str = economy(example="FRA"),
          hs6: str = hs_code(pattern=HS_LINE_PATTERN, description="HS subheading"),
          as_of: str | None = day(),
          conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    day = parse_date(as_of)
    code = parse_product(hs6)
    economy = resolve_economy(conn, destination)
    schedules = schedule_provenance(conn, economy, day)
    rows = []
    for rate in mfn_rates(conn, economy, code, day) + quotas(conn, economy, code, None, day):
        rows.append({"national_code": rate.national_code, "description": rate.description,
                     "unit": rate.unit, "rate_type": rate.rate_type, "scheme": rate.scheme,
                     "duty_text": rate.duty.text, "formatted": rate.duty.formatted(),
                     "parse_ok": rate.duty.parse_ok,
                     "quota_volume": rate.quota_volume, "quota_unit": rate.quota_unit,
                     "valid_from": rate.valid_from.isoformat() if rate.valid_from else None,
                     "valid_to": rate.valid_to.isoformat() if rate.valid_to else None})
    used = schedules[0] if schedules else None
    return {
        "destination": economy, "hs6": code, "as_of": day.isoformat(),
        "schedule": ({"id": used.schedule.id, "economy": used.schedule.economy,
                      "name": used.schedule.name, "currency": used.schedule.currency}
                     if used else None),
        "lines": rows,
        "sample": bool(used and used.provenance.is_sample),
        "provenance": [used.provenance.as_dict()] if used else [],
    }


@router.get("/agreements", summary="Trade agreements, optionally those an economy takes part in",
            responses=problems({404: "Unknown economy (problem JSON)"}))
def agreements(economy: str | None = economy_param(None),
               as_of: str | None = day(),
               limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=1_000_000),
               conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    code = resolve_economy(conn, economy) if economy and economy.strip() else None
    day = parse_date(as_of) if (as_of or code) else None
    infos = list_agreements(conn, code, day, limit=limit, offset=offset)
    return {"economy": code, "as_of": day.isoformat() if day else None,
            "agreements": [agreement_dict(i) for i in infos],
            "sample": any(i.source == "sample" for i in infos),
            "provenance": _agreement_provenance(conn, infos)}


@router.get("/agreements/between", summary="Agreements linking two economies on a date",
            responses=problems({404: "Unknown economy (problem JSON)"}))
def between(a: str = economy_param(), b: str = economy_param(example="FRA"),
            as_of: str | None = day(),
            conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    day = parse_date(as_of)
    code_a, code_b = resolve_economy(conn, a), resolve_economy(conn, b)
    links = agreements_between(conn, code_a, code_b, day)
    infos = [link.agreement for link in links]
    return {"a": code_a, "b": code_b, "as_of": day.isoformat(),
            "agreements": [{**agreement_dict(link.agreement), "party_a": link.party_a,
                            "party_b": link.party_b} for link in links],
            "sample": any(i.source == "sample" for i in infos),
            "provenance": _agreement_provenance(conn, infos)}


@router.get("/agreements/{agreement_id}", summary="One agreement: parties, dates, origin rules",
            responses=problems({404: "No agreement with this id (problem JSON)"}))
def agreement(agreement_id: int = Path(..., ge=1, le=MAX_ID), conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    info = get_agreement(conn, agreement_id)
    if info is None:
        raise NotFound(N_("no agreement %(agreement_id)s"), agreement_id=agreement_id)
    rules = origin_rules_for(conn, agreement_id)
    return {**agreement_dict(info),
            "parties": [{"party": p.party,
                         "entry_date": p.entry_date.isoformat() if p.entry_date else None,
                         "exit_date": p.exit_date.isoformat() if p.exit_date else None}
                        for p in parties_of(conn, agreement_id)],
            "origin_rules": ({"general_rule": rules.general_rule, "cumulation": rules.cumulation,
                              "proof_of_origin": rules.proof_of_origin,
                              "legal_text_url": rules.legal_text_url, "notes": rules.notes}
                             if rules else None),
            "sample": info.source == "sample",
            "provenance": _agreement_provenance(conn, [info])}


@router.get("/fx/convert", summary="Convert an amount with the imported exchange rates",
            responses=problems({404: "No exchange rate known for a currency (problem JSON)"}))
def fx_convert(amount: str = amount(),
               from_: str = currency(alias="from"),
               to: str = currency(description="ISO 4217 code; no rate known: 404"),
               date: str | None = day(),
               conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    value = parse_amount(amount, "amount", required=True)
    assert value is not None
    if value < 0:
        raise InvalidInput(N_("amount cannot be negative"))
    result = convert(conn, value, require(from_, "from"), require(to, "to"), parse_date(date))
    body = result.as_dict()
    body["provenance"] = [p.as_dict() for i in result.dataset_ids
                          if (p := dataset_by_id(conn, i)) is not None]
    return body


@router.get("/fx/currencies", summary="Currencies with imported exchange rates")
def fx_currencies(conn: Connection = Depends(get_conn)) -> list[str]:
    return known_currencies(conn)

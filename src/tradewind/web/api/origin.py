"""API: rules-of-origin self-assessment (``POST /api/v1/origin-check``).

The same check as the page: the agreement's product-specific rule (or ``rule`` when none is
recorded), materials from the origin originating, from the other parties by cumulation.
Reasons come as message id + parameters + text in the request's language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection

from tradewind.errors import InvalidCode
from tradewind.i18n import gettext
from tradewind.nomenclature.codes import normalize_code
from tradewind.origin.assess import explain
from tradewind.origin.check import OriginRequest, run_check
from tradewind.web.api.contract import problems
from tradewind.web.api.params import HS6_PATTERN, HS_PATTERN, ISO3_PATTERN
from tradewind.web.deps import get_conn

router = APIRouter(tags=["origin"])

ECONOMY = ISO3_PATTERN
#: JSON types as written (no "12" for 12, no 1 for true), unknown fields refused.
STRICT = ConfigDict(extra="forbid", strict=True)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _hs(value: str | None, lengths: tuple[int, ...] = (2, 4, 6)) -> str | None:
    """Normalised HS code; :class:`InvalidCode` becomes a ValueError so pydantic reports it."""
    if not value:
        return None
    try:
        code = normalize_code(value)
    except InvalidCode as exc:
        raise ValueError(str(exc)) from None
    if len(code) not in lengths:
        raise ValueError("give the 6-digit HS subheading")
    return code


class MaterialIn(BaseModel):
    model_config = STRICT

    hs: str | None = Field(None, min_length=2, max_length=16, pattern=HS_PATTERN,
                           description="HS code of the material (2, 4 or 6 digits)")
    value: float = Field(..., ge=0, lt=1e15, description="Value of the material")
    origin: str | None = Field(None, pattern=ECONOMY,
                               description="ISO3 code of where it comes from; null: unknown")

    @field_validator("hs")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return _hs(value)


class OriginCheckIn(BaseModel):
    """The product, its materials and the agreement; unknown fields are refused."""

    model_config = STRICT

    product: str = Field(..., min_length=6, max_length=7, pattern=HS6_PATTERN,
                         description="HS subheading, 6 digits")
    origin: str = Field(..., pattern=ECONOMY)
    destination: str | None = Field(None, pattern=ECONOMY)
    agreement: str | None = Field(None, min_length=1, max_length=60,
                                  description="Agreement code, rta:123; unknown: 404")
    price: float | None = Field(None, gt=0, lt=1e15, description="Ex-works price")
    wholly_obtained: bool | None = None
    materials: list[MaterialIn] = Field(default_factory=list, max_length=100)
    rule: str | None = Field(None, max_length=200,
                             description="Rule to use when the agreement data have none")
    tolerance_pct: float = Field(10, ge=0, le=100)

    @field_validator("product")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        code = _hs(value, (6,))
        assert code is not None  # min_length=2
        return code


class ReasonOut(BaseModel):
    msgid: str
    params: dict[str, str]
    text: str


class OriginCheckOut(BaseModel):
    verdict: str = Field(..., description="meets, does_not_meet or cannot_tell")
    agreement: str | None
    agreement_name: str | None
    choices: list[str]
    rule: str | None
    rule_code: str | None
    reasons: list[ReasonOut]
    missing: list[str]
    missing_text: list[str]
    proofs_of_origin: list[str]
    sample: bool = Field(..., description="True when the answer rests on SAMPLE data")
    provenance: list[dict[str, Any]]


@router.post("/origin-check", summary="Self-assess a product against a rule of origin",
             response_model=OriginCheckOut,
             responses=problems({404: "Unknown agreement (problem JSON)"}))
def origin_check(body: OriginCheckIn, conn: Connection = Depends(get_conn)) -> OriginCheckOut:
    req = OriginRequest(body.product, body.origin.upper(),
                        body.destination.upper() if body.destination else None,
                        body.agreement, _decimal(body.price), body.wholly_obtained,
                        [(m.hs, Decimal(str(m.value)), m.origin.upper() if m.origin else None)
                         for m in body.materials], body.rule, Decimal(str(body.tolerance_pct)))
    answer = run_check(conn, req)
    a = answer.check.assessment
    texts, missing = explain(a)
    return OriginCheckOut(
        verdict=a.verdict,
        agreement=answer.agreement.code if answer.agreement else None,
        agreement_name=answer.agreement.name if answer.agreement else None,
        choices=[c.code for c in answer.choices], rule=answer.check.rule_text,
        rule_code=answer.check.rule_code,
        reasons=[ReasonOut(msgid=m, params=p, text=t) for (m, p), t in zip(a.reasons, texts, strict=True)],
        missing=a.missing, missing_text=missing,
        proofs_of_origin=[gettext(p) for p in answer.check.proofs],
        sample=answer.check.is_sample,
        provenance=[p.as_dict() for p in answer.check.provenance])

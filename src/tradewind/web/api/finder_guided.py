"""API: the guided finder — candidates narrowed by answers, and the next question as data.

``GET /api/v1/hs/guided?q=shirts&a=wearer:men&a=construction:woven`` returns the ranked
candidates (each with its evidence: similar binding rulings, advisors' confirmations) and,
while the finder is unsure and fewer than three questions were answered, the next
question with its options.  Each option carries the ``answer`` string to send back as
another ``a`` parameter.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints

from tradewind.db import Database
from tradewind.finder.engine import MAX_QUERY_CHARS
from tradewind.finder.guided import MAX_QUESTIONS, guided_products, parse_answers
from tradewind.web.api.contract import problems
from tradewind.web.api.finder import WORDS, SearchOut, search_out
from tradewind.web.deps import get_db

router = APIRouter(tags=["hs codes"])
ANSWER = r"^[A-Za-z0-9_-]{1,40}:[A-Za-z0-9_.-]{1,40}$"


class EvidenceOut(BaseModel):
    kind: str = Field(description="ruling or confirmation")
    reference: str = Field(description="Ruling reference, or who confirmed the code")
    date: str
    text: str = Field(description="The ruling's or the confirmed description")
    similarity: float = Field(ge=0, le=1)
    source: str = Field(description="Dataset of the ruling, or the portal of a confirmation")
    in_force: bool
    status: str


class OptionOut(BaseModel):
    id: str
    label: str
    code: str = Field(description="Chapter, heading or subheading for group questions")
    answer: str = Field(description="Send back as an `a` parameter", examples=["roast:roasted"])


class QuestionOut(BaseModel):
    id: str = Field(examples=["construction"])
    text: str = Field(examples=["Is it knitted (or crocheted), or woven?"])
    options: list[OptionOut] = Field(description="The last one is “Other / don't know”")


class AnsweredOut(BaseModel):
    question: str
    option: str
    question_text: str
    option_label: str
    answer: str


class GuidedOut(BaseModel):
    search: SearchOut
    evidence: dict[str, list[EvidenceOut]] = Field(
        description="Per candidate code: similar rulings and advisors' confirmations")
    unsure: bool = Field(description="The top candidates are too close to call")
    asked: int
    max_questions: int
    answers: list[AnsweredOut]
    question: QuestionOut | None = Field(description="Next question, or null when done")


@router.get("/hs/guided", response_model=GuidedOut,
            responses=problems({404: "An answer names a question or option the finder does "
                                    "not have (problem JSON)"}))
def guided(q: str = Query(..., min_length=1, max_length=MAX_QUERY_CHARS,
                          pattern=WORDS,
                          description="Product description in plain words (EN, FR or ES)",
                          examples=["cotton shirts"]),
           a: list[Annotated[str, StringConstraints(pattern=ANSWER, max_length=80)]] = Query(
               default=[], max_length=MAX_QUESTIONS,
               description="Answers so far, `question:option`"),
           limit: int = Query(10, ge=1, le=50),
           db: Database = Depends(get_db)) -> GuidedOut:
    """Find HS 2022 subheadings, asking up to three questions when unsure."""
    result = guided_products(db, q, parse_answers(a), limit=limit)
    data = result.as_dict()
    return GuidedOut(
        search=search_out(result.result),
        evidence={c.code: [EvidenceOut(**e.as_dict()) for e in c.evidence]
                  for c in result.result.candidates if c.evidence},
        **data)  # type: ignore[arg-type]

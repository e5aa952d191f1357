"""API: product finder, plain words (or a code) → ranked HS 2022 subheadings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from tradewind.db import Database
from tradewind.finder import FinderResult, search_products
from tradewind.finder.engine import MAX_QUERY_CHARS
from tradewind.web.deps import get_db

router = APIRouter(tags=["hs codes"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
#: A query needs at least one letter or digit (Latin scripts: EN, FR, ES).
WORDS = "[0-9A-Za-zÀ-ɏ]"


class PathStepOut(BaseModel):
    level: str = Field(examples=["heading"])
    code: str = Field(examples=["0901"])
    description: str


class CandidateOut(BaseModel):
    code: str = Field(examples=["090121"])
    display: str = Field(examples=["0901.21"])
    description: str
    description_lang: str = Field("en", description="Language of `description`: en, or fr/es "
                                                    "where the operator imported descriptions")
    score: float
    path: list[PathStepOut] = Field(description="section › chapter › heading › subheading")
    reason: str = Field(description="Which words or synonyms matched")
    synonyms: list[str]
    sources: list[str] = Field(description="Where matched synonyms came from (provenance)")
    url: str = Field(examples=["/hs/090121"])


class RollupOut(BaseModel):
    code: str
    description: str
    confidence: float = Field(ge=0, le=1, description="Share of the pooled evidence")
    best: str = Field(description="Best subheading under this code")


class SearchOut(BaseModel):
    """Ranked candidates with roll-ups by heading and chapter."""

    query: str
    is_code: bool
    ambiguous: bool = Field(description="Short or ambiguous: alternatives from distinct "
                                        "headings are shown first")
    terms: list[str]
    corrections: dict[str, str]
    ignored: list[str]
    notes: list[str]
    candidates: list[CandidateOut]
    headings: list[RollupOut]
    chapters: list[RollupOut]


def search_out(result: FinderResult) -> SearchOut:
    """Convert the library result to the response model."""
    return SearchOut(
        query=result.query, is_code=result.is_code, ambiguous=result.ambiguous,
        terms=result.terms, corrections=result.corrections, ignored=result.ignored,
        notes=result.notes,
        candidates=[CandidateOut(
            code=c.code, display=c.display, description=c.description,
            description_lang=str(getattr(c.description, "lang", "en")), score=c.score,
            path=[PathStepOut(level=s.level, code=s.code, description=s.description)
                  for s in c.path],
            reason=c.reason, synonyms=c.synonyms, sources=c.sources, url=f"/hs/{c.code}",
        ) for c in result.candidates],
        headings=[RollupOut(code=h.code, description=h.description, confidence=h.confidence,
                            best=h.best) for h in result.headings],
        chapters=[RollupOut(code=h.code, description=h.description, confidence=h.confidence,
                            best=h.best) for h in result.chapters],
    )


@router.get("/hs/search", response_model=SearchOut,
            responses={422: {"description": "Empty or too long query (problem JSON)"}})
def search(q: str = Query(..., min_length=1, max_length=MAX_QUERY_CHARS,
                          pattern=WORDS,
                          description="Product description in plain words, or a code",
                          examples=["roasted coffee beans"]),
           limit: int = Query(10, ge=1, le=50),
           db: Database = Depends(get_db)) -> SearchOut:
    """Find HS 2022 subheadings for a product description."""
    return search_out(search_products(db, q, limit=limit))

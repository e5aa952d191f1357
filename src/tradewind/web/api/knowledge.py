"""API: guides, library and glossary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from tradewind.errors import NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge import queries as q
from tradewind.web.api.contract import problems
from tradewind.web.api.params import language, slug
from tradewind.web.deps import get_conn

router = APIRouter(tags=["guides, library, glossary"])


def _lang(lang: str) -> str:
    return lang  # the pattern of `language()` admits en, fr and es only


@router.get("/guides", summary="Guides in a language (English where a translation is missing)")
def guides(lang: str = language(), audience: str | None = Query(None, pattern="^(business|policy)$"),
           conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    out = []
    for g in q.list_guides(conn, _lang(lang), audience):
        d = g.as_dict()
        d.pop("body")
        out.append(d)
    return out


@router.get("/guides/{slug}", summary="One guide with its Markdown body",
            responses=problems({404: "No guide with this slug"}))
def guide(slug: str = slug(), lang: str = language(), conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    g = q.get_guide(conn, slug, _lang(lang))
    if g is None:
        raise NotFound(N_("no guide %(slug)r"), slug=slug)
    return g.as_dict()


@router.get("/library", summary="Library entries; filter by topic, type, organisation, language")
def library(q_: str = Query("", alias="q", max_length=200),
            topic: str | None = Query(None, max_length=200),
            type: str | None = Query(None, max_length=200),
            organisation: str | None = Query(None, max_length=200),
            language: str | None = Query(None, max_length=200),
            conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [e.as_dict() for e in q.search_library(conn, q_, topic, type, organisation, language)]


@router.get("/glossary", summary="Glossary terms, A–Z, optionally matching q")
def glossary(lang: str = language(), q_: str = Query("", alias="q", max_length=200),
             conn: Connection = Depends(get_conn)) -> list[dict[str, Any]]:
    return [t.as_dict() for t in q.list_terms(conn, _lang(lang), q_)]


@router.get("/glossary/{slug}", summary="One glossary term",
            responses=problems({404: "No term with this slug"}))
def term(slug: str = slug(), lang: str = language(), conn: Connection = Depends(get_conn)) -> dict[str, Any]:
    t = q.get_term(conn, slug, _lang(lang))
    if t is None:
        raise NotFound(N_("no glossary term %(slug)r"), slug=slug)
    return t.as_dict()

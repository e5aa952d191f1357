"""Guides (business / policymakers), the library and the glossary."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind import i18n
from tradewind.errors import NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge import queries as q
from tradewind.knowledge.markdown import render_markdown, term_index
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


@router.get("/guides", response_class=HTMLResponse)
def guides_index(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    guides = q.list_guides(conn, lang)
    return render(request, "knowledge/guides.html", {
        "business": [g for g in guides if g.audience == "business"],
        "policy": [g for g in guides if g.audience == "policy"],
    })


@router.get("/guides/{slug}", response_class=HTMLResponse)
@observe("guide")
def guide_page(request: Request, slug: str, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    guide = q.get_guide(conn, slug, lang)
    if guide is None:
        raise NotFound(N_("no guide %(slug)r"), slug=slug)
    index = term_index(q.autolink_index(conn, lang))
    body = Markup(render_markdown(guide.body, index, getattr(request.state, "lang_prefix", "")))
    siblings = q.list_guides(conn, lang, guide.audience)
    position = next((i for i, g in enumerate(siblings) if g.slug == slug), 0)
    return render(request, "knowledge/guide.html", {
        "guide": guide, "body": body,
        "previous": siblings[position - 1] if position > 0 else None,
        "next": siblings[position + 1] if position + 1 < len(siblings) else None,
    })


@router.get("/library", response_class=HTMLResponse)
@observe("library")
def library(request: Request, topic: str = "", type: str = "",
            organisation: str = "", language: str = "",
            conn: Connection = Depends(get_conn)) -> HTMLResponse:
    text = request.query_params.get("q", "")[:200]
    entries = q.search_library(conn, text, topic or None, type or None, organisation or None,
                               language or None, i18n.current_language.get())
    return render(request, "knowledge/library.html", {
        "entries": entries, "facets": q.library_facets(conn),
        "chosen": {"q": text, "topic": topic, "type": type, "organisation": organisation,
                   "language": language},
    })


@router.get("/glossary", response_class=HTMLResponse)
def glossary(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    text = request.query_params.get("q", "")[:200]
    terms = q.list_terms(conn, lang, text)
    letters: dict[str, list[q.Term]] = {}
    if not text:
        for t in terms:
            letters.setdefault(t.letter, []).append(t)
    return render(request, "knowledge/glossary.html", {
        "terms": terms, "letters": letters, "query": text,
    })


@router.get("/glossary/{slug}", response_class=HTMLResponse)
def term_page(request: Request, slug: str, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    lang = i18n.current_language.get()
    term = q.get_term(conn, slug, lang)
    if term is None:
        raise NotFound(N_("no glossary term %(slug)r"), slug=slug)
    see_also = q.terms_by_slug(conn, term.see_also, lang)
    linked = [t for t in q.terms_linking_to(conn, slug, lang) if t.slug not in term.see_also]
    return render(request, "knowledge/term.html", {
        "term": term, "see_also": see_also, "linked": linked,
    })

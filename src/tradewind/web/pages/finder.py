"""Page: the product finder (/hs/search), server-rendered, works without JavaScript.

Guided narrowing needs no script either: each answer is a form (radio buttons) carrying the
previous answers as hidden ``a`` fields, so the whole path lives in the query string.
Editors also see, under each candidate, forms to confirm or correct the code for the
description (POST with a CSRF token).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder.engine import MAX_QUERY_CHARS
from tradewind.finder.guided import guided_products, parse_answers
from tradewind.i18n import gettext as _
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_db
from tradewind.web.security import current_user, render_form, verify_csrf
from tradewind.web.templating import render, url_for_lang

router = APIRouter()

EXAMPLES = ("roasted coffee beans", "men's leather shoes", "shea butter body lotion",
            "woven cotton tablecloth", "solar panels", "0901.21")


#: Access-form fields carried through the finder: a product typed as words on the access form
#: comes back to the access answer with the origin, destination and date the user chose.
CARRIED = ("origin", "destination", "date", "member_state")


def _carried(request: Request) -> dict[str, str]:
    values = {name: (request.query_params.get(name) or "").strip()[:60] for name in CARRIED}
    return {k: v for k, v in values.items() if v}


def _phrases(carried: dict[str, str]) -> tuple[str, str] | None:
    """("from Kenya", "to the United States") for the carried codes, None if not both given."""
    from tradewind.i18n.grammar import country_phrase

    origin = carried.get("origin", "").upper()
    destination = carried.get("destination", "").upper()
    if not (len(origin) == len(destination) == 3 and (origin + destination).isalpha()):
        return None
    try:
        return country_phrase(origin, "from"), country_phrase(destination, "to")
    except (LookupError, ValueError):
        return None


def _search_url(request: Request, q: str, answers: list[str]) -> str:
    return url_for_lang(request, "/hs/search") + "?" + urlencode(
        [("q", q), *(("a", a) for a in answers), *_carried(request).items()])


@router.get("/hs/search", response_class=HTMLResponse)
@observe("finder")
def search_page(request: Request, q: str | None = None, limit: int = 10,
                a: list[str] = Query(default=[]),
                db: Database = Depends(get_db)) -> HTMLResponse:
    """The search form, and results when ``q`` is given (friendly errors for bad input)."""
    query = (q or "").strip()
    context: dict[str, object] = {"q": query[:MAX_QUERY_CHARS], "result": None, "error": None,
                                  "examples": EXAMPLES, "max_chars": MAX_QUERY_CHARS,
                                  "guided": None, "answer_links": [],
                                  "confirmed": request.query_params.get("confirmed", ""),
                                  "carried": _carried(request),
                                  "carried_phrases": _phrases(_carried(request))}
    status = 200
    if q is not None:
        try:
            guided = guided_products(db, query, parse_answers(a),
                                     limit=max(1, min(limit, 50)))
            context["result"] = guided.result
            context["guided"] = guided
            tokens = guided.tokens()
            # "Change" link for each answer: the path up to (not including) that answer.
            context["answer_links"] = [_search_url(request, query, tokens[:i])
                                       for i in range(len(tokens))]
        except InvalidInput as exc:
            context["error"] = str(exc)
            context["q"] = query[:MAX_QUERY_CHARS] if len(query) <= MAX_QUERY_CHARS else ""
            status = 422 if query else 400
            if not query:
                context["error"] = _("Please type a product description, for example "
                                     "“roasted coffee beans”.")
    user = current_user(request)
    if user is not None and user.can_edit:
        context["editor"] = user
        return render_form(request, "finder/search.html", context, status_code=status)
    return render(request, "finder/search.html", context, status_code=status)


@router.post("/hs/search/confirm")
async def confirm(request: Request, db: Database = Depends(get_db)) -> Response:
    """An editor confirms (or corrects) the code for the description searched."""
    from tradewind.finder.confirmations import record_confirmation

    form = await request.form()
    verify_csrf(request, form)
    user = current_user(request)
    if user is None or not user.can_edit:
        raise HTTPException(403, "Only editors can confirm codes.")
    q = str(form.get("q") or "").strip()
    answers = [str(v) for v in form.getlist("a")][:3]
    try:
        with db.transaction() as conn:
            record_confirmation(conn, description=q, code=str(form.get("code") or ""),
                                proposed=str(form.get("proposed") or ""), actor=user.email,
                                portal=str(request.app.state.settings.public_url),
                                note=str(form.get("note") or ""))
    except InvalidInput as exc:
        return RedirectResponse(_search_url(request, q, answers) + "&"
                                + urlencode({"confirmed": "error:" + str(exc)[:200]}),
                                status_code=303)
    return RedirectResponse(_search_url(request, q, answers) + "&confirmed=1", status_code=303)

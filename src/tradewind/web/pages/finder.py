"""Page: the product finder (/hs/search), server-rendered, works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind.db import Database
from tradewind.errors import InvalidInput
from tradewind.finder import search_products
from tradewind.finder.engine import MAX_QUERY_CHARS
from tradewind.i18n import gettext as _
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_db
from tradewind.web.templating import render

router = APIRouter()

EXAMPLES = ("roasted coffee beans", "men's leather shoes", "shea butter body lotion",
            "woven cotton tablecloth", "solar panels", "0901.21")


@router.get("/hs/search", response_class=HTMLResponse)
@observe("finder")
def search_page(request: Request, q: str | None = None, limit: int = 10,
                db: Database = Depends(get_db)) -> HTMLResponse:
    """The search form, and results when ``q`` is given (friendly errors for bad input)."""
    query = (q or "").strip()
    context: dict[str, object] = {"q": query[:MAX_QUERY_CHARS], "result": None, "error": None,
                                  "examples": EXAMPLES, "max_chars": MAX_QUERY_CHARS}
    status = 200
    if q is not None:
        try:
            context["result"] = search_products(db, query, limit=max(1, min(limit, 50)))
        except InvalidInput as exc:
            context["error"] = str(exc)
            context["q"] = query[:MAX_QUERY_CHARS] if len(query) <= MAX_QUERY_CHARS else ""
            status = 422 if query else 400
            if not query:
                context["error"] = _("Please type a product description, for example "
                                     "“roasted coffee beans”.")
    return render(request, "finder/search.html", context, status_code=status)

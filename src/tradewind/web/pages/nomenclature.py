"""Pages: the chapter browser (/hs), code pages (/hs/{code}) and edition conversion (/hs/convert).

Handlers only call the nomenclature package's named queries.  An invalid code gets a
friendly page naming the nearest valid codes (status 404 or 422), never a 500.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind.countries.reference import all_countries
from tradewind.errors import InvalidCode, TradewindError
from tradewind.nomenclature import concordance, queries
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.models import DEFAULT_EDITION, EDITIONS
from tradewind.nomenclature.report import code_report
from tradewind.nomenclature.translations import localise_conversion
from tradewind.policy.recorder import observe
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


class HSCodeConvertor(Convertor[str]):
    """Path segments that look like a code (start with a digit): "/hs/search" and
    "/hs/convert" stay free for their own routes, while "/hs/0901.2x" reaches the code page
    and gets suggestions."""

    regex = r"[0-9][0-9A-Za-z .\-]{0,39}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("hscode", HSCodeConvertor())


def _edition(text: str | None) -> str:
    return normalize_edition(text or DEFAULT_EDITION)


@router.get("/hs", response_class=HTMLResponse)
def browser(request: Request, edition: str | None = None,
            conn: Connection = Depends(get_conn)) -> HTMLResponse:
    """The 21 sections and their chapters."""
    chosen = _edition(edition)
    loaded = [e.edition for e in queries.editions_loaded(conn)]
    return render(request, "nomenclature/browser.html", {
        "edition": chosen,
        "editions": loaded,
        "groups": queries.sections_with_chapters(conn, chosen),
        "datasets": queries.edition_provenance(conn, chosen),
    })


def _edition_field(from_edition: str | None) -> str:
    """Which edition field an edition error is about: the source when it is unknown."""
    from tradewind.nomenclature.codes import normalize_edition

    try:
        normalize_edition(from_edition or DEFAULT_EDITION)
    except TradewindError:
        return "from_edition"
    return "to_edition"


@router.get("/hs/convert", response_class=HTMLResponse)
def convert_page(request: Request, code: str | None = None, from_edition: str | None = None,
                 to_edition: str | None = None,
                 conn: Connection = Depends(get_conn)) -> HTMLResponse:
    """A GET form: code + two editions → the corresponding codes and how they relate.

    ``from``/``to`` (the API's names, shown in docs/api.md) are accepted too."""
    from_edition = from_edition or request.query_params.get("from") or None
    to_edition = to_edition or request.query_params.get("to") or None
    linked = concordance.linked_editions(conn)
    context: dict[str, object] = {
        "code": code or "", "from_edition": from_edition or DEFAULT_EDITION,
        "to_edition": to_edition or next((e for e in linked if e != DEFAULT_EDITION), ""),
        "editions": linked or [DEFAULT_EDITION], "all_editions": EDITIONS,
        "result": None, "error": None, "error_field": "", "suggestions": [], "datasets": [],
    }
    status = 200
    if code:
        try:
            result = concordance.convert(conn, code, from_edition or DEFAULT_EDITION,
                                         to_edition or DEFAULT_EDITION)
            context["result"] = localise_conversion(conn, result)
            context["datasets"] = concordance.concordance_provenance(conn, result)
        except InvalidCode as exc:
            context["error"], context["suggestions"] = str(exc), exc.suggestions
            context["error_field"] = "code"
            status = exc.status_code
        except TradewindError as exc:
            # Editions that are unknown, the same, or not linked: the target edition's field.
            context["error"] = str(exc)
            context["error_field"] = exc.field or _edition_field(from_edition)
            status = exc.status_code
    return render(request, "nomenclature/convert.html", context, status_code=status)


@router.get("/hs/{code:hscode}", response_class=HTMLResponse)
@observe("hs_code")
def code_page(request: Request, code: str, edition: str | None = None,
              conn: Connection = Depends(get_conn)) -> HTMLResponse:
    """A chapter, heading or subheading: breadcrumbs, codes under it, notes, conversions."""
    chosen = _edition(edition)
    try:
        data = code_report(conn, code, chosen)
    except InvalidCode as exc:
        return render(request, "nomenclature/invalid.html", {
            "code": code, "edition": chosen, "error": str(exc), "reason": exc.reason,
            "suggestions": exc.suggestions,
        }, status_code=404 if "no such code" in exc.reason else 422)
    countries = all_countries(conn) if data.info.level == 6 else []
    return render(request, "nomenclature/code.html", {
        "r": data, "edition": chosen, "countries": countries,
        "datasets": data.sources,
        "digits_only": re.sub(r"\D", "", data.info.code),
    })

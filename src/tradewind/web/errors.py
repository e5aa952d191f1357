"""Error handlers: problem-details JSON under /api, friendly pages elsewhere; never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tradewind.errors import TradewindError
from tradewind.i18n import gettext as _
from tradewind.web.templating import render

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def _wants_json(request: Request) -> bool:
    path = getattr(request.state, "unprefixed_path", request.url.path)
    return path.startswith("/api/")


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status,
                               "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(request, "error.html", {"status": status, "title": title, "detail": detail},
                  status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TradewindError)
    async def tradewind_error(request: Request, exc: TradewindError) -> Response:
        body = exc.to_problem()
        if _wants_json(request):
            return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON)
        return _page(request, exc.status_code, _(exc.title), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            location = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            problems.append(f"{location}: {err.get('msg')}")
        detail = "; ".join(problems) or "invalid request"
        if _wants_json(request):
            return problem(422, "Invalid input", detail,
                           errors=[{"loc": list(e.get("loc", ())), "msg": e.get("msg")}
                                   for e in exc.errors()])
        return _page(request, 422, _("Please check what you entered"), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "Not found", 405: "Method not allowed", 403: "Forbidden",
                 429: "Too many requests"}.get(exc.status_code, "Error")
        detail = str(exc.detail) if exc.detail else title
        if _wants_json(request):
            return problem(exc.status_code, title, detail)
        if exc.status_code == 404:
            detail = _("We could not find that page.")
        return _page(request, exc.status_code, _(title), detail)

    @app.exception_handler(OverflowError)
    async def overflow_error(request: Request, exc: OverflowError) -> Response:
        # A number in the URL too large for the database's integers: bad input, not a bug.
        if _wants_json(request):
            return problem(422, "Invalid input", "a number in the request is too large")
        return _page(request, 422, _("Please check what you entered"),
                     _("A number in the address is too large."))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        if _wants_json(request):
            return problem(500, "Internal error", "Something went wrong on our side.")
        return _page(request, 500, _("Something went wrong"),
                     _("Something went wrong on our side. Please try again later."))

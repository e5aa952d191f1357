"""Error handlers: problem-details JSON under /api, friendly pages elsewhere; never a bare 500."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Mount

from tradewind.errors import TradewindError
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.web.templating import render

log = logging.getLogger(__name__)
_HTTP_PHRASES = {status.value: status.phrase for status in HTTPStatus}
PROBLEM_JSON = "application/problem+json"


def _wants_json(request: Request) -> bool:
    path = getattr(request.state, "unprefixed_path", request.url.path)
    return path.startswith("/api/")


#: HTTP errors raised by the framework or with a fixed detail: machine code and title.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", N_("Bad request")), 401: ("unauthorized", N_("Log in required")),
    403: ("forbidden", N_("Forbidden")), 404: ("not_found", N_("Not found")),
    405: ("method_not_allowed", N_("Method not allowed")),
    413: ("too_large", N_("Request too large")), 422: ("invalid_input", N_("Invalid input")),
    429: ("too_many_requests", N_("Too many requests")),
}

#: Request-validation errors by pydantic type: a sentence in the catalogues.
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": N_("this field is required"),
    "int_parsing": N_("enter a whole number"),
    "int_type": N_("enter a whole number"),
    "int_from_float": N_("enter a whole number"),
    "float_parsing": N_("enter a number"),
    "float_type": N_("enter a number"),
    "decimal_parsing": N_("enter a number"),
    "bool_parsing": N_("enter yes or no"),
    "date_parsing": N_("enter a date such as 2025-01-31"),
    "date_from_datetime_parsing": N_("enter a date such as 2025-01-31"),
    "string_too_long": N_("this text is too long"),
    "string_too_short": N_("this text is too short"),
    "greater_than_equal": N_("this number is too small"),
    "greater_than": N_("this number is too small"),
    "less_than_equal": N_("this number is too large"),
    "less_than": N_("this number is too large"),
    "literal_error": N_("this choice is not one of the allowed values"),
    "enum": N_("this choice is not one of the allowed values"),
    "json_invalid": N_("the request body is not valid JSON"),
    "model_attributes_type": N_("the request body must be a JSON object"),
    "dict_type": N_("the request body must be a JSON object"),
    "list_type": N_("a list is expected here"),
    "string_type": N_("text is expected here"),
}
INVALID_VALUE = N_("this value is not valid")


def validation_message(error: dict[str, object]) -> str:
    """One request-validation error in the current language."""
    return _(VALIDATION_MESSAGES.get(str(error.get("type")), INVALID_VALUE))


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status,
                               "detail": detail, "message": detail}
    body.update(extra)
    body.setdefault("code", HTTP_ERRORS.get(status, ("error", ""))[0])
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> str:
    """Every method some route answers on the request's path, for the ``Allow`` header
    (Starlette names only the first matching route's)."""
    allowed = []
    for method in METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes
               if not isinstance(route, Mount)):
            allowed.append(method)
    return ", ".join(allowed)


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(request, "error.html", {"status": status, "title": title, "detail": detail},
                  status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(TradewindError)
    async def tradewind_error(request: Request, exc: TradewindError) -> Response:
        body = exc.to_problem()
        if _wants_json(request):
            return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM_JSON)
        return _page(request, exc.status_code, _(exc.title), exc.message())

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        errors = []
        for err in exc.errors():
            location = ".".join(str(p) for p in err.get("loc", ())
                                if p not in ("body", "query", "path", "form"))
            message = validation_message(err)
            problems.append(f"{location}: {message}" if location else message)
            errors.append({"loc": list(err.get("loc", ())), "type": err.get("type"),
                           "msg": message, "field": location})
        detail = "; ".join(problems) or _(INVALID_VALUE)
        if _wants_json(request):
            single = {"field": errors[0]["field"]} if len(errors) == 1 else {}
            return problem(422, _("Invalid input"), detail, code="invalid_input",
                           errors=errors, **single)
        return _page(request, 422, _("Please check what you entered"), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, title = HTTP_ERRORS.get(exc.status_code, ("error", N_("Error")))
        # Details are message ids (marked with N_ where raised); framework ones are English.
        detail = _(str(exc.detail)) if exc.detail else _(title)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
        if _wants_json(request):
            if exc.detail == _HTTP_PHRASES.get(exc.status_code):
                detail = _(title)
            response = problem(exc.status_code, _(title), detail, code=code)
            for name, value in headers.items():
                response.headers[name] = value
            return response
        if exc.status_code == 404:
            detail = _("We could not find that page.")
        elif exc.detail == _HTTP_PHRASES.get(exc.status_code):
            detail = _(title)
        page = _page(request, exc.status_code, _(title), detail)
        for name, value in headers.items():
            page.headers[name] = value
        return page

    @app.exception_handler(OverflowError)
    async def overflow_error(request: Request, exc: OverflowError) -> Response:
        # A number in the URL too large for the database's integers: bad input, not a bug.
        if _wants_json(request):
            return problem(422, _("Invalid input"), _("A number in the address is too large."),
                           code="number_too_large")
        return _page(request, 422, _("Please check what you entered"),
                     _("A number in the address is too large."))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        if _wants_json(request):
            return problem(500, _("Something went wrong"),
                           _("Something went wrong on our side. Please try again later."),
                           code="internal_error")
        return _page(request, 500, _("Something went wrong"),
                     _("Something went wrong on our side. Please try again later."))

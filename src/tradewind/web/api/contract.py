"""The OpenAPI document tells every answer the API gives, errors included.

Routes declare the errors particular to them (``responses=problems({404: "…"})``); this
module adds what every operation can answer — 422 for a parameter the schema refuses, 429
when the client's rate limit is spent (with ``Retry-After``), 413 when a request body is
larger than ``max_body_bytes`` — and gives every 4xx its real body: RFC 9457 problem
details (``application/problem+json``) with the machine ``code`` and translated ``message``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/v1/"

#: The body of every error of the API (see :meth:`tradewind.errors.TradewindError.to_problem`).
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details, in the language of the request",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["about:blank"]},
        "title": {"type": "string", "examples": ["Not found"]},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What went wrong, in plain words"},
        "message": {"type": "string", "description": "Same as detail"},
        "code": {"type": "string", "description": "Stable machine code",
                 "examples": ["not_found", "invalid_input", "invalid_code"]},
        "field": {"type": "string", "description": "The parameter at fault"},
        "params": {"type": "object", "description": "Values inserted in the message"},
        "suggestions": {"type": "array", "items": {"type": "string"},
                        "description": "Nearest valid codes (invalid HS codes)"},
        "errors": {"type": "array", "items": {"type": "object"},
                   "description": "One entry per refused parameter (loc, type, msg, field)"},
    },
}
COMMON: dict[str, str] = {
    "422": "A parameter or the body breaks the schema (problem JSON)",
    "429": "Too many requests from this client; retry after `Retry-After` seconds",
    "413": "The request body is larger than the configured limit (max_body_bytes)",
    "400": "The request body is not valid JSON",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "required": True,
                               "schema": {"type": "integer", "minimum": 0}}}


def problems(codes: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: status → description (the body is added for all)."""
    return {status: {"description": text} for status, text in codes.items()}


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the common errors to every API operation and give each 4xx its problem body."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, item in schema.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if operation.get("parameters") or operation.get("requestBody"):
                responses.setdefault("422", {"description": COMMON["422"]})
            if operation.get("requestBody"):
                responses.setdefault("400", {"description": COMMON["400"]})
                responses.setdefault("413", {"description": COMMON["413"]})
            responses.setdefault("429", {"description": COMMON["429"]})
            responses["429"]["headers"] = RETRY_AFTER
            for status, response in responses.items():
                if status.startswith("4"):
                    if status == "422" and "Validation Error" in response.get("description", ""):
                        response["description"] = COMMON["422"]
                    response["content"] = _problem_content()
    for unused in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(unused, None)
    return schema


def install_contract(app: FastAPI) -> None:
    """Serve the completed document at ``app.openapi_url`` (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

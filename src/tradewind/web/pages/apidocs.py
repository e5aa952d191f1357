"""Short, guessable addresses for the API documentation (``/docs``, ``/openapi.json``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter()


@router.get("/docs")
@router.get("/api")
def api_docs() -> RedirectResponse:
    return RedirectResponse("/api/docs", status_code=308)


@router.get("/openapi.json")
def openapi_document() -> RedirectResponse:
    return RedirectResponse("/api/v1/openapi.json", status_code=308)

"""``/healthz`` (the process answers) and ``/readyz`` (database reachable, schema current)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tradewind.operations.health import readiness

router = APIRouter()


@router.get("/healthz")
def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    state = readiness(request.app.state.db)
    return JSONResponse(state.as_dict(), status_code=200 if state.ready else 503,
                        headers={"cache-control": "no-store"})

"""``/metrics`` for Prometheus (on by default; protect it with ``TRADEWIND_METRICS_TOKEN``)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from tradewind.operations.metrics import CONTENT_TYPE, render_metrics

router = APIRouter()


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    settings = request.app.state.settings
    if not settings.metrics_enabled:
        return JSONResponse({"title": "Not Found", "status": 404}, status_code=404)
    token = str(settings.metrics_token or "")
    if token:
        given = request.headers.get("authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return JSONResponse({"title": "Unauthorized", "status": 401}, status_code=401,
                                headers={"www-authenticate": "Bearer"})
    body = await run_in_threadpool(render_metrics, request.app.state.db)
    return Response(body, media_type=CONTENT_TYPE, headers={"cache-control": "no-store"})

"""The FastAPI application factory.

Pages (server-rendered, work without JavaScript) and the JSON API under ``/api/v1``.
Each feature contributes one module to :data:`PAGE_MODULES` and/or :data:`API_MODULES`,
each exposing ``router``.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from tradewind import __version__
from tradewind.db import Database
from tradewind.operations.requestlog import RequestLogMiddleware
from tradewind.settings import Settings
from tradewind.web.api.contract import install_contract
from tradewind.web.errors import install_error_handlers
from tradewind.web.hardening import HardeningMiddleware
from tradewind.web.language import LanguageMiddleware
from tradewind.web.ratelimit import RateLimitMiddleware

PAGE_MODULES: tuple[str, ...] = (
    "tradewind.web.pages.knowledge",
    "tradewind.web.pages.network",
    "tradewind.web.pages.champions",
    "tradewind.web.pages.workinggroup",
    "tradewind.web.pages.sitesearch",
    "tradewind.web.pages.accounts",
    "tradewind.web.pages.admin",
    "tradewind.web.pages.markets",
    "tradewind.web.pages.finder",
    "tradewind.web.pages.nomenclature",
    "tradewind.web.pages.tariffs",
    "tradewind.web.pages.home",
    # --- requirements (issue 9) ---
    "tradewind.web.pages.requirements_editor",
    "tradewind.web.pages.origin",
    "tradewind.web.pages.requirements",
    "tradewind.web.pages.notifications",
    # --- watch (issue 10) ---
    "tradewind.web.pages.watch",
    # --- right answers (issue 11) ---
    "tradewind.web.pages.answers",
    # --- operations (issue 12) ---
    "tradewind.web.pages.health",
    "tradewind.web.pages.apidocs",
    "tradewind.web.pages.metrics",
    # --- brief and MCP (issue 13) ---
    "tradewind.web.pages.brief",
    # --- policy (issue 14) ---
    "tradewind.web.pages.policy",
    # --- finder (issue 15) ---
)
API_MODULES: tuple[str, ...] = (
    "tradewind.web.api.knowledge",
    "tradewind.web.api.network",
    "tradewind.web.api.workinggroup",
    "tradewind.web.api.markets",
    "tradewind.web.api.finder",
    "tradewind.web.api.nomenclature",
    "tradewind.web.api.tariffs",
    "tradewind.web.api.meta",
    # --- requirements (issue 9) ---
    "tradewind.web.api.origin",
    "tradewind.web.api.requirements",
    "tradewind.web.api.notifications",
    # --- watch (issue 10) ---
    "tradewind.web.api.watch",
    # --- right answers (issue 11) ---
    # --- operations (issue 12) ---
    # --- brief and MCP (issue 13) ---
    "tradewind.web.api.brief",
    # --- policy (issue 14) ---
    "tradewind.web.api.policy",
    # --- finder (issue 15) ---
    "tradewind.web.api.finder_guided",
)

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings.load()
    db = db or Database(settings.database_url)
    app = FastAPI(
        title="Tradewind API",
        version=__version__,
        description="Trade information for small businesses: HS codes, tariffs, markets, "
                    "guides. Every figure carries its source; SAMPLE data are labelled.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.db = db
    install_error_handlers(app)
    install_contract(app)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for module_name in API_MODULES:
        app.include_router(import_module(module_name).router, prefix="/api/v1")
    for module_name in PAGE_MODULES:
        app.include_router(import_module(module_name).router, include_in_schema=False)
    # --- operations (issue 12) ---
    _warm_up_at_start(app, db)
    # --- brief and MCP (issue 13) ---
    from tradewind.assistant.http import mount_mcp

    mount_mcp(app, settings, db)
    # Innermost first: they see the path without its language prefix, and the matched route.
    app.add_middleware(RateLimitMiddleware, db=db,
                       api_per_minute=int(settings.rate_limit_api_per_minute),
                       forms_per_minute=int(settings.rate_limit_forms_per_minute))
    app.add_middleware(RequestLogMiddleware)
    app.add_middleware(LanguageMiddleware, default=settings.default_language)
    # Pages with inline SVG maps are large; compress for slow connections.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(HardeningMiddleware, hsts=bool(settings.tls_terminated),
                       max_body_bytes=int(settings.max_body_bytes))
    return app


def _warm_up_at_start(app: FastAPI, db: Database) -> None:
    """Builds the finder index in the lifespan (in a thread), before requests are accepted."""
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager
    from typing import Any

    from starlette.concurrency import run_in_threadpool

    from tradewind.operations.warmup import warm_up

    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[Any]:
        await run_in_threadpool(warm_up, db)
        async with previous(target) as state:
            yield state

    app.router.lifespan_context = lifespan

"""FastAPI dependencies: the database owner and settings stored on the app."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection
from starlette.requests import Request

from tradewind.db import Database
from tradewind.settings import Settings


def get_db(request: Request) -> Database:
    return request.app.state.db  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_conn(request: Request) -> Iterator[Connection]:
    """A read connection for the duration of one request."""
    db: Database = request.app.state.db
    with db.connect() as conn:
        yield conn

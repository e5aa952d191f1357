"""Small Business Champions showcase."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tradewind import i18n
from tradewind.champions.queries import list_editions
from tradewind.web.deps import get_conn
from tradewind.web.templating import render

router = APIRouter()


@router.get("/champions", response_class=HTMLResponse)
def champions(request: Request, conn: Connection = Depends(get_conn)) -> HTMLResponse:
    return render(request, "champions/index.html",
                  {"editions": list_editions(conn, i18n.current_language.get())})

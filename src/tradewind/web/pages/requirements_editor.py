"""``/admin/requirements/measures``: editors add, change, soft-delete and restore measures.

Thin handlers over :mod:`tradewind.requirements.editor`; every POST checks the CSRF token
first and needs a logged-in editor or admin.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind.db import Database
from tradewind.errors import NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.requirements import editor
from tradewind.web.deps import get_db
from tradewind.web.security import current_user, login_redirect, render_form, verify_csrf
from tradewind.web.templating import url_for_lang

router = APIRouter()
BASE = "/admin/requirements/measures"


@router.get(BASE, response_class=HTMLResponse)
def measures_list(request: Request, db: Database = Depends(get_db)) -> Response:
    if current_user(request) is None:
        return login_redirect(request)
    economy = request.query_params.get("economy", "").strip()[:3]
    q = request.query_params.get("q", "").strip()[:100]
    deleted = request.query_params.get("deleted") == "1"
    with db.connect() as conn:
        rows = editor.list_measures(conn, economy=economy, q=q, deleted=deleted)
    return render_form(request, "requirements/editor_list.html", {
        "rows": rows, "economy": economy, "q": q, "deleted": deleted, "base": BASE,
        "saved": request.query_params.get("saved", "")[:20]})


def _form(request: Request, values: dict[str, Any], errors: dict[str, str], measure_id: int,
          status_code: int = 200) -> HTMLResponse:
    return render_form(request, "requirements/editor_form.html", {
        "values": values, "errors": errors, "measure_id": measure_id, "base": BASE,
        "fields": editor.FIELDS, "mast_choices": editor.mast_choices()},
        status_code=status_code)


@router.get(BASE + "/new", response_class=HTMLResponse)
def new_measure(request: Request) -> Response:
    if current_user(request) is None:
        return login_redirect(request)
    return _form(request, {}, {}, 0)


@router.get(BASE + "/{measure_id}", response_class=HTMLResponse)
def edit_measure(request: Request, measure_id: int, db: Database = Depends(get_db)) -> Response:
    if current_user(request) is None:
        return login_redirect(request)
    with db.connect() as conn:
        values = editor.measure_values(conn, measure_id)
    if values is None:
        raise HTTPException(404, N_("no such measure"))
    return _form(request, values, {}, measure_id)


@router.post(BASE + "/save", response_class=HTMLResponse)
async def save_measure(request: Request, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    raw = {name: str(form.get(name) or "") for name in editor.FIELDS}
    try:
        measure_id = int(str(form.get("measure_id") or "0"))
    except ValueError:
        raise HTTPException(422, N_("bad measure id")) from None
    item, errors = editor.validate(raw)
    if item is None:
        return _form(request, raw, errors, measure_id, status_code=422)
    try:
        with db.transaction() as conn:
            saved = editor.save_measure(conn, measure_id or None, item, user.email)
    except NotFound as exc:
        return _form(request, raw, {"title": str(exc)}, measure_id, status_code=422)
    return RedirectResponse(url_for_lang(request, f"{BASE}?saved={saved}"), status_code=303)


async def _set_deleted(request: Request, measure_id: int, db: Database, deleted: bool
                       ) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    user = current_user(request)
    if user is None:
        return login_redirect(request)
    try:
        with db.transaction() as conn:
            editor.set_deleted(conn, measure_id, user.email, deleted)
    except NotFound:
        raise HTTPException(404, N_("no such measure")) from None
    target = f"{BASE}?deleted=1" if deleted else f"{BASE}?saved={measure_id}"
    return RedirectResponse(url_for_lang(request, target), status_code=303)


@router.post(BASE + "/{measure_id}/delete")
async def delete_measure(request: Request, measure_id: int,
                         db: Database = Depends(get_db)) -> Response:
    return await _set_deleted(request, measure_id, db, True)


@router.post(BASE + "/{measure_id}/restore")
async def restore_measure(request: Request, measure_id: int,
                          db: Database = Depends(get_db)) -> Response:
    return await _set_deleted(request, measure_id, db, False)

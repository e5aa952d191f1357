"""``/admin``: editors create and edit content with validation, a preview step and an
audit trail; they moderate feedback.  Admins also read the audit log."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException
from markupsafe import Markup
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from tradewind import i18n
from tradewind.accounts import User
from tradewind.audit import recent_changes, record_change
from tradewind.champions import queries as champions
from tradewind.db import Database
from tradewind.editing import deletion
from tradewind.errors import NotFound, TradewindError
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge import queries as knowledge
from tradewind.knowledge.fields import Spec, as_form, clean
from tradewind.knowledge.markdown import render_markdown, term_index
from tradewind.network import queries as network
from tradewind.web.deps import get_db
from tradewind.web.security import current_user, login_redirect, render_form, verify_csrf
from tradewind.web.templating import url_for_lang
from tradewind.workinggroup import queries as wg

router = APIRouter()


@dataclass(frozen=True)
class Editable:
    """One kind of record editors manage: how to list, read, key, save and show it."""

    spec: Spec
    keys: Callable[[Connection], list[tuple[str, str]]]
    read: Callable[[Connection, str], dict[str, Any] | None]
    key: Callable[[dict[str, Any]], str]
    save: Callable[[Connection, dict[str, Any], str, str | None], str]
    public: Callable[[dict[str, Any]], str]
    renamable: bool = False


def _plain(save: Callable[[Connection, dict[str, Any], str], str]
           ) -> Callable[[Connection, dict[str, Any], str, str | None], str]:
    return lambda conn, values, actor, _old: save(conn, values, actor)


def _check_recommendation(conn: Connection, values: dict[str, Any]) -> dict[str, str]:
    if wg.recommendation_values(conn, values["recommendation"]) is None:
        return {"recommendation": i18n.gettext(
            "no declaration or recommendation with this slug")}
    return {}


EDITABLE: dict[str, Editable] = {
    "guides": Editable(knowledge.GUIDE_SPEC, knowledge.guide_keys, knowledge.guide_values,
                       lambda v: f"{v['slug']}/{v['lang']}", _plain(knowledge.save_guide),
                       lambda v: f"/{v['lang']}/guides/{v['slug']}"),
    "library": Editable(knowledge.LIBRARY_SPEC, knowledge.library_keys,
                        knowledge.library_values, lambda v: v["slug"],
                        _plain(knowledge.save_library_entry), lambda v: "/library"),
    "glossary": Editable(knowledge.GLOSSARY_SPEC, knowledge.glossary_keys,
                         knowledge.glossary_values, lambda v: v["slug"],
                         _plain(knowledge.save_term), lambda v: f"/glossary/{v['slug']}"),
    "organisations": Editable(
        network.ORGANISATION_SPEC, network.organisation_keys, network.organisation_values,
        lambda v: v["name"],
        lambda conn, v, actor, old: network.save_organisation(conn, v, actor, key=old),
        lambda v: "/network", renamable=True),
    "champions": Editable(champions.EDITION_SPEC, champions.edition_keys,
                          champions.edition_values, lambda v: str(v["year"]),
                          _plain(champions.save_edition), lambda v: "/champions"),
    "tracker": Editable(wg.TRACKER_SPEC, wg.tracker_keys, wg.tracker_values,
                        lambda v: f"{v['economy']}/{v['recommendation']}",
                        _plain(wg.save_tracker_entry),
                        lambda v: f"/working-group/members/{v['economy']}"),
    "events": Editable(wg.EVENT_SPEC, wg.event_keys, wg.event_values, lambda v: v["slug"],
                       _plain(wg.save_event), lambda v: "/working-group/events"),
    "members": Editable(wg.MEMBER_SPEC, wg.member_keys, wg.member_values,
                        lambda v: v["economy"], _plain(wg.save_member),
                        lambda v: "/working-group"),
    "recommendations": Editable(wg.RECOMMENDATION_SPEC, wg.recommendation_keys,
                                wg.recommendation_values, lambda v: v["slug"],
                                _plain(wg.save_recommendation),
                                lambda v: "/working-group/package"),
}


def _editable(entity: str) -> Editable:
    if entity not in EDITABLE:
        raise HTTPException(404, N_("unknown kind of record"))
    return EDITABLE[entity]


def _user(request: Request) -> User | None:
    user = current_user(request)
    if user is not None and not user.can_edit:
        raise HTTPException(403, N_("This account can read the policy dashboard but not edit."))
    return user


@router.get("/admin", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    return render_form(request, "admin/index.html", {"user": user, "editable": EDITABLE})


@router.get("/admin/audit", response_class=HTMLResponse)
def audit(request: Request, db: Database = Depends(get_db)) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    if not user.is_admin:
        raise HTTPException(403, N_("Only administrators can read the audit log."))
    with db.connect() as conn:
        entries = recent_changes(conn)
    return render_form(request, "admin/audit.html", {"entries": entries})


@router.get("/admin/feedback", response_class=HTMLResponse)
def feedback_queue(request: Request, db: Database = Depends(get_db)) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    with db.connect() as conn:
        items = wg.list_feedback(conn)
    return render_form(request, "admin/feedback.html", {"items": items})


@router.post("/admin/feedback/{feedback_id}")
async def moderate(request: Request, feedback_id: int, db: Database = Depends(get_db)
                   ) -> Response:
    user = _user(request)
    form = await request.form()
    verify_csrf(request, form)
    if user is None:
        return login_redirect(request)
    status = str(form.get("status") or "")
    with db.transaction() as conn:
        change = wg.moderate_feedback(conn, feedback_id, status, user.email)
        if change is None:
            raise HTTPException(404, N_("no such message"))
        record_change(conn, actor=user.email, action="moderate", entity="feedback",
                      key=str(feedback_id), before={"status": change[0]},
                      after={"status": change[1]})
    return RedirectResponse(url_for_lang(request, "/admin/feedback"), status_code=303)


def _csv_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in text written by the public."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@router.get("/admin/feedback.csv")
def feedback_csv(request: Request, db: Database = Depends(get_db)) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    with db.connect() as conn:
        items = wg.list_feedback(conn)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "created_at", "status", "name", "organisation", "email", "country",
                     "sector", "obstacle"])
    for f in items:
        writer.writerow([f.id, f.created_at.isoformat(), f.status,
                         *(_csv_cell(v) for v in (f.name, f.organisation, f.email, f.country,
                                                  f.sector, f.obstacle))])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="feedback.csv"'})


@router.get("/admin/{entity}", response_class=HTMLResponse)
def entity_list(request: Request, entity: str, db: Database = Depends(get_db)) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    editable = _editable(entity)
    with db.connect() as conn:
        keys = editable.keys(conn)
    return render_form(request, "admin/list.html", {
        "entity": entity, "spec": editable.spec, "keys": keys,
        "saved": request.query_params.get("saved", ""),
        "deleted": request.query_params.get("deleted", ""),
        "can_delete": entity in deletion.DELETABLE, "quote": quote})


@router.get("/admin/{entity}/deleted", response_class=HTMLResponse)
def deleted_list(request: Request, entity: str, db: Database = Depends(get_db)) -> Response:
    """Deleted records of one kind, each with a restore button (a form: no JavaScript)."""
    user = _user(request)
    if user is None:
        return login_redirect(request)
    editable = _editable(entity)
    if entity not in deletion.DELETABLE:
        raise HTTPException(404, N_("this kind of record cannot be deleted"))
    with db.connect() as conn:
        entries = deletion.deleted_entries(conn, entity)
    return render_form(request, "admin/deleted.html", {
        "entity": entity, "spec": editable.spec, "entries": entries,
        "restored": request.query_params.get("restored", "")})


async def _set_deleted(request: Request, entity: str, db: Database, deleted: bool) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    user = _user(request)
    if user is None:
        return login_redirect(request)
    editable = _editable(entity)
    key = str(form.get("key") or "")
    try:
        with db.transaction() as conn:
            before = editable.read(conn, key)
            deletion.set_entry_deleted(conn, entity, key, user.email, deleted, before)
    except NotFound as exc:
        raise HTTPException(404, exc.msgid) from None
    target = (f"/admin/{entity}?deleted={quote(key)}" if deleted
              else f"/admin/{entity}/deleted?restored={quote(key)}")
    return RedirectResponse(url_for_lang(request, target), status_code=303)


@router.post("/admin/{entity}/delete")
async def delete_entry(request: Request, entity: str, db: Database = Depends(get_db)
                       ) -> Response:
    return await _set_deleted(request, entity, db, True)


@router.post("/admin/{entity}/restore")
async def restore_entry(request: Request, entity: str, db: Database = Depends(get_db)
                        ) -> Response:
    return await _set_deleted(request, entity, db, False)


def _form_page(request: Request, entity: str, values: dict[str, str], errors: dict[str, str],
               original: str, preview: Markup | None = None, status_code: int = 200
               ) -> HTMLResponse:
    editable = EDITABLE[entity]
    return render_form(request, "admin/form.html", {
        "entity": entity, "spec": editable.spec, "values": values, "errors": errors,
        "original": original, "preview": preview}, status_code=status_code)


@router.get("/admin/{entity}/edit", response_class=HTMLResponse)
def edit_form(request: Request, entity: str, key: str = "",
              db: Database = Depends(get_db)) -> Response:
    user = _user(request)
    if user is None:
        return login_redirect(request)
    editable = _editable(entity)
    values: dict[str, str] = {}
    if key:
        with db.connect() as conn:
            stored = editable.read(conn, key)
            gone = deletion.is_deleted(conn, entity, key)
        if stored is None:
            raise HTTPException(404, N_("no such record"))
        if gone:
            raise HTTPException(409, N_("This entry is deleted: restore it from the list of "
                                        "deleted entries before editing it."))
        values = as_form(editable.spec, stored)
    return _form_page(request, entity, values, {}, key)


def _preview(request: Request, db: Database, spec: Spec, values: dict[str, Any]) -> Markup:
    """The cleaned values as the public will read them (Markdown rendered safely)."""
    prefix = getattr(request.state, "lang_prefix", "")
    # A guide in French is previewed as French readers will see it: French glossary terms
    # linked, links under /fr.
    content_lang = str(values.get("lang") or "")
    if content_lang in ("fr", "es"):
        prefix = "/" + content_lang
    with db.connect() as conn:
        index = term_index(knowledge.autolink_index(conn, content_lang or "en"))
    parts = []
    for f in spec.fields:
        value = values.get(f.name)
        if f.kind == "markdown":
            shown = Markup(render_markdown(str(value or ""), index, prefix))
        else:
            shown = Markup("{}").format(as_form(spec, values).get(f.name, ""))
        parts.append(Markup("<dt>{}</dt><dd>{}</dd>").format(i18n.gettext(f.label), shown))
    return Markup('<dl class="preview">') + Markup("").join(parts) + Markup("</dl>")


@router.post("/admin/{entity}/save", response_class=HTMLResponse)
async def save(request: Request, entity: str, db: Database = Depends(get_db)) -> Response:
    form = await request.form()
    verify_csrf(request, form)
    user = _user(request)
    if user is None:
        return login_redirect(request)
    editable = _editable(entity)
    raw = {f.name: str(form.get(f.name) or "") for f in editable.spec.fields}
    original = str(form.get("original") or "")
    values, errors = clean(editable.spec, raw)
    if not errors:
        key = editable.key(values)
        with db.connect() as conn:
            if entity == "tracker":
                errors.update(_check_recommendation(conn, values))
            if key != original and editable.read(conn, key) is not None:
                errors[editable.spec.fields[0].name] = (
                    i18n.gettext("a deleted record has this key: restore it instead")
                    if deletion.is_deleted(conn, entity, key)
                    else i18n.gettext("a record with this key already exists"))
            elif original and deletion.is_deleted(conn, entity, original):
                errors[editable.spec.fields[0].name] = i18n.gettext(
                    "this record is deleted: restore it before changing it")
            if original and key != original and not editable.renamable:
                errors[editable.spec.fields[0].name] = i18n.gettext(
                    "the key cannot change; create a new record instead")
    if errors:
        return _form_page(request, entity, raw, errors, original, status_code=422)
    if form.get("action") != "save":
        return _form_page(request, entity, raw, {}, original,
                          preview=_preview(request, db, editable.spec, values))
    try:
        with db.transaction() as conn:
            before = editable.read(conn, original) if original else None
            key = editable.save(conn, values, user.email, original or None)
            after = editable.read(conn, key)
            record_change(conn, actor=user.email, action="update" if before else "create",
                          entity=entity, key=key, before=before, after=after)
    except TradewindError as exc:
        return _form_page(request, entity, raw, {editable.spec.fields[0].name: str(exc)},
                          original, status_code=422)
    return RedirectResponse(url_for_lang(request, f"/admin/{entity}?saved={quote(key)}"),
                            status_code=303)

"""Editors delete and restore content: gone from public pages, API, search and feeds, kept
in the editors' "deleted" list with a restore button, every step in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.knowledge.platform_fixtures import csrf_from, loaded_app, log_in, make_user
from tradewind.audit import recent_changes
from tradewind.db import Database
from tradewind.editing.deletion import DELETABLE, deleted_entries
from tradewind.web.pages.admin import EDITABLE


@pytest.fixture
def editor(db: Database, tmp_path: Path) -> Iterator[Any]:
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        assert log_in(client).status_code == 303
        yield client


#: entity, key, text that identifies it, public URLs that list or show it.
CASES = [
    ("glossary", "fob", "FOB (Free On Board)",
     ["/glossary", "/glossary/fob", "/api/v1/glossary", "/search?q=FOB"]),
    ("guides", "why-msmes/en", "Why MSMEs and trade",
     ["/guides", "/guides/why-msmes", "/api/v1/guides", "/search?q=MSMEs"]),
    ("library", "trade-finance-guide", "Trade Finance Guide",
     ["/library", "/api/v1/library", "/search?q=finance"]),
    ("organisations", "Kenya Export Bank", "Kenya Export Bank",
     ["/network", "/network.csv", "/api/v1/network?country=KEN", "/search?q=Kenya"]),
    ("events", "dialogue-2024", "big barriers",
     ["/working-group/events", "/working-group/events.ics", "/api/v1/working-group/events"]),
    ("champions", "2021", "Greening small businesses", ["/champions"]),
    ("tracker", "KEN/trade-info", "https://example.org/ken",
     ["/working-group/members/KEN", "/api/v1/working-group/tracker"]),
]


def _post(client: Any, page: str, action: str, key: str) -> Any:
    token = csrf_from(client.get(page).text)
    return client.post(action, data={"csrf_token": token, "key": key}, follow_redirects=False)


def _shows(client: Any, url: str, text: str) -> bool:
    response = client.get(url)
    return response.status_code == 200 and text in response.text


def test_every_editor_managed_kind_can_be_deleted() -> None:
    assert set(DELETABLE) <= set(EDITABLE)
    assert {"guides", "library", "glossary", "organisations", "events"} <= set(DELETABLE)


@pytest.mark.parametrize("entity,key,text,urls", CASES, ids=[c[0] for c in CASES])
def test_delete_hides_everywhere_and_restore_brings_back(editor: Any, db: Database, entity: str,
                                                         key: str, text: str,
                                                         urls: list[str]) -> None:
    for url in urls:
        assert _shows(editor, url, text), f"{url} should show {text!r} before the delete"
    listing = editor.get(f"/admin/{entity}").text
    assert f'action="/admin/{entity}/delete"' in listing
    response = _post(editor, f"/admin/{entity}", f"/admin/{entity}/delete", key)
    assert response.status_code == 303
    for url in urls:
        response = editor.get(url)
        assert response.status_code in (200, 404), url
        assert text not in response.text, f"{url} still shows the deleted {entity} {key!r}"
    # Gone from the editors' list, present in the deleted list with a restore form.
    with db.connect() as conn:
        (entry,) = deleted_entries(conn, entity)
        assert entry.key == key and entry.deleted_by == "editor@example.org"
        change = recent_changes(conn)[0]
        assert (change.action, change.entity, change.entity_key, change.actor) == \
            ("delete", entity, key, "editor@example.org")
        assert change.before is not None and change.after is not None
    assert f'value="{key}"' not in editor.get(f"/admin/{entity}").text.split("<h1", 1)[1] \
        or entity == "tracker"
    deleted_page = editor.get(f"/admin/{entity}/deleted").text
    assert f'action="/admin/{entity}/restore"' in deleted_page and "csrf_token" in deleted_page
    assert "<script" not in deleted_page.split("<main", 1)[1]  # works without JavaScript
    response = _post(editor, f"/admin/{entity}/deleted", f"/admin/{entity}/restore", key)
    assert response.status_code == 303
    for url in urls:
        assert _shows(editor, url, text), f"{url} should show {text!r} after the restore"
    with db.connect() as conn:
        assert deleted_entries(conn, entity) == []
        assert recent_changes(conn)[0].action == "restore"


def test_delete_needs_the_csrf_token_and_a_login(editor: Any, db: Database, tmp_path: Path
                                                 ) -> None:
    refused = editor.post("/admin/glossary/delete", data={"key": "fob"},
                          follow_redirects=False)
    assert refused.status_code == 403
    assert _shows(editor, "/glossary/fob", "FOB (Free On Board)")


def test_deleting_twice_or_restoring_a_live_entry_is_a_404(editor: Any) -> None:
    assert _post(editor, "/admin/glossary", "/admin/glossary/restore", "fob").status_code == 404
    assert _post(editor, "/admin/glossary", "/admin/glossary/delete", "fob").status_code == 303
    assert _post(editor, "/admin/glossary", "/admin/glossary/delete", "fob").status_code == 404
    assert _post(editor, "/admin/glossary", "/admin/glossary/delete", "nope").status_code == 404


def test_a_deleted_entry_cannot_be_edited_or_recreated(editor: Any) -> None:
    assert _post(editor, "/admin/glossary", "/admin/glossary/delete", "cif").status_code == 303
    assert editor.get("/admin/glossary/edit", params={"key": "cif"}).status_code == 409
    token = csrf_from(editor.get("/admin/glossary/edit").text)
    response = editor.post("/admin/glossary/save", data={
        "csrf_token": token, "original": "", "slug": "cif", "term": "CIF again",
        "definition": "Another one.", "action": "preview"})
    assert response.status_code == 422
    assert "restore it instead" in response.text
    assert re.search(r'aria-invalid="true" aria-describedby="slug-error"', response.text)


def test_french_editor_pages_are_translated(editor: Any) -> None:
    assert _post(editor, "/fr/admin/glossary", "/fr/admin/glossary/delete",
                 "cif").status_code == 303
    page = editor.get("/fr/admin/glossary/deleted").text
    assert "Entrées supprimées" in page and "Restaurer" in page
    page = editor.get("/es/admin/glossary/deleted").text
    assert "Entradas eliminadas" in page and "Restaurar" in page


def test_reloading_the_content_files_keeps_a_deleted_entry_deleted(editor: Any, db: Database,
                                                                   tmp_path: Path) -> None:
    """``tradewind init`` runs the content loader again: an editor's delete must survive it."""
    from tradewind.ingest.content import load_content

    assert _post(editor, "/admin/glossary", "/admin/glossary/delete", "fob").status_code == 303
    load_content(db, tmp_path / "content")
    load_content(db, tmp_path / "content", replace=True)
    assert editor.get("/glossary/fob").status_code == 404
    with db.connect() as conn:
        assert [e.key for e in deleted_entries(conn, "glossary")] == ["fob"]

"""Editors: preview then save, changes visible publicly, audit trail, inert script payloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.knowledge.platform_fixtures import XSS, csrf_from, loaded_app, log_in, make_user
from tradewind.audit import recent_changes
from tradewind.db import Database
from tradewind.web.pages.admin import EDITABLE


@pytest.fixture
def editor(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        make_user(db, "admin@example.org", "admin")
        assert log_in(client).status_code == 303
        yield client


def _form(client, entity: str, key: str = "") -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The current form values (as an editor's browser would send them back)."""
    html = client.get(f"/admin/{entity}/edit", params={"key": key} if key else None).text
    data = {"csrf_token": csrf_from(html), "original": key}
    for name, value in re.findall(r'<input id="f-[^"]+" name="([^"]+)" type="text" value="([^"]*)"', html):
        data[name] = _unescape(value)
    for name, value in re.findall(r'<textarea id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = _unescape(value)
    for name, body in re.findall(r'<select id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = _unescape(chosen.group(1)) if chosen else ""
    return data


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _save(client, entity: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    preview = client.post(f"/admin/{entity}/save", data={**data, "action": "preview"})
    assert preview.status_code == 200, preview.text[-3000:]
    assert "Preview" in preview.text
    data = {**data, "csrf_token": csrf_from(preview.text)}
    return client.post(f"/admin/{entity}/save", data={**data, "action": "save"},
                       follow_redirects=False)


def test_admin_requires_login(db: Database, tmp_path: Path) -> None:
    with loaded_app(db, tmp_path) as client:
        response = client.get("/admin/glossary", follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]


def test_edit_glossary_term_preview_save_public_and_audit(editor, db: Database) -> None:  # type: ignore[no-untyped-def]
    data = _form(editor, "glossary", "fob")
    assert data["term"] == "FOB (Free On Board)"
    data["definition"] = "Edited: the seller delivers on board the vessel."
    response = _save(editor, "glossary", data)
    assert response.status_code == 303
    assert "Edited: the seller" in editor.get("/glossary/fob").text
    with db.connect() as conn:
        entry = recent_changes(conn)[0]
    assert (entry.actor, entry.action, entry.entity, entry.entity_key) == \
        ("editor@example.org", "update", "glossary", "fob")
    assert entry.before is not None and entry.before["definition"].startswith("The seller loads")
    assert entry.after is not None and entry.after["definition"].startswith("Edited")


def test_preview_does_not_save(editor) -> None:  # type: ignore[no-untyped-def]
    data = _form(editor, "glossary", "fob")
    data["definition"] = "Only previewed, never saved."
    preview = editor.post("/admin/glossary/save", data={**data, "action": "preview"})
    assert "Only previewed" in preview.text
    assert "Only previewed" not in editor.get("/glossary/fob").text


def test_validation_errors_are_shown_next_to_fields(editor) -> None:  # type: ignore[no-untyped-def]
    data = _form(editor, "library", "eping")
    data["url"] = "javascript:alert(1)"
    data["type"] = "poem"
    response = editor.post("/admin/library/save", data={**data, "action": "preview"})
    assert response.status_code == 422
    assert 'id="url-error"' in response.text and 'id="type-error"' in response.text


def test_create_guide_appears_on_public_page(editor) -> None:  # type: ignore[no-untyped-def]
    data = _form(editor, "guides")
    data.update(slug="new-guide", lang="en", audience="business", order="90",
                title="A brand new guide", summary="New.", body="Mention **FOB** here.",
                topics="", tools="Rank markets | /markets", sources="WTO | https://www.wto.org")
    assert _save(editor, "guides", data).status_code == 303
    html = editor.get("/guides/new-guide").text
    assert "A brand new guide" in html and 'href="/glossary/fob"' in html
    assert 'href="/markets"' in html


def test_post_without_csrf_token_is_rejected(editor, db: Database) -> None:  # type: ignore[no-untyped-def]
    data = _form(editor, "glossary", "fob")
    data.pop("csrf_token")
    data["definition"] = "Forged change."
    assert editor.post("/admin/glossary/save", data={**data, "action": "save"}).status_code == 403
    data["csrf_token"] = "not-a-token"
    assert editor.post("/admin/glossary/save", data={**data, "action": "save"}).status_code == 403
    assert "Forged change" not in editor.get("/glossary/fob").text


def test_audit_page_is_for_admins_only(editor, db: Database) -> None:  # type: ignore[no-untyped-def]
    assert editor.get("/admin/audit").status_code == 403
    token = csrf_from(editor.get("/admin").text)
    editor.post("/logout", data={"csrf_token": token})
    editor.cookies.clear()
    assert log_in(editor, "admin@example.org").status_code == 303
    assert editor.get("/admin/audit").status_code == 200


# One valid record per editable kind, used to put script payloads into every text field.
VALID: dict[str, dict[str, str]] = {
    "guides": {"slug": "xss-guide", "lang": "en", "audience": "business", "order": "1",
               "title": "T", "summary": "S", "body": "B", "topics": "a",
               "tools": "L | /markets", "sources": "S | https://example.org"},
    "library": {"slug": "xss-entry", "title": "T", "organisation": "WTO", "type": "tool",
                "topics": "customs", "languages": "en", "url": "https://example.org",
                "year": "2020", "summary": "S"},
    "glossary": {"slug": "xss-term", "term": "Zeta term", "definition": "D", "see_also": "",
                 "aliases": "", "term_fr": "", "definition_fr": "", "term_es": "",
                 "definition_es": ""},
    "organisations": {"name": "XSS Org", "acronym": "X", "kind": "SME agency",
                      "countries": "KEN", "services": "trade finance", "languages": "en",
                      "website": "https://example.org", "email": "", "phone": "",
                      "description": "D", "trade4msmes_partner": ""},
    "champions": {"year": "2030", "title": "T", "theme": "Th", "partners": "WTO",
                  "summary": "S", "winners": "W | KEN | S"},
    "tracker": {"economy": "CHL", "recommendation": "trade-info", "status": "planned",
                "evidence_url": "", "date": ""},
    "events": {"slug": "xss-event", "title": "T", "start": "2030-01-01T10:00+00:00",
               "end": "", "place": "Geneva", "online": "", "agenda": "A", "url": ""},
    "members": {"economy": "JPN", "joined": "2019-01-01"},
    "recommendations": {"slug": "xss-rec", "title": "T", "kind": "recommendation",
                        "adopted": "2020-12-11", "summary": "S", "topics": "a"},
}
PUBLIC = {"guides": "/guides/xss-guide", "library": "/library", "glossary": "/glossary/xss-term",
          "organisations": "/network", "champions": "/champions",
          "tracker": "/working-group/members/CHL", "events": "/working-group/events",
          "members": "/working-group", "recommendations": "/working-group/package"}
FREE_TEXT = {"text", "textarea", "markdown"}


@pytest.mark.parametrize("entity", sorted(EDITABLE))
def test_script_payloads_in_every_editable_field_are_inert(editor, entity: str) -> None:  # type: ignore[no-untyped-def]
    spec = EDITABLE[entity].spec
    free = [f.name for f in spec.fields if f.kind in FREE_TEXT and f.name not in
            {"economy", "lang"}]
    for i, payload in enumerate(XSS):
        data = dict(VALID[entity])
        for name in free:
            data[name] = f"{payload} {name}"
        if entity == "glossary":
            data.update(term_fr="", definition_fr="", term_es="", definition_es="")
        if entity == "members":
            data["economy"] = ("JPN", "BRA")[i]
        if entity in {"guides", "library", "glossary", "events", "recommendations"}:
            data["slug"] = f"{data['slug']}-{i}" if i else data["slug"]
        if entity == "organisations":
            data["name"] = f"XSS Org {i} {payload}"
        if entity == "tracker":
            data["economy"] = ("CHL", "EUN")[i]
        if entity == "champions":
            data["year"] = str(2030 + i)
            data["winners"] = f"{payload} | KEN | {payload}"
        form = {**data, "csrf_token": csrf_from(editor.get(f"/admin/{entity}/edit").text),
                "original": ""}
        preview = editor.post(f"/admin/{entity}/save", data={**form, "action": "preview"})
        assert preview.status_code == 200, (entity, preview.text[-2000:])
        for html in (preview.text,):
            assert "<script>alert(1)" not in html and "<img src=x" not in html
        form["csrf_token"] = csrf_from(preview.text)
        saved = editor.post(f"/admin/{entity}/save", data={**form, "action": "save"},
                            follow_redirects=False)
        assert saved.status_code == 303, (entity, saved.text[-2000:])
    for path in (PUBLIC[entity], f"/admin/{entity}", "/search?q=alert"):
        html = editor.get(path).text
        assert "<script>alert(1)" not in html, (entity, path)
        assert "<img src=x" not in html, (entity, path)
    if entity not in {"tracker", "members"}:  # those have no free-text field
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in editor.get(PUBLIC[entity]).text


def test_feedback_moderation_and_csv_export(editor, db: Database) -> None:  # type: ignore[no-untyped-def]
    from tradewind.workinggroup.queries import add_feedback, list_feedback

    with db.transaction() as conn:
        add_feedback(conn, {"name": "=HYPERLINK(\"http://x\")", "obstacle":
                            "Certificates of origin cost too much for small shipments."}, "h")
    with db.connect() as conn:
        (item,) = list_feedback(conn)
    assert "too much" not in editor.get("/working-group/feedback").text
    queue = editor.get("/admin/feedback").text
    assert "Certificates of origin" in queue
    no_token = editor.post(f"/admin/feedback/{item.id}", data={"status": "published"})
    assert no_token.status_code == 403
    response = editor.post(f"/admin/feedback/{item.id}",
                           data={"status": "published", "csrf_token": csrf_from(queue)},
                           follow_redirects=False)
    assert response.status_code == 303
    assert "Certificates of origin cost too much" in editor.get("/working-group/feedback").text
    export = editor.get("/admin/feedback.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert "'=HYPERLINK" in export.text and "published" in export.text
    with db.connect() as conn:
        entry = recent_changes(conn, entity="feedback")[0]
    assert entry.before == {"status": "pending"} and entry.after == {"status": "published"}

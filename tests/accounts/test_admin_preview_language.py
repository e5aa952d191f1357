"""The preview of a French or Spanish guide shows what readers of that language will get.

QA regression: the preview linked only English glossary terms, under the editor's own
language prefix, and showed field labels in English on /fr/admin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.accounts.test_admin import VALID, _form
from tests.knowledge.platform_fixtures import loaded_app, log_in, make_user
from tradewind.db import Database
from tradewind.i18n import current_language, gettext


@pytest.fixture
def editor(db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        assert log_in(client).status_code == 303
        yield client


def _preview(client, lang: str, body: str, prefix: str = "") -> str:  # type: ignore[no-untyped-def]
    data = {**_form(client, "guides"), **VALID["guides"], "slug": "preview-test", "lang": lang,
            "body": body, "action": "preview"}
    response = client.post(f"{prefix}/admin/guides/save", data=data)
    assert response.status_code == 200, response.text[-2000:]
    return response.text.split('class="preview"', 1)[1].split("</dl>", 1)[0]


def test_french_guide_preview_links_french_terms_under_fr(editor) -> None:  # type: ignore[no-untyped-def]
    shown = _preview(editor, "fr", "Vendre en Franco à bord. Voir [le guide](/guides/first-steps).")
    assert 'href="/fr/glossary/fob"' in shown
    assert 'href="/fr/guides/first-steps"' in shown


def test_english_guide_preview_keeps_plain_links(editor) -> None:  # type: ignore[no-untyped-def]
    shown = _preview(editor, "en", "Sell FOB. See [the guide](/guides/first-steps).")
    assert 'href="/glossary/fob"' in shown and 'href="/guides/first-steps"' in shown


def test_preview_labels_follow_the_interface_language(editor) -> None:  # type: ignore[no-untyped-def]
    token = current_language.set("fr")
    try:
        title = gettext("Title")
    finally:
        current_language.reset(token)
    assert title != "Title", "the French catalogue should translate the field label"
    shown = _preview(editor, "en", "Sell FOB.", prefix="/fr")
    assert f"<dt>{title}</dt>" in shown and "<dt>Title</dt>" not in shown

"""The remaining forms (finder, notifications search, HS convert, login) re-render with the
message next to the field (aria-invalid, aria-describedby) and the values kept, in FR/ES; a
product typed as words on the access form goes through the finder and back with the origin
and destination kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.knowledge.platform_fixtures import csrf_from, loaded_app, make_user
from tradewind.db import Database


def _error(html: str, field_id: str) -> str | None:
    import html as html_module

    m = re.search(rf'<p id="{field_id}-error" class="field-error"[^>]*>(.*?)</p>', html, re.S)
    return html_module.unescape(m.group(1)) if m else None


@pytest.mark.parametrize(("lang", "word"), [("fr", "Décrivez"), ("es", "Describa")])
def test_finder_empty_query_error_is_next_to_the_box(client: Any, lang: str, word: str) -> None:
    response = client.get(f"/{lang}/hs/search", params={"q": "  "})
    assert response.status_code == 400
    html = response.text
    message = _error(html, "finder-q")
    assert message is not None
    assert 'aria-describedby="finder-q-error finder-help" aria-invalid="true"' in html


@pytest.mark.parametrize(("lang", "word"), [("fr", "n'est pas une date"),
                                            ("es", "no es una fecha")])
def test_notifications_bad_date_is_next_to_it_with_values_kept(client: Any, lang: str,
                                                               word: str) -> None:
    response = client.get(f"/{lang}/notifications", params={
        "text": "fruits", "member": "KEN", "date_from": "2025-02-31"})
    assert response.status_code == 422
    html = response.text
    message = _error(html, "n-from")
    assert message and word in message
    assert 'name="date_from" type="date" value="2025-02-31" aria-invalid="true" ' \
           'aria-describedby="n-from-error"' in html
    assert 'value="fruits"' in html and 'value="KEN"' in html


def test_notifications_bad_hs_is_next_to_the_hs_field(client: Any) -> None:
    response = client.get("/es/notifications", params={"hs": "09x1"})
    assert response.status_code == 422
    assert _error(response.text, "n-hs") and 'value="09x1"' in response.text


def test_hs_convert_unknown_target_edition_error_is_next_to_it(client: Any) -> None:
    response = client.get("/fr/hs/convert", params={"code": "090121", "from_edition": "HS2022",
                                                   "to_edition": "HS1800"})
    assert response.status_code in (400, 404, 422)
    html = response.text
    assert re.search(r'id="conv-to" name="to_edition" aria-invalid="true" '
                     r'aria-describedby="conv-error"', html)
    assert 'value="090121"' in html


def test_hs_convert_bad_code_error_is_next_to_the_code(client: Any) -> None:
    response = client.get("/es/hs/convert", params={"code": "09x121", "from_edition": "HS2022",
                                                   "to_edition": "HS2017"})
    html = response.text
    assert response.status_code in (400, 422)
    assert re.search(r'id="conv-code"[^>]*aria-invalid="true" aria-describedby="conv-error"',
                     html, re.S)
    assert 'value="09x121"' in html


@pytest.mark.parametrize(("lang", "word"), [("fr", "incorrect"), ("es", "incorrect")])
def test_login_failure_keeps_the_email_and_marks_the_fields(db: Database, tmp_path: Path,
                                                            lang: str, word: str) -> None:
    from argon2 import PasswordHasher

    import tradewind.accounts as accounts

    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    with loaded_app(db, tmp_path) as client:
        make_user(db)
        token = csrf_from(client.get(f"/{lang}/login").text)
        response = client.post(f"/{lang}/login", data={
            "email": "editor@example.org", "password": "wrong", "csrf_token": token,
            "next": "/admin"}, follow_redirects=False)
        assert response.status_code == 401
        html = response.text
        message = _error(html, "login")
        assert message and word in message.lower()
        assert 'value="editor@example.org"' in html
        assert html.count('aria-invalid="true" aria-describedby="login-error"') == 2


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_words_on_the_access_form_go_through_the_finder_and_back(client: Any,
                                                                 lang: str) -> None:
    response = client.get(f"/{lang}/tariffs/access", params={
        "product": "café torréfié", "origin": "KEN", "destination": "USA",
        "date": "2025-06-01"}, follow_redirects=False)
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith(f"/{lang}/hs/search?")
    assert "origin=KEN" in target and "destination=USA" in target and "date=2025-06-01" in target
    finder = client.get(target)
    assert finder.status_code == 200
    link = re.search(rf'href="(/{lang}/tariffs/access\?product=090121[^"]*)"', finder.text)
    assert link, "the finder links the best code back to the access answer"
    href = link.group(1).replace("&amp;", "&")
    assert "origin=KEN" in href and "destination=USA" in href and "date=2025-06-01" in href
    # Refining the search keeps them too (hidden fields of the search form).
    assert '<input type="hidden" name="origin" value="KEN">' in finder.text
    answer = client.get(href)
    assert answer.status_code == 200
    assert "090121" in answer.text
    assert re.search(r'<option value="KEN"\s+selected', answer.text) or "Keny" in answer.text \
        or "Keni" in answer.text

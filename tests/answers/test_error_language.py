"""Error messages are written in the reader's language, on pages and in the API.

The class of fault: a message built in English by the library (``InvalidInput``, ``NotFound``,
``InvalidCode``), by request validation or by an HTTP error, shown on a French or Spanish page or
returned by the API to a French or Spanish client.  Each path below makes one error happen; the
check reads the page (or the API ``message``) with the same heuristic as the page-language test.
API answers also keep a stable machine ``code`` whatever the language.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.answers.test_page_language import english_pieces
from tradewind import i18n
from tradewind.errors import InvalidCode, InvalidInput, NotFound

#: Pages that fail (or show a form error) for a bad request: one per kind of error.
PAGE_ERRORS: tuple[str, ...] = (
    "/hs/search?q=",                                    # finder: empty query
    "/hs/12ab",                                         # InvalidCode: not digits
    "/hs/123",                                          # InvalidCode: wrong length
    "/hs/010000",                                       # InvalidCode: not in the edition
    "/hs/convert?code=0901&to=HS2017",                  # InvalidCode: not a subheading
    "/hs/convert?code=090111&to=HS1234",                # unknown edition
    "/tariffs/access?product=0901&origin=KEN&destination=USA",        # chapter, not line
    "/tariffs/access?product=090111&origin=ZZZ&destination=USA",      # unknown country
    "/tariffs/access?product=090111&origin=KEN&destination=KEN",      # same economy
    "/tariffs/access?product=090111&origin=KEN&destination=USA&date=2025-99-01",
    "/tariffs/cost?product=090111&origin=KEN&destination=GBR&incoterm=XXX&value=100"
    "&currency=USD",                                    # unknown Incoterm
    "/tariffs/cost?product=090111&origin=KEN&destination=GBR&incoterm=FOB&value=abc"
    "&currency=USD",                                    # value not a number
    "/tariffs/cost?product=090111&origin=KEN&destination=GBR&incoterm=FOB&value=100"
    "&currency=QQQQ",                                   # bad currency
    "/markets/rank?product=0901&origin=KEN",            # not six digits
    "/markets/rank?product=090111&origin=",             # no origin
    "/markets/rank?product=090111&origin=KEN&w_supply=abc",
    "/stats/product-market?product=0901&market=USA",    # trade statistics need 6 digits
    "/stats/market/ZZZ",
    "/notifications?hs=abc",
    "/guides/no-such-guide",
    "/glossary/no-such-term",
    "/agreements/999999",
    "/working-group/members/ZZZ",
    "/watch/confirm?token=nope",
    "/no/such/page",
)

#: API calls that fail, with the machine code they must keep.
API_ERRORS: tuple[tuple[str, str], ...] = (
    ("/api/v1/hs/codes/12ab", "invalid_input"),  # refused by the schema's pattern
    ("/api/v1/hs/codes/0901.29", "invalid_code"),  # well formed, not in HS 2022 (404)
    ("/api/v1/hs/codes/010000", "invalid_code"),
    ("/api/v1/hs/convert?code=090111&to=HS1234", "invalid_input"),
    ("/api/v1/tariffs/access?product=0901&origin=KEN&destination=USA", "invalid_input"),
    ("/api/v1/tariffs/access?product=090111&origin=ZZZ&destination=USA", "not_found"),
    ("/api/v1/tariffs/cost?product=090111&origin=KEN&destination=GBR&incoterm=XXX&value=1"
     "&currency=USD", "invalid_input"),
    ("/api/v1/markets/rank?product=0901&origin=KEN", "invalid_input"),
    ("/api/v1/guides/no-such-guide", "not_found"),
    ("/api/v1/glossary/no-such-term", "not_found"),
    ("/api/v1/agreements/999999", "not_found"),
    ("/api/v1/fx/convert?amount=-1&from=USD&to=EUR", "invalid_input"),
    ("/api/v1/fx/convert?amount=abc&from=USD&to=EUR", "invalid_input"),
    ("/api/v1/no-such-endpoint", "not_found"),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_error_pages_are_translated(client: Any, lang: str) -> None:
    problems = []
    for path in PAGE_ERRORS:
        response = client.get(f"/{lang}{path}")
        assert response.status_code < 500, path
        problems += [f"/{lang}{path} ({response.status_code}): {piece[:120]!r}"
                     for piece in english_pieces(response.text)]
    assert not problems, f"{len(problems)} English pieces:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_api_errors_are_translated_and_keep_their_code(client: Any, lang: str) -> None:
    problems = []
    for path, code in API_ERRORS:
        response = client.get(path, headers={"Accept-Language": lang})
        assert 400 <= response.status_code < 500, path
        body = response.json()
        assert body["code"] == code, (path, body)
        assert body["message"] == body["detail"], path
        english = client.get(path, headers={"Accept-Language": "en"}).json()
        assert english["code"] == code, path
        if english_pieces(f"<p>{body['message']}</p>") or body["message"] == english["message"]:
            problems.append(f"{path}: {body['message'][:120]!r}")
    assert not problems, "English API errors:\n" + "\n".join(problems)


def test_errors_render_in_the_current_language() -> None:
    error = InvalidInput(i18n.lazy_noop("the year %(year)s is out of range"), year=1800)
    token = i18n.current_language.set("fr")
    try:
        assert str(error) == "l'année 1800 est hors limites"
        assert error.english() == "the year 1800 is out of range"
        assert error.to_problem()["code"] == "invalid_input"
        missing = NotFound(i18n.lazy_noop("no guide %(slug)r"), slug="x", code="guide_missing")
        assert missing.to_problem()["code"] == "guide_missing"
        bad = InvalidCode(code="12ab", edition="HS2022",
                          reason=i18n.lazy_noop("codes contain digits only, not %(char)r"),
                          reason_params={"char": "a"})
        assert "n'est pas un code HS2022 valide" in str(bad)
        assert "chiffres" in str(bad)
        assert bad.english().startswith("'12ab' is not a valid HS2022 code: codes contain")
    finally:
        i18n.current_language.reset(token)


def test_field_names_inside_messages_are_translated() -> None:
    token = i18n.current_language.set("es")
    try:
        assert str(InvalidInput(i18n.lazy_noop("%(name)s is required"), name="origin")) == \
            "origen: campo obligatorio"
    finally:
        i18n.current_language.reset(token)

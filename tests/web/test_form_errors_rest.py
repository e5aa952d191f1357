"""The brief, requirements, origin questionnaire and products-by-market forms keep the
user's values after a validation error, with the message on the page, in FR/ES."""

from __future__ import annotations

from typing import Any

import pytest

CASES = [
    ("/brief", {"product": "zz-not-a-code-99", "origin": "KEN", "destination": "USA",
                "value": "12x"}, ["zz-not-a-code-99"]),
    ("/requirements", {"product": "0901", "destination": "QQQ"}, ["0901"]),
    ("/origin-check", {"product": "090111", "origin": "KEN", "destination": "USA",
                       "price": "abc"}, ["abc"]),
]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_products_for_a_market_keeps_the_origin_and_marks_the_market(client: Any,
                                                                     lang: str) -> None:
    response = client.get(f"/{lang}/markets/products", params={"market": "QQQ",
                                                              "origin": "KEN"})
    assert 400 <= response.status_code < 500
    html = response.text
    assert 'id="mp-market-error" class="field-error"' in html
    assert 'aria-describedby="mp-market-error"' in html
    assert '<option value="KEN" selected>' in html


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize(("path", "params", "kept"), CASES)
def test_bad_input_re_renders_the_form_with_the_values_kept(
        client: Any, lang: str, path: str, params: dict[str, str], kept: list[str]) -> None:
    response = client.get(f"/{lang}{path}", params=params)
    assert 400 <= response.status_code < 500 or "field-error" in response.text, path
    assert "<form" in response.text, path
    for value in kept:
        assert f'value="{value}"' in response.text, (path, value)

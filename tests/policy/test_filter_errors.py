"""Policy dashboard filters: a bad value comes back typed, with the message next to it."""

from __future__ import annotations

import re
from typing import Any

import pytest


@pytest.mark.parametrize(("lang", "word"), [("fr", "ISO3"), ("es", "ISO3")])
def test_bad_origin_is_shown_next_to_origin_with_the_dates_kept(analyst: Any, lang: str,
                                                                 word: str) -> None:
    response = analyst.get(f"/{lang}/policy", params={"from": "2025-01-01", "to": "2025-06-30",
                                                      "origin": "K1"})
    assert response.status_code == 422
    html = response.text
    message = re.search(r'<p id="p-origin-error" class="field-error">(.*?)</p>', html, re.S)
    assert message and word in message.group(1) and "origin must" not in message.group(1)
    assert 'id="p-origin" name="origin" aria-invalid="true" aria-describedby="p-origin-error"' \
        in html
    assert 'value="2025-01-01"' in html and 'value="2025-06-30"' in html


def test_bad_date_is_shown_next_to_that_date(analyst: Any) -> None:
    response = analyst.get("/fr/policy", params={"from": "2025-13-01", "to": "2025-06-30"})
    assert response.status_code == 422
    html = response.text
    assert 'id="p-from-error"' in html and 'id="p-to-error"' not in html
    assert 'value="2025-13-01"' in html and 'value="2025-06-30"' in html
    # The download links use the period actually shown, never the bad one.
    assert "2025-13-01" not in html.split("download.csv", 1)[1].split('"', 1)[0]

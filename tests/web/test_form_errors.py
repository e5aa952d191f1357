"""A form that fails validation comes back with the user's values and the message next to the
field, in the user's language."""

from __future__ import annotations

import re
from typing import Any

import pytest


def _field_error(html: str, field_id: str) -> str | None:
    m = re.search(rf'<p id="{field_id}-error" class="field-error">(.*?)</p>', html, re.S)
    return m.group(1) if m else None


@pytest.mark.parametrize(("lang", "word"), [("fr", "chapitre"), ("es", "capítulo")])
def test_access_form_keeps_values_and_shows_the_error_next_to_the_product(
        client: Any, lang: str, word: str) -> None:
    response = client.get(f"/{lang}/tariffs/access?product=0901&origin=KEN&destination=USA"
                          "&date=2025-06-01")
    assert response.status_code == 422
    html = response.text
    message = _field_error(html, "t-product")
    assert message and word in message
    assert 'aria-invalid="true" aria-describedby="t-product-error t-product-help"' in html
    assert 'value="0901"' in html and 'value="2025-06-01"' in html
    assert re.search(r'<option value="KEN"\s+selected', html)
    assert re.search(r'<option value="USA"\s+selected', html)


def test_access_form_puts_a_bad_date_next_to_the_date(client: Any) -> None:
    html = client.get("/fr/tariffs/access?product=090111&origin=KEN&destination=USA"
                      "&date=2025-99-01").text
    assert "AAAA-MM-JJ" in (_field_error(html, "t-date") or "")
    assert _field_error(html, "t-product") is None


def test_same_origin_and_destination_is_shown_at_the_destination(client: Any) -> None:
    html = client.get("/es/tariffs/access?product=090111&origin=KEN&destination=KEN").text
    assert "misma economía" in (_field_error(html, "t-destination") or "")


@pytest.mark.parametrize(("lang", "word"), [("fr", "nombre"), ("es", "número")])
def test_cost_form_shows_a_bad_amount_next_to_its_field(client: Any, lang: str,
                                                        word: str) -> None:
    response = client.get(f"/{lang}/tariffs/cost?product=090111&origin=KEN&destination=GBR"
                          "&incoterm=FOB&value=1000&currency=USD&freight=abc")
    assert response.status_code == 422
    html = response.text
    assert word in (_field_error(html, "c-freight") or "")
    assert 'value="abc"' in html and 'value="1000"' in html
    assert _field_error(html, "c-value") is None


@pytest.mark.parametrize(("lang", "word"), [("fr", "poids"), ("es", "peso")])
def test_market_weights_form_keeps_the_bad_value_next_to_its_field(client: Any, lang: str,
                                                                   word: str) -> None:
    response = client.get(f"/{lang}/markets/rank?product=090111&origin=KEN&w_supply=abc"
                          "&w_demand=3")
    assert response.status_code == 422
    html = response.text
    assert word in (_field_error(html, "w-supply") or "")
    assert re.search(r'id="w-supply" name="w_supply" type="text" aria-invalid="true"', html)
    assert 'value="abc"' in html and 'value="3"' in html  # the other weight is kept too
    assert _field_error(html, "w-demand") is None


@pytest.mark.parametrize(("lang", "word"), [("fr", "marché inconnu"),
                                            ("es", "mercado desconocido")])
def test_watch_form_keeps_values_and_shows_the_market_error_next_to_it(
        client: Any, lang: str, word: str) -> None:
    page = client.get(f"/{lang}/watch")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post(f"/{lang}/watch", data={"csrf_token": csrf, "email": "p@example.org",
                                                  "hs": "0901", "market": "XYZ"})
    assert refused.status_code == 422
    m = re.search(r'<span id="watch-market-error" class="field-error">(.*?)</span>',
                  refused.text, re.S)
    assert m and word in m.group(1)
    assert 'value="p@example.org"' in refused.text and 'value="XYZ"' in refused.text
    assert 'aria-describedby="watch-market-error"' in refused.text

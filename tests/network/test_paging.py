"""The directory lists 25 organisations a page (QA regression: 90 at once on a phone)."""

from __future__ import annotations

from typing import Any

from tests.knowledge.test_library_pages import _count


def test_network_is_paged(client: Any) -> None:
    html = client.get("/network").text
    assert _count(html, "orgs") == 25
    assert 'rel="next" href="/network?page=2"' in html
    assert client.get("/network", params={"page": "2"}).status_code == 200

"""Every guide renders in the three languages and each of its links (tools, glossary terms,
other guides) leads somewhere that works, in the reader's language (QA check)."""

from __future__ import annotations

import re
from typing import Any

import pytest

LANGS = ("", "/fr", "/es")


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.slow
def test_guides_render_and_their_links_resolve(client: Any) -> None:
    index = client.get("/guides").text
    slugs = sorted(set(re.findall(r'href="/guides/([a-z0-9-]+)"', index)))
    assert len(slugs) >= 10, "the shipped guides are missing"
    status: dict[str, int] = {}
    problems: list[str] = []
    glossary_links = 0
    for slug in slugs:
        for prefix in LANGS:
            page = f"{prefix}/guides/{slug}"
            response = client.get(page)
            if response.status_code != 200:
                problems.append(f"{response.status_code} {page}")
                continue
            for href in sorted(set(re.findall(r'href="(/[^"#]*)"', _main(response.text)))):
                href = href.replace("&amp;", "&")
                glossary_links += "/glossary/" in href
                if prefix and not href.startswith(prefix + "/") and not href.startswith(
                        ("/static/", "/api/")):
                    problems.append(f"{page} links to {href} without {prefix}")
                if href not in status:
                    status[href] = client.get(href).status_code
                if status[href] >= 400:
                    problems.append(f"{page} links to {href}: {status[href]}")
    assert glossary_links > 0, "no glossary term was linked automatically"
    assert not problems, "\n".join(problems[:40])

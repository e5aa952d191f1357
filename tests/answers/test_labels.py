"""No internal tokens on pages or in downloads; every stored code has a human name.

The class of fault: a database code (``ad_valorem``, ``section_301``, ``imports+gdp``, an enum
value) reaching a reader.  The crawl reads the visible text of the main pages in the three
languages and the CSV downloads and fails on any token that looks like a code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.answers.pages import DOWNLOADS, MAIN_PAGES, visible_text
from tradewind.i18n import LANGUAGES
from tradewind.i18n.labels import LABELS, explanation, label

#: Codes stored in the database that must never be shown raw.
INTERNAL = ("ad_valorem", "imports+gdp", "section_301", "section_232", "ieepa_reciprocal",
            "quota_in", "quota_out", "all_except", "origin_mode", "product_scope", "parse_ok",
            "rate_type", "nan", "True", "False")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # snake_case words are codes, not prose
#: snake_case that is legitimately visible (file names, parameter names in API help).
ALLOWED_SNAKE = {"secret_key"}


def _tokens(text: str) -> list[str]:
    found = [t for t in INTERNAL if re.search(rf"(?<![\w+]){re.escape(t)}(?![\w+])", text)]
    found += [t for t in SNAKE.findall(text) if t not in ALLOWED_SNAKE]
    return found


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_main_pages_show_no_internal_tokens(client: Any, lang: str) -> None:
    prefix = "" if lang == "en" else f"/{lang}"
    problems = []
    for path in MAIN_PAGES:
        response = client.get(prefix + path)
        assert response.status_code == 200, f"{prefix}{path}: {response.status_code}"
        for part in visible_text(response.text):
            for token in _tokens(part):
                problems.append(f"{prefix}{path}: {token!r} in {part[:90]!r}")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("path", DOWNLOADS)
def test_downloads_show_no_internal_tokens(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, path
    rows = [line for line in response.text.splitlines() if line and not line.startswith("#")]
    # the header row holds machine column names by design (one format for every language)
    problems = [f"{path}: {t!r} in {line[:80]!r}" for line in rows[1:] for t in _tokens(line)]
    assert not problems, "\n".join(problems[:40])


def test_every_stored_code_in_the_sample_has_a_name_and_sentence() -> None:
    from tradewind.tariffs import sample

    codes = set(re.findall(r'"(section_\d+|ieepa_\w+)"', Path(sample.__file__).read_text()))
    assert codes
    for code in codes | {"VAT", "GST", "excise", "other", "consumption", "sales"}:
        assert code in LABELS, code
        assert explanation(code), code
        assert "_" not in code or label(code) != code.replace("_", " "), code

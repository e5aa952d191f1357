"""The content loader: validation with file/entry/field, idempotence, editors' changes kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.knowledge.platform_fixtures import write_content
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.ingest.content import CONTENT_DIR, load_content, read_content
from tradewind.knowledge import queries as kq
from tradewind.knowledge.models import glossary_terms, guides


def _count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_loads_every_kind(db: Database, tmp_path: Path) -> None:
    report = load_content(db, write_content(tmp_path))
    assert report.inserted == {"guides": 3, "glossary": 4, "library": 2, "champions": 1,
                               "members": 3, "recommendations": 2, "events": 1, "tracker": 1,
                               "network": 3}
    assert any("unknown-term" in w for w in report.warnings)
    with db.connect() as conn:
        assert kq.get_term(conn, "incoterms").see_also == ["fob"]  # dangling link dropped
        assert kq.get_term(conn, "fob", "fr").term == "FOB (Franco à bord)"


def test_second_load_inserts_nothing_and_keeps_editor_changes(db: Database,
                                                              tmp_path: Path) -> None:
    root = write_content(tmp_path)
    load_content(db, root)
    with db.transaction() as conn:
        values = kq.glossary_values(conn, "fob")
        assert values is not None
        values["definition"] = "Edited by an editor."
        kq.save_term(conn, values, "editor@example.org")
    again = load_content(db, root)
    assert again.total_inserted == 0
    with db.connect() as conn:
        assert kq.get_term(conn, "fob").definition == "Edited by an editor."
    replaced = load_content(db, root, replace=True)
    assert replaced.inserted["glossary"] == 4
    with db.connect() as conn:
        assert kq.get_term(conn, "fob").definition.startswith("The seller loads")
    assert _count(db, glossary_terms) == 4


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("glossary.yaml", "- slug: Bad Slug\n  term: X\n  definition: Y\n",
     ["glossary.yaml", "entry 1", "slug"]),
    ("library.yaml", "- slug: a\n  title: A\n  organisation: WTO\n  type: poem\n"
     "  topics: [customs]\n  languages: [en]\n  url: https://x.org\n  summary: s\n",
     ["library.yaml", "entry 1 (a)", "'type'", "poem"]),
    ("library.yaml", "- slug: a\n  title: A\n  organisation: WTO\n  type: tool\n"
     "  topics: [customs]\n  languages: [en]\n  url: javascript:alert(1)\n  summary: s\n",
     ["library.yaml", "'url'"]),
    ("glossary.yaml", "- slug: a\n  term: [unclosed\n", ["glossary.yaml", "invalid YAML"]),
    ("working_group/members.yaml", "- {economy: XXX, joined: 2017-12-13}\n",
     ["members.yaml", "economy", "XXX"]),
    ("working_group/tracker.yaml", "- {economy: KEN, recommendation: nope, status: planned}\n",
     ["tracker.yaml", "nope"]),
    ("guides/en/first-steps.md", "no front matter\n", ["first-steps.md", "front matter"]),
    ("guides/en/first-steps.md", "---\nslug: first-steps\naudience: everyone\norder: 1\n"
     "title: T\nsummary: S\n---\nBody\n", ["first-steps.md", "audience", "everyone"]),
    ("glossary.yaml", "- slug: a\n  term: A\n  definition: B\n- slug: a\n  term: C\n"
     "  definition: D\n", ["glossary.yaml", "duplicate"]),
])
def test_broken_files_name_file_entry_field_and_change_nothing(
        db: Database, tmp_path: Path, rel: str, text: str, expected: list[str]) -> None:
    root = write_content(tmp_path, {rel: text})
    with pytest.raises(ImportFailed) as info:
        load_content(db, root)
    message = str(info.value)
    for part in expected:
        assert part in message
    assert _count(db, guides) == 0
    assert _count(db, glossary_terms) == 0


def test_not_utf8_is_refused(db: Database, tmp_path: Path) -> None:
    root = write_content(tmp_path)
    (root / "glossary.yaml").write_bytes("- slug: caf\n  term: Café\n".encode("latin-1"))
    with pytest.raises(ImportFailed, match="UTF-8"):
        load_content(db, root)
    assert _count(db, glossary_terms) == 0


def test_lenient_mode_skips_only_the_broken_file(db: Database, tmp_path: Path) -> None:
    """``tradewind init`` loads everything else and names the broken file."""
    root = write_content(tmp_path, {"guides/en/why-msmes.md": "---\ntitle: [unclosed\n---\n"})
    report = load_content(db, root, strict=False)
    assert report.inserted["guides"] == 2 and report.inserted["glossary"] == 4
    assert any("why-msmes.md" in w and w.startswith("skipped") for w in report.warnings)


def test_shipped_content_is_readable() -> None:
    """The shipped content (written by the content helper) loads, at least leniently."""
    if not CONTENT_DIR.is_dir():
        pytest.skip("no shipped content yet")
    batches, _warnings = read_content(CONTENT_DIR, strict=False)
    assert sum(len(b.records) for b in batches) > 0

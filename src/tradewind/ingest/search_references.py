"""Importer for tariff "search references": a JSON object of plain term → commodity code.

The UK tariff publishes such a list ("abalone": "0307810000", …).  Codes may have 6, 8 or
10 digits; only their first 6 digits (the HS subheading) are kept.  Codes whose subheading
is not in HS 2022 are counted and reported, not stored.  The imported terms become extra
synonyms for the finder, each shown with its dataset as provenance.

The whole file is checked before anything is written and the writes happen in one
transaction: a bad file changes nothing.  Re-importing a file of the same name replaces it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.finder.models import finder_references
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes

KIND = "search-references"
MAX_TERM = 300
CHUNK = 2000

Progress = Callable[[int, int], None]


@dataclass
class ReferencesImport:
    """What an import did (shown by the CLI)."""

    dataset_id: int
    terms: int
    stored: int
    not_in_hs2022: int
    replaced: bool
    unknown_examples: list[str] = field(default_factory=list)


def _line_of(text: str, term: str) -> int | None:
    """Line number where ``term`` appears as a JSON key (for error messages)."""
    needle = json.dumps(term, ensure_ascii=False)
    pos = text.find(needle)
    if pos < 0:
        needle = json.dumps(term)
        pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def parse_references(path: Path) -> list[tuple[str, str, int | None]]:
    """(term, digits, line) for every entry; raises ImportFailed naming file, line, problem."""
    name = str(path)
    raw = rawfile.read_bytes(path)
    rawfile.check_text(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(N_("the file is not UTF-8 text (re-save it as UTF-8)"),
                           file=name, line=raw[: exc.start].count(b"\n") + 1) from exc
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=name)

    def pairs_hook(pairs: list[tuple[str, object]]) -> list[tuple[str, object]]:
        return pairs

    data = rawfile.parse_json(text, name, object_pairs_hook=pairs_hook)
    if not isinstance(data, list) or (data and not isinstance(data[0], tuple)):
        raise ImportFailed(N_('expected one JSON object of "term": "code" pairs, '
                           "found a %(value)s"),
                           file=name, line=1, value=type(data).__name__ if not isinstance(data, list) else 'list')
    entries: list[tuple[str, str, int | None]] = []
    seen: dict[str, str] = {}
    for term, value in data:
        line: int | None = _line_of(text, term)
        clean = " ".join(str(term).split())
        if not clean:
            raise ImportFailed(N_("empty search term"), file=name, line=line)
        if len(clean) > MAX_TERM:
            raise ImportFailed(N_("search term longer than %(max_term)s characters"),
                               file=name, line=line, max_term=MAX_TERM)
        if not isinstance(value, str):
            raise ImportFailed(N_("the code of %(term)r must be a string of digits, "
                               "not %(name)s"), file=name, line=line,
                               field=clean, term=clean, name=type(value).__name__)
        digits = value.strip().replace(".", "").replace(" ", "")
        if not digits.isdigit() or len(digits) not in (6, 8, 10):
            raise ImportFailed(N_("bad code %(value)r for %(term)r: expected 6, 8 or 10 digits"),
                               file=name, line=line, field=clean, value=value, term=clean)
        key = clean.lower()
        if key in seen:
            raise ImportFailed(N_("duplicate search term %(term)r"), file=name, line=line,
                               field=clean, term=clean)
        seen[key] = digits
        entries.append((clean, digits, line))
    if not entries:
        raise ImportFailed(N_("the file holds no search references"), file=name)
    return entries


def import_search_references(db: Database, path: Path, *, name: str | None = None,
                             source: str | None = None, licence: str = "as published",
                             progress: Progress | None = None) -> ReferencesImport:
    """Check and import a search-references JSON file, atomically."""
    entries = parse_references(path)
    dataset_name = name or f"Search references ({path.name})"
    with db.transaction() as conn:
        valid = {row.code for row in conn.execute(
            select(hs_codes.c.code).where(hs_codes.c.edition == DEFAULT_EDITION,
                                          hs_codes.c.level == 6))}
        if not valid:
            raise ImportFailed(N_("HS 2022 is not loaded; run `tradewind init` first"),
                               file=str(path))
        replaced = _drop_previous(conn, dataset_name)
        dataset_id = record_dataset(
            conn, kind=KIND, name=dataset_name, source=source or f"file {path.name}",
            licence=licence, edition=DEFAULT_EDITION,
            notes="Plain-language terms mapped to commodity codes; first 6 digits kept.",
        )
        rows = []
        unknown: list[str] = []
        for term, digits, _line in entries:
            if digits[:6] not in valid:
                unknown.append(f"{term} → {digits}")
                continue
            rows.append({"dataset_id": dataset_id, "term": term, "code": digits[:6],
                         "source_code": digits})
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(finder_references), rows[start:start + CHUNK])
            if progress:
                progress(min(start + CHUNK, len(rows)), len(rows))
        set_row_count(conn, dataset_id, len(rows))
    from tradewind.finder.index import forget_index

    forget_index(db)
    return ReferencesImport(dataset_id=dataset_id, terms=len(entries), stored=len(rows),
                            not_in_hs2022=len(unknown), replaced=replaced,
                            unknown_examples=unknown[:10])


def _drop_previous(conn: Connection, dataset_name: str) -> bool:
    ids = [r.id for r in conn.execute(select(datasets.c.id).where(
        datasets.c.kind == KIND, datasets.c.name == dataset_name))]
    for dataset_id in ids:
        conn.execute(delete(finder_references).where(finder_references.c.dataset_id == dataset_id))
        conn.execute(delete(datasets).where(datasets.c.id == dataset_id))
    return bool(ids)

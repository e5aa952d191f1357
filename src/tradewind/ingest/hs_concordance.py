"""Importer for the UNSD "Conversion and Correlation Tables" between HS editions (.xlsx).

Each workbook has a *correlation* sheet (every pair of related 6-digit codes, with UNSD's
relationship 1:1, 1:n, n:1 or n:n) and a *conversion* sheet (one target per source code,
for converting data).  The sheets and their header rows are found by content, not by
position; the two editions come from the file name and are confirmed by the headers.
Relations are recomputed from the pairs (UNSD's column is checked against them, and any
disagreement is recorded in the provenance notes).  One transaction: a bad workbook
changes nothing; re-importing a pair of editions replaces it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import workbook
from tradewind.nomenclature.composed import build_composed
from tradewind.nomenclature.concordance import RELATIONS, delete_pairs, pair_relations
from tradewind.nomenclature.models import EDITIONS, hs_correspondences

HEADER_SCAN_ROWS = 30
EDITION_IN_TEXT = re.compile(r"HS\s*[-_]?\s*(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
EDITIONS_IN_NAME = re.compile(r"HS\s*[-_]?(\d{4}).*?to.*?HS\s*[-_]?(\d{4})", re.IGNORECASE)
CHUNK = 5000

Progress = Callable[[int, int], None]  # (rows done, rows in the sheet)


@dataclass(frozen=True)
class ConcordanceImport:
    """What an import did (shown by the CLI)."""

    from_edition: str
    to_edition: str
    dataset_id: int
    pairs: int
    relations: dict[str, int]
    disagreements: int
    conversion_rows: int
    correlation_sheet: str
    conversion_sheet: str | None
    replaced: bool


@dataclass(frozen=True)
class _Sheet:
    title: str
    header_row: int  # 1-based
    editions: tuple[str, str]
    code_columns: tuple[int, int]
    relation_column: int | None


def _edition(token: str) -> str:
    year = token if len(token) == 4 else ("19" if token >= "88" else "20") + token
    return f"HS{year}"


def editions_from_name(path: Path) -> tuple[str, str] | None:
    """("HS2022", "HS2017") from "HS2022toHS2017ConversionAndCorrelationTables.xlsx"."""
    match = EDITIONS_IN_NAME.search(path.name)
    return (_edition(match.group(1)), _edition(match.group(2))) if match else None


def _find_header(ws: Any, file: str) -> _Sheet | None:
    """The first row naming two HS editions in two cells (and maybe a relationship column)."""
    for index, row in workbook.sheet_rows(ws, file):
        if index > HEADER_SCAN_ROWS:
            break
        cells = [str(c).strip() if c is not None else "" for c in row]
        found: list[tuple[int, str]] = []
        relation_col = None
        for col, text in enumerate(cells):
            if "relation" in text.lower():
                relation_col = col
                continue
            match = EDITION_IN_TEXT.search(text)
            if match and len(found) < 2:
                found.append((col, _edition(match.group(1))))
        if len(found) == 2:
            return _Sheet(title=ws.title, header_row=index,
                          editions=(found[0][1], found[1][1]),
                          code_columns=(found[0][0], found[1][0]), relation_column=relation_col)
    return None


def _code(value: object) -> str | None:
    """A 6-digit code from a cell: text "010121", or a number that lost its leading zero."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and 0 < value < 1_000_000:
            return str(int(value)).zfill(6)
        return None
    text = re.sub(r"[\s.\-]", "", str(value))
    return text if len(text) == 6 and text.isdigit() else None


def _rows(ws: Any, sheet: _Sheet, file: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    workbook.refuse_problem_cells(ws, file, sheet.header_row)
    for index, row in workbook.sheet_rows(ws, file):
        if index <= sheet.header_row:
            continue
        if row is None or all(c is None or str(c).strip() == "" for c in row):
            continue
        yield index, row


def _cell(row: tuple[Any, ...], col: int) -> Any:
    return row[col] if col < len(row) else None


def import_concordance(db: Database, path: Path, *, progress: Progress | None = None
                       ) -> ConcordanceImport:
    """Load one UNSD correlation workbook (both sheets), atomically."""
    path = Path(path)
    wb = workbook.open_workbook(path)
    try:
        return _import(db, path, wb, progress)
    finally:
        wb.close()


def _import(db: Database, path: Path, wb: Any, progress: Progress | None) -> ConcordanceImport:
    where = str(path)
    sheets = [(ws, _find_header(ws, where)) for ws in wb.worksheets]
    for ws, header in sheets:
        workbook.refuse_problem_cells(ws, where, header.header_row if header else 10**9)
    found = [(ws, s) for ws, s in sheets if s is not None]
    if not found:
        raise ImportFailed(
            N_("wrong header: no sheet has a header row naming two HS editions (e.g. "
            "'HS 2022', 'HS 2017', 'Relationship') in its first "
            "%(header_scan_rows)s rows"), file=where, line=1, header_scan_rows=HEADER_SCAN_ROWS)
    correlation = next(((ws, s) for ws, s in found if s.relation_column is not None), None)
    if correlation is None:
        correlation = next(((ws, s) for ws, s in found if "correl" in ws.title.lower()),
                           found[0])
    conversion = next(((ws, s) for ws, s in found
                       if ws is not correlation[0] and s.relation_column is None), None)
    corr_ws, corr = correlation
    named = editions_from_name(path)
    editions = corr.editions
    if named and named != editions:
        raise ImportFailed(
            N_("the file name says %(named)s → %(named2)s but the header of sheet "
            "'%(title)s' says %(editions)s → %(editions2)s"), file=where,
            line=corr.header_row, named=named[0], named2=named[1], title=corr.title, editions=editions[0], editions2=editions[1])
    from_edition, to_edition = editions
    for edition in editions:
        if edition not in EDITIONS:
            raise ImportFailed(N_("unknown HS edition %(edition)s"), file=where, line=corr.header_row, edition=edition)
    if from_edition == to_edition:
        raise ImportFailed(N_("both columns are %(from_edition)s"), file=where, line=corr.header_row, from_edition=from_edition)

    sheet_where = f"{where} [sheet '{corr.title}']"
    total_rows = int(getattr(corr_ws, "max_row", 0) or 0)
    pairs: list[tuple[str, str]] = []
    given: dict[tuple[str, str], str] = {}
    first_seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(corr_ws, corr, where):
        a = _code(_cell(row, corr.code_columns[0]))
        b = _code(_cell(row, corr.code_columns[1]))
        for value, code, edition in ((_cell(row, corr.code_columns[0]), a, from_edition),
                                     (_cell(row, corr.code_columns[1]), b, to_edition)):
            if code is None:
                raise ImportFailed(N_("bad %(edition)s code %(value)r: expected 6 digits"),
                                   file=sheet_where, line=line, field=edition, edition=edition, value=value)
        assert a is not None and b is not None
        pair = (a, b)
        if pair in first_seen:
            raise ImportFailed(N_("duplicate pair %(a)s → %(b)s (first on line %(first_line)s)"),
                               file=sheet_where, line=line, a=a, b=b, first_line=first_seen[pair])
        first_seen[pair] = line
        if corr.relation_column is not None:
            stated = str(_cell(row, corr.relation_column) or "").strip().lower()
            if stated not in RELATIONS:
                raise ImportFailed(N_("bad relationship %(stated)r: expected one of "
                                   "%(relations)s"), file=sheet_where, line=line,
                                   field="Relationship", stated=stated, relations=', '.join(RELATIONS))
            given[pair] = stated
        pairs.append(pair)
        if progress and len(pairs) % 1000 == 0:
            progress(line, total_rows)
    if not pairs:
        raise ImportFailed(N_("the correlation sheet has a header but no rows (truncated?)"),
                           file=sheet_where, line=corr.header_row + 1)
    if progress:
        progress(total_rows, total_rows)

    conversion_targets: set[tuple[str, str]] = set()
    conversion_missing = 0
    if conversion is not None:
        conv_ws, conv = conversion
        if conv.editions != editions:
            raise ImportFailed(
                N_("sheet '%(title)s' links %(editions)s → %(editions2)s, "
                "not %(from_edition)s → %(to_edition)s"), file=where, line=conv.header_row, title=conv.title, editions=conv.editions[0], editions2=conv.editions[1], from_edition=from_edition, to_edition=to_edition)
        conv_where = f"{where} [sheet '{conv.title}']"
        seen_sources: dict[str, int] = {}
        for line, row in _rows(conv_ws, conv, where):
            a = _code(_cell(row, conv.code_columns[0]))
            b = _code(_cell(row, conv.code_columns[1]))
            if a is None or b is None:
                bad = _cell(row, conv.code_columns[0] if a is None else conv.code_columns[1])
                raise ImportFailed(N_("bad code %(bad)r: expected 6 digits"), file=conv_where,
                                   line=line, bad=bad)
            if a in seen_sources:
                raise ImportFailed(N_("duplicate code %(a)s (first on line %(first_line)s)"),
                                   file=conv_where, line=line, a=a, first_line=seen_sources[a])
            seen_sources[a] = line
            if (a, b) in first_seen:
                conversion_targets.add((a, b))
            else:
                conversion_missing += 1

    relations = pair_relations(pairs)
    disagreements = sum(1 for p, r in given.items() if relations[p] != r)
    counts = {r: 0 for r in RELATIONS}
    for r in relations.values():
        counts[r] += 1
    notes = (f"{len(pairs)} pairs from sheet '{corr.title}'"
             + (f"; conversion targets from sheet '{conversion[1].title}' "
                f"({len(conversion_targets)} marked"
                + (f", {conversion_missing} not in the correlation sheet, ignored" if
                   conversion_missing else "") + ")" if conversion else "")
             + f"; relations recomputed from the pairs: {disagreements} disagree with the "
               "file's Relationship column.")
    with db.transaction() as conn:
        old_ids = list(conn.execute(
            select(datasets.c.id).where(
                datasets.c.kind == "concordance",
                datasets.c.edition.in_([f"{from_edition}/{to_edition}",
                                        f"{to_edition}/{from_edition}"]))).scalars())
        delete_pairs(conn, from_edition, to_edition)
        if old_ids:
            conn.execute(delete(datasets).where(datasets.c.id.in_(old_ids)))
        dataset_id = record_dataset(
            conn, kind="concordance",
            name=f"HS correlation {from_edition[2:]} ↔ {to_edition[2:]}",
            source=f"UNSD conversion and correlation tables, file {path.name}",
            licence="UN Statistics Division publication", edition=f"{from_edition}/{to_edition}",
            notes=notes,
        )
        payload = [{"from_edition": from_edition, "from_code": a, "to_edition": to_edition,
                    "to_code": b, "relation": relations[(a, b)],
                    "conversion": (a, b) in conversion_targets, "dataset_id": dataset_id}
                   for a, b in pairs]
        for start in range(0, len(payload), CHUNK):
            conn.execute(insert(hs_correspondences), payload[start:start + CHUNK])
        set_row_count(conn, dataset_id, len(payload))
        build_composed(conn)  # same transaction: old answers or new, never a mix
    return ConcordanceImport(
        from_edition=from_edition, to_edition=to_edition, dataset_id=dataset_id,
        pairs=len(pairs), relations=counts, disagreements=disagreements,
        conversion_rows=len(conversion_targets), correlation_sheet=corr.title,
        conversion_sheet=conversion[1].title if conversion else None,
        replaced=bool(old_ids),
    )

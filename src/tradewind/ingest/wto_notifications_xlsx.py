"""Importer for the WTO SPS/TBT notification spreadsheet bulk export (.xlsx).

The header row is found by content (the first of the first 30 rows holding a document
symbol column and a title column), so banner rows above it are skipped.  Columns are
matched like the JSON importer's fields (``Document symbol``, ``Notifying Member``,
``Distribution date``, ``Final date for comments``, ``Products covered``, ``HS codes``,
``ICS codes``…); dates may be real cells or text.  Atomic, like every importer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import workbook
from tradewind.notifications.store import (
    HsInferrer,
    NotificationImport,
    RawNotification,
    field_for,
    finder_inferrer,
    run_import,
)

SOURCE = "wto-eping-xlsx"
LICENCE = "WTO documents: public; check the WTO terms of use"
HEADER_SCAN_ROWS = 30
_USE_FINDER = object()


def read_records(path: Path) -> list[RawNotification]:
    file = str(path)
    book = workbook.open_workbook(path)
    try:
        if not book.worksheets:
            raise ImportFailed(N_("the workbook has no sheet"), file=file)
        sheet = book.worksheets[0]
        columns: dict[int, str] | None = None
        out = []
        for number, row in workbook.sheet_rows(sheet, file):
            if columns is None:
                found = {i: field_for(v) for i, v in enumerate(row) if field_for(v)}
                names = set(found.values())
                if {"symbol", "title"} <= names:
                    columns = {i: n for i, n in found.items() if n is not None}
                    workbook.refuse_problem_cells(sheet, file, number)
                elif number >= HEADER_SCAN_ROWS:
                    break
                continue
            if all(v is None or str(v).strip() == "" for v in row):
                continue
            values: dict[str, Any] = {}
            for i, name in columns.items():
                if i < len(row) and name not in values:
                    values[name] = row[i]
            out.append(RawNotification(values, number))
        if columns is None:
            raise ImportFailed(N_("no header row with 'Document symbol' and 'Title' columns in "
                               "the first %(header_scan_rows)s rows of sheet "
                               "%(title)r"), file=file, field="Document symbol", header_scan_rows=HEADER_SCAN_ROWS, title=sheet.title)
        return out
    finally:
        book.close()


def import_wto_notifications_xlsx(db: Database, path: Path, *, edition: str = "",
                                  infer: HsInferrer | object | None = _USE_FINDER,
                                  ) -> NotificationImport:
    """Import the spreadsheet ``path``; refuse the whole file on any error."""
    path = Path(path)
    raw = read_records(path)
    inferrer = finder_inferrer(db) if infer is _USE_FINDER else infer
    return run_import(db, raw, file=str(path), source=SOURCE,
                      name=f"WTO notifications ({path.name})", edition=edition or path.stem,
                      licence=LICENCE, infer=inferrer)  # type: ignore[arg-type]

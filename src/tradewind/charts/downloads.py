"""CSV and XLSX downloads of tables (rankings, statistics), with their sources written in.

Both formats carry the provenance lines so a file passed around still says where its figures
come from — and that they are SAMPLE when they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]


#: Decimal places kept for fractional numbers in CSV downloads (stated in the notes).
CSV_DECIMALS = 6


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def _csv_number(value: Any) -> Any:
    """One machine format for numbers: no float noise (0.30000000000000004 → 0.3)."""
    if isinstance(value, float) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        text = f"{value:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return value


def _safe_text(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection): prefix with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_bytes(sheets: Sequence[Sheet], notes: Sequence[str] = ()) -> bytes:
    """One CSV: each sheet's name line, header and rows, blank line between; notes at the end."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for i, (name, header, rows) in enumerate(sheets):
        if len(sheets) > 1:
            if i:
                writer.writerow([])
            writer.writerow([f"# {name}"])
        writer.writerow([_safe_text(h) for h in header])
        for row in rows:
            writer.writerow([_safe_text(_csv_number(_cell(v))) for v in row])
    writer.writerow([])
    for note in notes:
        writer.writerow([f"# {note}"])
    writer.writerow([f"# Fractional numbers are rounded to {CSV_DECIMALS} decimal places."])
    return buffer.getvalue().encode("utf-8-sig")  # BOM: spreadsheet programs read UTF-8


def xlsx_bytes(sheets: Sequence[Sheet], notes: Sequence[str] = ()) -> bytes:
    """An XLSX workbook: one worksheet per table plus a "Sources" sheet."""
    wb = Workbook()
    first = True
    for name, header, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        assert ws is not None
        ws.title = _sheet_title(name)
        ws.append([_safe_text(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_safe_text(_cell(v)) for v in row])
        ws.freeze_panes = "A2"
    if notes:
        ws = wb.create_sheet("Sources")
        for note in notes:
            ws.append([note])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip() or "Sheet"
    return cleaned[:31]

"""Opening and reading ``.xlsx`` workbooks for the importers, every failure an ImportFailed.

openpyxl raises a dozen unrelated exception types for damaged files (``BadZipFile``,
``KeyError``, ``zlib.error``, XML parse errors…), some only while the rows are read; a sheet
with merged cells or formulas without a saved result silently reads as empty cells.  This
module turns each of these into a clear error naming the file, the sheet and the cell, so that
no spreadsheet ever imports half-read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import iterparse

from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.rawfile import binary_kind, read_bytes

_CELL = re.compile(r"([A-Z]+)(\d+)")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def open_workbook(path: Path) -> Any:
    """A read-only openpyxl workbook (cached values, not formulas)."""
    from openpyxl import load_workbook

    name = str(path)
    raw = read_bytes(path)
    if not raw.strip():
        raise ImportFailed(N_("the file is empty"), file=name, line=1)
    if not raw.startswith(b"PK\x03\x04"):
        what = binary_kind(raw[:8])
        if what:
            raise ImportFailed(N_("not a readable .xlsx workbook: the file is %(what)s"),
                               file=name, line=1, what=what)
        raise ImportFailed(N_("not a readable .xlsx workbook (it looks like text or another "
                              "format: import a CSV with a .csv name, or save the sheet as "
                              ".xlsx)"), file=name, line=1)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for damaged files
        raise ImportFailed(
            N_("not a readable .xlsx workbook (truncated, damaged, or a ZIP archive of other "
            "files: %(name)s)"), file=name, name=type(exc).__name__) from exc


@dataclass
class SheetCheck:
    """Cells of one sheet that cannot be read as data: merged ranges and formulas whose
    result was never saved (files written by scripts rather than spreadsheet programs)."""

    merged: list[tuple[str, int, int]] = field(default_factory=list)  # (range, first, last row)
    formulas: list[tuple[str, int]] = field(default_factory=list)  # (cell, row)


def _row_of(ref: str) -> int:
    found = _CELL.match(ref.replace("$", ""))
    return int(found.group(2)) if found else 0


def check_sheet(sheet: Any, file: str) -> SheetCheck:
    """Scan ``sheet``'s XML once for merged ranges and formulas without a saved value."""
    out = SheetCheck()
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(getattr(sheet, "parent", None), "_archive", None)
    if path is None or archive is None:
        return out
    try:
        data = archive.read(path)
        if b"mergeCell" not in data and not _FORMULA.search(data):
            return out
        import io

        for _event, element in iterparse(io.BytesIO(data)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ref = element.get("ref", "")
                first, _, last = ref.partition(":")
                out.merged.append((ref, _row_of(first), _row_of(last or first)))
            elif tag == "c":
                children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                value = children.get("v")
                if "f" in children and (value is None or not (value.text or "").strip()):
                    ref = element.get("r", "")
                    out.formulas.append((ref, _row_of(ref)))
                element.clear()
    except Exception as exc:  # a damaged sheet: zlib, CRC or XML errors
        raise ImportFailed(N_("sheet %(title)r is damaged and cannot be read "
                           "(%(name)s)"), file=file, title=sheet.title, name=type(exc).__name__) from exc
    return out


def refuse_problem_cells(sheet: Any, file: str, from_row: int = 1) -> None:
    """ImportFailed for a merged range or an unsaved formula at or below ``from_row`` (the
    header row), or a merged range over several rows anywhere: a title banner merged across
    one row above the header is harmless (UNSD's workbooks have one)."""
    found = check_sheet(sheet, file)
    for ref, first, last in found.merged:
        if last >= from_row or last > first:
            raise ImportFailed(
                N_("merged cells %(ref)s in sheet %(title)r: unmerge them and fill every "
                "cell, then import again"), file=file, line=max(first, from_row), field=ref, ref=ref, title=sheet.title)
    for ref, row in found.formulas:
        if row >= from_row:
            raise ImportFailed(
                N_("cell %(ref)s of sheet %(title)r holds a formula with no saved result: "
                "open and save the workbook in a spreadsheet program, or paste the values"),
                file=file, line=row, field=ref, ref=ref, title=sheet.title)


def sheet_rows(sheet: Any, file: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of ``sheet``; damage found while reading becomes ImportFailed."""
    number = 0
    rows = sheet.iter_rows(values_only=True)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # zlib/CRC/XML errors surface while streaming
            raise ImportFailed(N_("sheet %(title)r is damaged after row %(number)s "
                               "(%(name)s)"), file=file, line=number + 1, title=sheet.title, number=number, name=type(exc).__name__) from exc
        number += 1
        yield number, row

"""Tiny UNSD-style correlation workbooks built in code for the tests."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

# HS2022 → HS2017 pairs covering every relation:
#   010121 → 010121            1:1
#   020110 → 020111, 020112    1:n (a split)
#   030110, 030120 → 030100    n:1 (a merger)
#   040110 → 040110, 040120 and 040130 → 040120   (n:n through 040120)
PAIRS = [
    ("010121", "010121", "1:1"),
    ("020110", "020111", "1:n"),
    ("020110", "020112", "1:n"),
    ("030110", "030100", "n:1"),
    ("030120", "030100", "n:1"),
    ("040110", "040110", "1:n"),
    ("040110", "040120", "n:n"),
    ("040130", "040120", "n:1"),
]
CONVERSION = [("010121", "010121"), ("020110", "020111"), ("030110", "030100"),
              ("030120", "030100"), ("040110", "040110"), ("040130", "040120")]


def make_workbook(path: Path, pairs: list[tuple[object, object, object]] | None = None,
                  editions: tuple[str, str] = ("HS2022", "HS2017"),
                  header: tuple[str, str, str] | None = None,
                  conversion: list[tuple[object, object]] | None = None) -> Path:
    """A workbook laid out like UNSD's: a conversion sheet, then a correlation sheet with a
    title row above its header."""
    a, b = editions
    wb = Workbook()
    conv = wb.active
    assert conv is not None
    conv.title = f"{a}-{b} Conversions"
    conv.append((f"From {a}", f"To {b}"))
    for row in CONVERSION if conversion is None else conversion:
        conv.append(row)
    corr = wb.create_sheet(f"{a}-{b} Correlations")
    corr.append(("Between", None, None))
    corr.append(header or (a, f" {b}", "Relationship"))
    for row in PAIRS if pairs is None else pairs:
        corr.append(row)
    wb.save(path)
    return path

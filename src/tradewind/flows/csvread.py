"""Line-accurate CSV reading for the smaller importers (World Bank, GeoDist, Comtrade).

Each physical line is decoded on its own, so a wrong encoding is reported with its line
number instead of a bare ``UnicodeDecodeError``; rows come back as dicts keyed by the
(trimmed) header together with their line number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.rawfile import check_line, csv_failure

Progress = Callable[[int], None]


def _decoded_lines(path: Path, progress: Progress | None) -> Iterator[tuple[int, str]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if progress is not None:
                progress(len(raw))
            check_line(raw, str(path), number)
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise ImportFailed(N_("bytes that are not UTF-8 text (wrong encoding? save the "
                                   "file as UTF-8)"), file=str(path), line=number) from None
            yield number, text


def read_rows(path: Path, required: list[str], *, progress: Progress | None = None,
              delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-blank data row; checks the header first."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(N_("file not found"), file=str(path))
    lines = _decoded_lines(path, progress)
    current = [0]

    def numbered() -> Iterator[str]:
        for number, text in lines:
            current[0] = number
            yield text

    reader = csv.reader(numbered(), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportFailed(N_("the file is empty"), file=str(path), line=1) from None
    except csv.Error as exc:
        raise csv_failure(exc, str(path), current[0] or 1) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed(N_("expected columns %(required)s; missing "
                           "%(missing)s (found %(header)s)"),
                           file=str(path), line=1, field=missing[0], required=', '.join(required), missing=', '.join(missing), header=', '.join(header)[:200])
    width = len(header)
    for row in _rows(reader, str(path), current):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            raise ImportFailed(N_("expected %(width)s fields, found %(n_row)s (truncated or "
                               "badly quoted line?)"), file=str(path), line=current[0], width=width, n_row=len(row))
        yield current[0], dict(zip(header, row, strict=True))


def _rows(reader: Iterator[list[str]], file: str, current: list[int]) -> Iterator[list[str]]:
    """The reader's rows, a ``csv.Error`` (a 20 MB field, a stray quote) named with its line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise csv_failure(exc, file, current[0]) from exc
        yield row


def parse_float(text: str, *, path: Path, line: int, field: str,
                allow_blank: bool = False) -> float | None:
    value = text.strip()
    if value in ("", ".", "NA", "..") and allow_blank:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ImportFailed(N_("%(text)r is not a number"), file=str(path), line=line,
                           field=field, text=text) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ImportFailed(N_("%(text)r is not a finite number"), file=str(path), line=line,
                           field=field, text=text)
    return number

"""Strict CSV reading for the tariff and agreement importers.

Every problem becomes an :class:`ImportFailed` naming the file, the line and the problem, so
the operator can fix the file; nothing is guessed (wrong encodings are refused, short rows are
reported as truncated rather than padded).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.ingest.rawfile import csv_failure


def read_text(path: Path, encodings: Sequence[str] = ("utf-8-sig",)) -> str:
    """The file's text; UTF-16 and undecodable bytes are refused with the line of the problem."""
    return rawfile.read_text(path, tuple(encodings))


class CsvFile:
    """Rows of a CSV file as dicts keyed by lower-case, stripped column names."""

    def __init__(self, path: Path, required: Sequence[str], *, text: str | None = None,
                 delimiter: str | None = None) -> None:
        self.path = path
        self.name = str(path)
        self.text = read_text(path) if text is None else text
        if not self.text.strip():
            raise ImportFailed(N_("the file is empty"), file=self.name, line=1)
        if delimiter is None:
            first = self.text.splitlines()[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
        self._reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=delimiter)
        try:
            header = next(self._reader)
        except StopIteration:
            raise ImportFailed(N_("the file is empty"), file=self.name, line=1) from None
        except csv.Error as exc:
            raise csv_failure(exc, self.name, self._reader.line_num or 1) from exc
        self.columns = [h.strip().lower() for h in header]
        missing = [c for c in required if c.lower() not in self.columns]
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip())
            if found:
                raise ImportFailed(N_("wrong header: missing column(s) %(missing)s; found "
                                      "%(found)s"), file=self.name, line=1,
                                   missing=", ".join(missing), found=found)
            raise ImportFailed(N_("wrong header: missing column(s) %(missing)s; found nothing"),
                               file=self.name, line=1, missing=", ".join(missing))
        duplicates = {c for c in self.columns if c and self.columns.count(c) > 1}
        if duplicates:
            raise ImportFailed(N_("duplicate column(s) %(duplicates)s"),
                               file=self.name, line=1, duplicates=', '.join(sorted(duplicates)))

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        width = len(self.columns)
        while True:
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise csv_failure(exc, self.name, self._reader.line_num) from exc
            line = self._reader.line_num
            if not values or all(not v.strip() for v in values):
                continue  # blank lines are harmless
            if len(values) < width:
                # A trailing run of empty columns may be omitted by some tools only if the
                # header itself ends with empty names; otherwise the row is truncated.
                if all(not c for c in self.columns[len(values):]):
                    values = values + [""] * (width - len(values))
                else:
                    raise ImportFailed(
                        N_("truncated row: expected %(width)s fields, found %(n_values)s"),
                        file=self.name, line=line, width=width, n_values=len(values))
            if len(values) > width and any(v.strip() for v in values[width:]):
                raise ImportFailed(N_("too many fields: expected %(width)s, found %(n_values)s"),
                                   file=self.name, line=line, width=width, n_values=len(values))
            yield line, {c: v.strip() for c, v in zip(self.columns, values, strict=False) if c}

    def fail(self, problem: str, line: int, field: str | None = None,
             **params: Any) -> ImportFailed:
        """An ImportFailed at ``line`` of this file; ``problem`` is an ``N_`` message id."""
        return ImportFailed(problem, file=self.name, line=line, field=field, **params)


def parse_date(text: str, *, file: str, line: int, field: str) -> date | None:
    """ISO dates (``2024-01-31``), also ``2024/01/31`` and ``31/01/2024``; blank → None."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%b-%Y", "%d-%b-%y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ImportFailed(N_("bad date %(text)r (expected YYYY-MM-DD)"), file=file, line=line,
                       field=field, text=text)


def parse_decimal(text: str, *, file: str, line: int, field: str,
                  allow_blank: bool = True) -> Decimal | None:
    text = text.strip()
    if not text:
        if allow_blank:
            return None
        raise ImportFailed(N_("value missing"), file=file, line=line, field=field)
    try:
        value = Decimal(text.replace(",", "") if text.count(",") and "." in text else
                        text.replace(",", "."))
    except InvalidOperation as exc:
        raise ImportFailed(N_("bad number %(text)r"), file=file, line=line, field=field, text=text) from exc
    if not value.is_finite():
        raise ImportFailed(N_("bad number %(text)r"), file=file, line=line, field=field, text=text)
    return value

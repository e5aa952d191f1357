"""What every importer checks on a file's raw bytes before parsing it.

Importers are given whatever an operator has on disk: a compressed download, a spreadsheet
saved under a ``.csv`` name, a UTF-16 export, a file cut short by a failed transfer.  Each of
these must end in an :class:`ImportFailed` naming the file (and the line when there is one),
never in a traceback from ``csv``, ``json``, ``zipfile`` or ``openpyxl``.  The checks live here
so that all readers (``tariffs.csvfile``, ``flows.csvread``, the JSON and xlsx importers) say
the same thing in the same words.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_

#: Longest CSV field accepted (characters).  The csv module's own limit is process-wide, so
#: it is set once here; a longer field is almost always an unclosed quote swallowing the rest
#: of the file, and is reported as such with its line.
FIELD_LIMIT = 10_000_000
csv.field_size_limit(FIELD_LIMIT)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed: decompress it (gunzip) and import the file inside"),
    (b"PK\x03\x04", "a ZIP archive (or an .xlsx workbook): extract the file, or save the "
                    "sheet as CSV UTF-8"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"BZh", "bzip2-compressed: decompress it (bunzip2) first"),
    (b"\xfd7zXZ\x00", "xz-compressed: decompress it (unxz) first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed: decompress it (unzstd) first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: extract the file first"),
    (b"Rar!", "a RAR archive: extract the file first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls (or password-protected) "
                                         "workbook: save it as .xlsx or CSV UTF-8"),
    (b"%PDF", "a PDF document, not data"),
)


def binary_kind(head: bytes) -> str | None:
    """What a file starting with ``head`` is, when it is a known binary format."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder or a read error becomes ImportFailed."""
    name = str(path)
    if not path.exists():
        raise ImportFailed(N_("file not found"), file=name)
    if path.is_dir():
        raise ImportFailed(N_("this is a folder, not a file"), file=name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(N_("cannot read the file (%(strerror)s)"), file=name, strerror=exc.strerror or exc) from exc


def check_text(raw: bytes, file: str) -> None:
    """Refuse compressed, binary and UTF-16 content before any decoding is tried."""
    what = binary_kind(raw[:8])
    if what is not None:
        raise ImportFailed(N_("the file is %(what)s"), file=file, line=1, what=what)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(N_("the file is UTF-16 encoded; save it as UTF-8 and import again"),
                           file=file, line=1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        if b"\x00" in raw[:200] and raw[:200].count(b"\x00") * 3 >= min(len(raw), 200):
            raise ImportFailed(N_("the file is UTF-16 encoded (or binary); save it as UTF-8 and "
                               "import again"), file=file, line=line)
        raise ImportFailed(N_("NUL bytes in the file: it is binary or damaged, not text"),
                           file=file, line=line)


def check_line(raw: bytes, file: str, line: int) -> None:
    """The per-line form of :func:`check_text`, for readers that stream line by line."""
    if line == 1:
        check_text(raw, file)
    elif b"\x00" in raw:
        raise ImportFailed(N_("NUL bytes in the file: it is binary or damaged, not text"),
                           file=file, line=line)


def decode(raw: bytes, file: str, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """``raw`` as text in the first encoding that fits; else the line of the first bad byte."""
    error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    line = raw[: error.start].count(b"\n") + 1
    raise ImportFailed(
        N_("the file is not valid UTF-8 (byte 0x%(raw)02x); it may be Latin-1 or "
        "Windows-1252: save it as UTF-8 and import again"), file=file, line=line, raw=raw[error.start])


def read_text(path: Path, encodings: tuple[str, ...] = ("utf-8-sig",)) -> str:
    """A text file's content, every problem an ImportFailed naming file and line."""
    raw = read_bytes(path)
    check_text(raw, str(path))
    return decode(raw, str(path), encodings)


def csv_failure(exc: csv.Error, file: str, line: int | None) -> ImportFailed:
    """A ``csv.Error`` in plain words, with its line."""
    text = str(exc)
    if "field larger than field limit" in text:
        return ImportFailed(N_("a field is longer than %(field_limit)s characters (an unclosed "
                            "quote, or not a CSV file)"), file=file, line=line, field_limit=format(FIELD_LIMIT, ','))
    if "NUL" in text:
        return ImportFailed(N_("NUL bytes in the file: it is binary or damaged, not text"),
                            file=file, line=line)
    if "new-line character seen in unquoted field" in text:
        return ImportFailed(N_("a line break inside an unquoted field (mixed line endings?)"),
                            file=file, line=line)
    return ImportFailed(N_("unreadable CSV row (%(text)s); a quote may be missing"), file=file,
                        line=line, text=text)


def guarded(reader: Any, file: str) -> Iterator[Any]:
    """The rows of a ``csv.reader`` or ``csv.DictReader``, a ``csv.Error`` (a 20 MB field, a
    stray quote) raised as ImportFailed with the reader's line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise csv_failure(exc, file, reader.line_num) from exc
        yield row


def parse_json(text: str, file: str, **kwargs: Any) -> Any:
    """``json.loads`` with every failure (syntax, absurd nesting) named with file and line."""
    try:
        return json.loads(text, **kwargs)
    except json.JSONDecodeError as exc:
        raise ImportFailed(N_("not valid JSON (%(msg)s); is the file truncated?"), file=file,
                           line=int(exc.lineno), msg=exc.msg) from exc
    except RecursionError:
        raise ImportFailed(N_("the JSON is nested too deeply to be data"), file=file,
                           line=1) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise ImportFailed(N_("the JSON holds a value no importer can use (%(reason)s)"),
                           file=file, line=1, reason=str(exc)[:250]) from None

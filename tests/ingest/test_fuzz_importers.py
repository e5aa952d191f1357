"""Broken files for every importer: a clear ``ImportFailed`` naming the file, never a crash,
and the database exactly as it was.

Two layers: named cases every importer must refuse (empty, binary, NUL bytes, a 20 MB field, a
20 MB line, gzip/zip/fake compression, UTF-16, spreadsheets with merged cells or formulas),
and hypothesis-generated damage (truncation, byte flips, inserted junk, huge fields) where the
importer may also accept a file that happens to stay valid, but never raises anything else and
never half-writes.  Hypothesis runs derandomised with a bounded number of examples.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import inspect
import io
import pkgutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import tradewind.ingest
from tests.ingest.importers import OUTSIDE_INGEST, Importer, importers
from tradewind.db import Database
from tradewind.db.tables import metadata
from tradewind.errors import ImportFailed

IMPORTERS = importers()
BIG = 20 * 1024 * 1024  # the 20 MB field of the issue
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


def snapshot(db: Database) -> dict[str, tuple[int, str]]:
    """Row count and a digest of the content of every table."""
    out: dict[str, tuple[int, str]] = {}
    with db.connect() as conn:
        for table in metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            out[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def _entry_points(module: object, prefix: str) -> set[str]:
    return {f"{prefix}.{name}" for name, fn in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("import_") and fn.__module__ == getattr(module, "__name__", "")}


def test_every_importer_has_a_fuzz_case() -> None:
    """A new ``import_*`` function in ``tradewind.ingest`` (or in a feature module listed in
    ``OUTSIDE_INGEST``) without an entry here fails."""
    entry_points = set()
    for info in pkgutil.iter_modules(tradewind.ingest.__path__):
        module = importlib.import_module(f"tradewind.ingest.{info.name}")
        entry_points |= _entry_points(module, info.name)
    for name in OUTSIDE_INGEST:
        entry_points |= _entry_points(importlib.import_module(f"tradewind.{name}"), name)
    assert entry_points == {i.name.split("[")[0] for i in IMPORTERS}


def test_every_file_import_command_has_a_fuzz_case() -> None:
    """Each ``tradewind import …`` command names a library entry point of the registry, so
    an importer added outside ``tradewind.ingest`` cannot go without its cases either."""
    from tradewind.cli.app import import_app

    modules = {i.name.split("[")[0].rpartition(".")[0] for i in IMPORTERS}
    full = {f"tradewind.{m}" for m in modules} | {f"tradewind.ingest.{m}" for m in modules}
    for command in import_app.registered_commands:
        callback = command.callback
        assert callback is not None
        source = inspect.getsource(callback)  # imports inside the command
        called = {getattr(callback.__globals__.get(n), "__module__", None)  # or at the top
                  for n in callback.__code__.co_names}
        used = called & full or {m for m in full if f"{m} import" in source}
        assert used, f"tradewind import {command.name}: no fuzz and kill cases"


# -- the damage -----------------------------------------------------------------------------
def _insert_line(data: bytes, junk: bytes) -> bytes:
    """``junk`` as the second line (the first data row), else appended."""
    head, sep, rest = data.partition(b"\n")
    return head + sep + junk + b"\n" + rest if sep else data + b"\n" + junk


def huge_field(data: bytes, kind: str) -> bytes:
    if kind == "json":
        return data.replace(b'"', b'"' + b"x" * BIG, 1)
    return _insert_line(data, b'"' + b"x" * BIG + b'",a,b')


def huge_line(data: bytes, kind: str) -> bytes:
    if kind == "json":
        return b" " * BIG + b"x" + data
    return _insert_line(data, b"y" * BIG)


def _zip(data: bytes, kind: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.csv", data)
    return out.getvalue()


TEXT_CASES: dict[str, Callable[[bytes, str], bytes]] = {
    "empty": lambda d, k: b"",
    "blank": lambda d, k: b"\n \n\r\n",
    "binary": lambda d, k: bytes(range(256)) * 64,
    "nul-bytes": lambda d, k: d[: len(d) // 2] + b"\x00" * 16 + d[len(d) // 2:],
    "huge-field": huge_field,
    "huge-line": huge_line,
    "gzip": lambda d, k: gzip.compress(d),
    "fake-gzip": lambda d, k: b"\x1f\x8b\x08\x00" + d,
    "zip": _zip,
    "utf-16": lambda d, k: d.decode("utf-8").encode("utf-16"),
    "header-only": lambda d, k: d.split(b"\n", 1)[0] + b"\n" if k == "csv" else b"{}",
}


def _sheet_edit(edit: Callable[..., None]) -> Callable[[bytes, str], bytes]:
    def apply(data: bytes, kind: str) -> bytes:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        edit(book)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return apply


def _data_sheet(book):  # type: ignore[no-untyped-def]
    """The sheet holding the data (the last one: UNSD's correlations come second)."""
    return book.worksheets[-1]


def _merge(book) -> None:  # type: ignore[no-untyped-def]
    sheet = _data_sheet(book)
    last = sheet.max_row
    sheet.merge_cells(start_row=last - 1, start_column=1, end_row=last, end_column=2)


def _formula(book) -> None:  # type: ignore[no-untyped-def]
    sheet = _data_sheet(book)
    sheet.cell(row=sheet.max_row, column=1).value = "=CONCATENATE(\"0\",\"10121\")"


def _no_rows(book) -> None:  # type: ignore[no-untyped-def]
    for sheet in book.worksheets:
        sheet.delete_rows(1, sheet.max_row)


XLSX_CASES: dict[str, Callable[[bytes, str], bytes]] = {
    "empty": lambda d, k: b"",
    "binary": lambda d, k: bytes(range(256)) * 64,
    "truncated": lambda d, k: d[: len(d) // 2],
    "csv-named-xlsx": lambda d, k: b"a,b,c\n1,2,3\n",
    "zip-not-xlsx": _zip,
    "gzip": lambda d, k: gzip.compress(d),
    "fake-gzip": lambda d, k: b"\x1f\x8b\x08\x00" + d,
    "old-xls-or-encrypted": lambda d, k: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024,
    "merged-cells": _sheet_edit(_merge),
    "formula": _sheet_edit(_formula),
    "empty-sheets": _sheet_edit(_no_rows),
}

CASES = [(imp, case) for imp in IMPORTERS
         for case in (XLSX_CASES if imp.kind == "xlsx" else TEXT_CASES)]


# -- the checks -----------------------------------------------------------------------------
def prepare(db: Database, importer: Importer, tmp_path: Path) -> list[Path]:
    """Reference data, then the old data loaded, then fresh files to break."""
    importer.setup(db)
    old = tmp_path / "old"
    old.mkdir()
    importer.run(db, importer.write(old, 0))
    new = tmp_path / "new"
    new.mkdir()
    return importer.write(new, 1)


def refused(db: Database, importer: Importer, files: list[Path], broken: Path,
            before: dict[str, tuple[int, str]], *, must_fail: bool) -> None:
    try:
        importer.run(db, files)
    except ImportFailed as error:
        message = str(error)
        assert (error.file and Path(error.file).name == broken.name) or \
            broken.name in message, message
        assert snapshot(db) == before, f"a refused import changed the database: {message}"
        return
    assert not must_fail, f"{importer.name} accepted a broken {broken.name}"


@pytest.mark.parametrize(("importer", "case"), CASES,
                         ids=[f"{i.name}-{c}" for i, c in CASES])
def test_named_damage_is_refused(db: Database, tmp_path: Path, importer: Importer,
                                 case: str) -> None:
    files = prepare(db, importer, tmp_path)
    before = snapshot(db)
    damage = (XLSX_CASES if importer.kind == "xlsx" else TEXT_CASES)[case]
    files[0].write_bytes(damage(files[0].read_bytes(), importer.kind))
    refused(db, importer, files, files[0], before, must_fail=True)


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """Random damage to a valid file: cut, flipped bytes, inserted junk, a long field."""
    how = draw(st.sampled_from(["cut", "flip", "insert", "long", "delete"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if how == "cut":
        return data[:at]
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, max(len(out) - 1, 0)))
            out[i] = draw(st.integers(0, 255))
        return bytes(out)
    if how == "insert":
        junk = draw(st.one_of(st.binary(min_size=1, max_size=64),
                              st.sampled_from([b'"', b",", b"\r", b"\x00", b"\xff\xfe", b"\n\n",
                                               b"{", b"]", b'\\u0000', b";;;;"])))
        return data[:at] + junk + data[at:]
    if how == "long":
        size = draw(st.sampled_from([200_000, 1_500_000]))
        return data[:at] + draw(st.sampled_from([b"z", b'"', b",", b"9"])) * size + data[at:]
    end = draw(st.integers(at, len(data)))
    return data[:at] + data[end:]


@pytest.mark.parametrize("importer", IMPORTERS, ids=[i.name for i in IMPORTERS])
def test_random_damage_never_crashes_nor_half_writes(db: Database, tmp_path: Path,
                                                     importer: Importer) -> None:
    files = prepare(db, importer, tmp_path)
    before = snapshot(db)
    originals = [p.read_bytes() for p in files]

    @FUZZ
    @given(st.data())
    def check(data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(files) - 1), label="file")
        broken = data.draw(damage(originals[index]), label="damage")
        for path, content in zip(files, originals, strict=True):
            path.write_bytes(content)
        files[index].write_bytes(broken)
        current = snapshot(db)
        try:
            importer.run(db, files)
        except ImportFailed as error:
            message = str(error)
            assert files[index].name in message or (
                error.file and files[index].name in error.file), message
            assert snapshot(db) == current, f"refused, yet the database changed: {message}"

    check()
    assert before  # the old data was loaded before the damage

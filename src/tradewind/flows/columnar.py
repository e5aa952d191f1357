"""Fast, typed reading of BACI-layout CSV (``t,i,j,k,v,q``) with pyarrow's streaming reader.

pyarrow parses the file in multi-megabyte blocks on all cores and hands back typed columns;
the checks are vectorised over each batch.  The fast path never guesses: any batch pyarrow
cannot convert, or any value out of range, raises :class:`FastPathRejected` and the
importer re-reads the file with its line-accurate reader to name the line and field (or to
accept what only that reader tolerates, such as ``10121.0`` for a product code).

BACI pads quantities to a fixed width inside quotes (``"           NA"``); pyarrow parses
the padded numbers itself and the padded ``NA`` spellings are listed as null values.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

Progress = Callable[[int], None]
BLOCK_BYTES = 2 * 1024 * 1024  # small blocks: pyarrow keeps several in flight per thread
COLUMNS = ["t", "i", "j", "k", "v", "q"]
# Null spellings of the quantity: blank, NA, each padded to any width BACI uses (≤ 40).
_NULLS = ["", "NA", "nan", "NaN"] + [" " * n + "NA" for n in range(1, 41)] + [
    " " * n for n in range(1, 41)]


class FastPathRejected(Exception):
    """The columnar reader will not vouch for this file; use the line-accurate reader."""


@dataclass
class Batch:
    """One parsed batch: year, exporter, importer, product, value (thousand USD), quantity
    (tonnes, NaN when unknown)."""

    t: np.ndarray
    i: np.ndarray
    j: np.ndarray
    k: np.ndarray
    v: np.ndarray
    q: np.ndarray

    def __len__(self) -> int:
        return int(self.t.shape[0])


class _Counting(io.RawIOBase):
    """A read-only file that reports the bytes handed to pyarrow (progress bars)."""

    def __init__(self, fh: Any, progress: Progress | None) -> None:
        self._fh, self._progress = fh, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = int(self._fh.readinto(buffer))
        if self._progress is not None and n:
            self._progress(n)
        return n


def _arrow() -> Any:
    try:
        import pyarrow
        import pyarrow.csv
    except ImportError as exc:  # a main dependency: only a broken install gets here
        raise RuntimeError("pyarrow is required to import BACI files "
                           "(pip install pyarrow)") from exc
    return pyarrow


def _check(batch: Batch) -> None:
    t, i, j, k, v, q = batch.t, batch.i, batch.j, batch.k, batch.v, batch.q
    bad = ((t < 1900) | (t > 2100) | (i < 0) | (i >= 1000) | (j < 0) | (j >= 1000)
           | (k < 0) | (k >= 1_000_000) | ~(v >= 0) | (q < 0) | np.isinf(v) | np.isinf(q))
    if bad.any():
        raise FastPathRejected("a value is out of range")


def read_batches(path: Path, *, progress: Progress | None = None,
                 block_bytes: int = BLOCK_BYTES) -> Iterator[Batch]:
    """Typed, checked batches of the data rows (the header line is skipped: check it first)."""
    pa = _arrow()
    csv = pa.csv
    types = {"t": pa.int32(), "i": pa.int32(), "j": pa.int32(), "k": pa.int32(),
             "v": pa.float64(), "q": pa.float64()}
    read = csv.ReadOptions(column_names=COLUMNS, skip_rows=1, block_size=block_bytes,
                           use_threads=True)
    convert = csv.ConvertOptions(column_types=types, null_values=_NULLS,
                                 strings_can_be_null=False, quoted_strings_can_be_null=True,
                                 include_columns=COLUMNS)
    parse = csv.ParseOptions(newlines_in_values=False)
    with path.open("rb") as raw:
        try:
            reader = csv.open_csv(_Counting(raw, progress), read_options=read,
                                  parse_options=parse, convert_options=convert)
            for record in reader:
                if record.num_rows == 0:
                    continue
                cols = [record.column(n) for n in COLUMNS]
                if any(c.null_count for c in cols[:5]):
                    raise FastPathRejected("a required field is empty")
                t, i, j, k, v = (c.to_numpy() for c in cols[:5])
                batch = Batch(t, i, j, k, v, cols[5].fill_null(np.nan).to_numpy())
                _check(batch)
                yield batch
        except (pa.ArrowException, ValueError, OSError) as exc:
            if isinstance(exc, OSError) and not isinstance(exc, pa.ArrowException):
                raise
            raise FastPathRejected(str(exc)[:300]) from None
        finally:
            pa.default_memory_pool().release_unused()

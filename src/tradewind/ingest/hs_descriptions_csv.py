"""Importer for French and Spanish HS descriptions supplied by the operator.

Why: the WCO publishes the nomenclature in English and French and national customs offices
publish Spanish versions, but no open package ships them; an operator who holds a licensed
file loads it here and pages, API, brief and finder read the description in the reader's
language (falling back to English, marked as such, where a code is not covered).

Format: the layout of the nomenclature CSV (``section,hscode,description,parent,level``), UTF-8,
one row per chapter, heading or subheading, covering all or part of an edition that is already
loaded; optional ``section,name`` file for section names.  Every code must exist in that
edition with the same level, parent and section.  The file is read and checked in full before
anything is written; the write is one transaction that replaces the previous import of the
same edition and language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.nomenclature_csv import (
    REQUIRED,
    ROMAN,
    _header,
    code_rows,
    package_licence,
    parse_sections,
    read_text,
)
from tradewind.nomenclature.codes import normalize_edition
from tradewind.nomenclature.models import DEFAULT_EDITION, hs_codes, hs_descriptions

KIND = "hs-descriptions"
LANGUAGE_NAMES = {"fr": "French", "es": "Spanish"}
CHUNK = 2000


@dataclass(frozen=True)
class DescriptionsImport:
    """What an import did (shown by the CLI)."""

    edition: str
    lang: str
    dataset_id: int
    codes: int
    sections: int
    skipped: int
    not_covered: int  # codes of the edition left in English
    replaced: bool


def parse_descriptions(path: Path, known: dict[str, tuple[int, str | None, str]]
                       ) -> tuple[list[dict[str, str]], int]:
    """Checked rows (code, description) and the number of blank/TOTAL rows skipped.

    ``known`` maps each code of the edition to (level, parent, section) as loaded.
    """
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _header(reader, path, REQUIRED)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    skipped = 0
    for line, values in code_rows(reader, path):
        if values is None:
            skipped += 1
            continue
        code = values["hscode"]
        if code.upper() == "TOTAL":
            skipped += 1
            continue
        if not code.isdigit() or len(code) not in (2, 4, 6):
            raise ImportFailed(N_("bad code %(code_text)r: an HS code has 2, 4 or 6 digits"),
                               file=str(path), line=line, field="hscode", code_text=code)
        if code not in known:
            raise ImportFailed(N_("unknown code %(code_text)s: it is not in the loaded edition"),
                               file=str(path), line=line, field="hscode", code_text=code)
        level, parent, section = known[code]
        if values["level"] != str(level):
            raise ImportFailed(N_("level %(level)r does not match code %(code_text)s "
                               "(%(level2)s)"), file=str(path), line=line, field="level", level=values['level'], code_text=code, level2=level)
        expected_parent = parent or "TOTAL"
        if values["parent"].upper() != expected_parent:
            raise ImportFailed(N_("parent %(parent)r of code %(code_text)s should be "
                               "%(expected_parent)s"), file=str(path), line=line, field="parent", parent=values['parent'], code_text=code, expected_parent=expected_parent)
        if values["section"] and values["section"].upper() != section.upper():
            raise ImportFailed(N_("section %(section)r of code %(code_text)s should be "
                               "%(section2)s"), file=str(path), line=line, field="section", section=values['section'], code_text=code, section2=section)
        if not values["description"]:
            raise ImportFailed(N_("empty description for code %(code_text)s"), file=str(path), line=line,
                               field="description", code_text=code)
        if code in seen:
            raise ImportFailed(N_("duplicate code %(code_text)s (first on line %(first_line)s)"),
                               file=str(path), line=line, field="hscode", code_text=code, first_line=seen[code])
        seen[code] = line
        rows.append({"code": code, "description": values["description"]})
    if not rows:
        raise ImportFailed(N_("no HS codes in the file"), file=str(path))
    return rows, skipped


def _known_codes(conn: Connection, edition: str) -> dict[str, tuple[int, str | None, str]]:
    return {r.code: (int(r.level), r.parent, r.section) for r in conn.execute(
        select(hs_codes.c.code, hs_codes.c.level, hs_codes.c.parent, hs_codes.c.section)
        .where(hs_codes.c.edition == edition))}


def import_descriptions(db: Database, path: Path, *, lang: str,
                        edition: str = DEFAULT_EDITION, sections_path: Path | None = None,
                        source: str | None = None, licence: str | None = None
                        ) -> DescriptionsImport:
    """Load (or replace) the ``lang`` descriptions of ``edition`` from a nomenclature CSV."""
    lang = lang.strip().lower()
    if lang not in LANGUAGE_NAMES:
        raise ImportFailed(N_("language %(lang)r is not supported: use fr or es"),
                           file=str(path), field="lang", lang=lang)
    edition = normalize_edition(edition)
    path = Path(path)
    with db.connect() as conn:
        known = _known_codes(conn, edition)
    if not known:
        raise ImportFailed(N_("the %(edition)s nomenclature is not loaded; import it first with "
                           "`tradewind import nomenclature FILE --edition %(edition)s`"),
                           file=str(path), edition=edition)
    rows, skipped = parse_descriptions(path, known)
    section_rows = parse_sections(Path(sections_path)) if sections_path else []
    package_lic, package_source = package_licence(path)
    licence = licence or package_lic or "as stated by the file's publisher"
    source = source or (f"CSV file {path.name}, {package_source}" if package_source
                        else f"CSV file {path.name} (section,hscode,description,parent,level)")
    language = LANGUAGE_NAMES[lang]
    with db.transaction() as conn:
        old_ids = list(conn.execute(select(datasets.c.id).where(
            datasets.c.kind == KIND, datasets.c.edition == edition,
            datasets.c.name == _name(edition, language))).scalars())
        conn.execute(delete(hs_descriptions).where(hs_descriptions.c.edition == edition,
                                                   hs_descriptions.c.lang == lang))
        if old_ids:
            conn.execute(delete(datasets).where(datasets.c.id.in_(old_ids)))
        not_covered = len(known) - len(rows)
        dataset_id = record_dataset(
            conn, kind=KIND, name=_name(edition, language), source=source, licence=licence,
            edition=edition,
            notes=(f"{len(rows)} codes in {language}; {not_covered} codes of {edition} left in "
                   f"English; {len(section_rows)} section names; {skipped} rows skipped."))
        payload = [{"edition": edition, "code": r["code"], "lang": lang,
                    "description": r["description"], "dataset_id": dataset_id} for r in rows]
        payload += [{"edition": edition, "code": str(s["section"]), "lang": lang,
                     "description": str(s["name"]), "dataset_id": dataset_id}
                    for s in section_rows]
        for start in range(0, len(payload), CHUNK):
            conn.execute(insert(hs_descriptions), payload[start:start + CHUNK])
        set_row_count(conn, dataset_id, len(rows))
    from tradewind.finder.index import forget_index

    forget_index(db)
    return DescriptionsImport(edition=edition, lang=lang, dataset_id=dataset_id,
                              codes=len(rows), sections=len(section_rows), skipped=skipped,
                              not_covered=not_covered, replaced=bool(old_ids))


def _name(edition: str, language: str) -> str:
    return f"Harmonized System {edition[2:]} descriptions in {language}"


__all__ = ["ROMAN", "DescriptionsImport", "import_descriptions", "parse_descriptions"]

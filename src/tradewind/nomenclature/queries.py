"""Named queries over the HS nomenclature.  The web pages, the API and the CLI only call these."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, case, func, select

from tradewind.datasets.queries import Provenance, datasets_of_kind
from tradewind.errors import InvalidCode, NotFound
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.codes import (
    format_code,
    leading_digits,
    nearest_codes,
    normalize_code,
    normalize_edition,
)
from tradewind.nomenclature.models import DEFAULT_EDITION, EDITIONS, hs_codes, hs_sections
from tradewind.nomenclature.translations import localise, localise_one, localised_descriptions

LEVEL_NAMES = {0: "section", 2: "chapter", 4: "heading", 6: "subheading"}


@dataclass(frozen=True)
class CodeInfo:
    """One entry of the nomenclature.  ``level`` 0 is a section (``code`` is its roman numeral)."""

    edition: str
    code: str
    level: int
    parent: str | None
    section: str
    description: str
    dataset_id: int | None = None

    @property
    def display(self) -> str:
        """"0901.21" for a subheading, "0901" for a heading, "Section II" for a section."""
        if self.level == 0:
            return _("Section %(number)s", number=self.code)
        return format_code(self.code)

    @property
    def kind(self) -> str:
        return LEVEL_NAMES.get(self.level, "code")

    @property
    def description_lang(self) -> str:
        """The language of ``description``: "en" as published, or an imported one."""
        return str(getattr(self.description, "lang", "en"))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["display"] = self.display
        data["kind"] = self.kind
        data["description_lang"] = self.description_lang
        return data


@dataclass(frozen=True)
class EditionInfo:
    """An edition present in the database, with its size and where it came from."""

    edition: str
    codes: int
    subheadings: int
    dataset_ids: tuple[int, ...]


def _info(row: Any) -> CodeInfo:
    return CodeInfo(edition=row.edition, code=row.code, level=int(row.level), parent=row.parent,
                    section=row.section, description=row.description,
                    dataset_id=row.dataset_id)


def _section_info(row: Any) -> CodeInfo:
    return CodeInfo(edition=row.edition, code=row.section, level=0, parent=None,
                    section=row.section, description=row.name)


def editions_loaded(conn: Connection) -> list[EditionInfo]:
    """Editions with nomenclature rows, newest first."""
    rows = conn.execute(
        select(hs_codes.c.edition, func.count(),
               func.sum(case((hs_codes.c.level == 6, 1), else_=0)))
        .group_by(hs_codes.c.edition)
    ).all()
    out = []
    for edition, count, subheadings in rows:
        ids = conn.execute(
            select(hs_codes.c.dataset_id).where(hs_codes.c.edition == edition,
                                                hs_codes.c.dataset_id.is_not(None))
            .distinct()
        ).scalars().all()
        out.append(EditionInfo(edition=edition, codes=int(count), subheadings=int(subheadings or 0),
                               dataset_ids=tuple(sorted(int(i) for i in ids))))
    return sorted(out, key=lambda e: e.edition, reverse=True)


def edition_is_loaded(conn: Connection, edition: str) -> bool:
    return conn.execute(
        select(hs_codes.c.id).where(hs_codes.c.edition == edition).limit(1)
    ).first() is not None


def require_edition(conn: Connection, edition: str | None) -> str:
    """A known edition name ("hs2017" → "HS2017"); InvalidInput if unknown."""
    return normalize_edition(edition)


def get_code(conn: Connection, code: str, edition: str = DEFAULT_EDITION) -> CodeInfo | None:
    """The code exactly as stored (digits only), or None."""
    row = conn.execute(
        select(hs_codes).where(hs_codes.c.edition == edition, hs_codes.c.code == code)
    ).first()
    return localise_one(conn, _info(row)) if row else None


def edition_codes(conn: Connection, edition: str = DEFAULT_EDITION,
                  level: int | None = None) -> list[str]:
    """Every code of an edition (optionally one level), sorted."""
    query = select(hs_codes.c.code).where(hs_codes.c.edition == edition)
    if level is not None:
        query = query.where(hs_codes.c.level == level)
    return list(conn.execute(query.order_by(hs_codes.c.code)).scalars())


def suggest_codes(conn: Connection, text: str, edition: str = DEFAULT_EDITION,
                  limit: int = 5) -> list[str]:
    """The nearest valid codes to what was typed (same prefix, then close by edit distance)."""
    typed = leading_digits(text)
    if not typed:
        return []
    # Same chapter first keeps the candidate set small; fall back to the whole edition.
    query = select(hs_codes.c.code).where(hs_codes.c.edition == edition)
    pool = list(conn.execute(query).scalars())
    return nearest_codes(typed, pool, limit=limit)


def require_code(conn: Connection, text: str, edition: str = DEFAULT_EDITION) -> CodeInfo:
    """The code a person typed, or :class:`InvalidCode` naming the nearest valid codes.

    Forgiving about separators ("0901.21", "0901 21"), strict about the digits: a malformed
    input or a code absent from the edition both get suggestions.
    """
    edition = normalize_edition(edition)
    try:
        code = normalize_code(text, edition=edition)
    except InvalidCode as exc:
        exc.suggestions = [format_code(c) for c in suggest_codes(conn, text, edition)]
        raise
    info = get_code(conn, code, edition)
    if info is not None:
        return info
    if not edition_is_loaded(conn, edition):
        raise NotFound(N_("The %(edition)s nomenclature is not loaded; load it with `tradewind "
                          "import nomenclature FILE --edition %(edition)s`."), edition=edition)
    raise InvalidCode(code=text.strip(), edition=edition, reason=N_("no such code in this edition"), missing=True,
                      suggestions=[format_code(c) for c in suggest_codes(conn, code, edition)])


def children(conn: Connection, code: str | None, edition: str = DEFAULT_EDITION) -> list[CodeInfo]:
    """Codes one level down: chapters of a section (roman numeral), headings of a chapter,
    subheadings of a heading.  ``None`` gives the chapters of every section."""
    query = select(hs_codes).where(hs_codes.c.edition == edition)
    if code is None:
        query = query.where(hs_codes.c.level == 2)
    elif code.isdigit():
        query = query.where(hs_codes.c.parent == code)
    else:
        query = query.where(hs_codes.c.section == code, hs_codes.c.level == 2)
    return localise(conn, [_info(r) for r in conn.execute(query.order_by(hs_codes.c.code))])


def get_section(conn: Connection, section: str, edition: str = DEFAULT_EDITION) -> CodeInfo | None:
    row = conn.execute(
        select(hs_sections).where(hs_sections.c.edition == edition,
                                  hs_sections.c.section == section)
    ).first()
    return localise_one(conn, _section_info(row)) if row else None


def path(conn: Connection, code: str, edition: str = DEFAULT_EDITION) -> list[CodeInfo]:
    """Section › chapter › heading › subheading down to ``code`` (empty if unknown).

    The first item is the section (``level`` 0, ``code`` = roman numeral) when the
    edition has section names; codes follow from the chapter down.
    """
    prefixes = [code[:n] for n in (2, 4, 6) if n <= len(code)]
    rows = conn.execute(
        select(hs_codes).where(hs_codes.c.edition == edition, hs_codes.c.code.in_(prefixes))
    ).all()
    found = {i.code: i for i in localise(conn, [_info(r) for r in rows])}
    if code not in found:
        return []
    items = [found[p] for p in prefixes if p in found]
    section = get_section(conn, items[0].section, edition)
    return ([section] if section else []) + items


def sections(conn: Connection, edition: str = DEFAULT_EDITION) -> list[CodeInfo]:
    """The sections of an edition in order (I … XXI)."""
    rows = conn.execute(
        select(hs_sections).where(hs_sections.c.edition == edition)
        .order_by(hs_sections.c.position)
    )
    return localise(conn, [_section_info(r) for r in rows])


def chapters(conn: Connection, edition: str = DEFAULT_EDITION,
             section: str | None = None) -> list[CodeInfo]:
    """Chapters of an edition, or of one section."""
    return children(conn, section, edition)


def sections_with_chapters(conn: Connection,
                           edition: str = DEFAULT_EDITION) -> list[tuple[CodeInfo, list[CodeInfo]]]:
    """The chapter browser: each section with its chapters (one query for the chapters)."""
    by_section: dict[str, list[CodeInfo]] = {}
    for chapter in children(conn, None, edition):
        by_section.setdefault(chapter.section, []).append(chapter)
    listed = sections(conn, edition)
    known = {s.code for s in listed}
    # An edition imported without section names still shows its chapters.
    for name in sorted(set(by_section) - known):
        listed.append(CodeInfo(edition=edition, code=name, level=0, parent=None, section=name,
                               description=""))
    return [(s, by_section.get(s.code, [])) for s in listed]


def edition_provenance(conn: Connection, edition: str) -> list[Provenance]:
    """The nomenclature datasets of an edition (shown on pages and in API responses)."""
    return [p for p in datasets_of_kind(conn, "nomenclature") if p.edition == edition]


def editions_with_code(conn: Connection, code: str) -> list[str]:
    """Loaded editions whose nomenclature holds ``code``, newest first."""
    rows = conn.execute(select(hs_codes.c.edition).where(hs_codes.c.code == code))
    return sorted(rows.scalars(), reverse=True)


def descriptions(conn: Connection, codes: list[str], edition: str) -> dict[str, str]:
    """Descriptions for many codes of one edition (codes not loaded are absent)."""
    if not codes:
        return {}
    rows = conn.execute(
        select(hs_codes.c.code, hs_codes.c.description)
        .where(hs_codes.c.edition == edition, hs_codes.c.code.in_(sorted(set(codes))))
    )
    return localised_descriptions(conn, edition, {r.code: r.description for r in rows})


def known_editions() -> tuple[str, ...]:
    return EDITIONS

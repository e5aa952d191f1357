"""HS descriptions in the reader's language, where the operator imported them.

Why: pages, the API, the brief and the finder show the nomenclature text; a French or Spanish
reader gets the imported description (marked with its language, :class:`InLanguage`) and the
English one otherwise — which pages then mark "(in English only)".  English readers never pay
for the lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select

from tradewind.i18n import current_language
from tradewind.i18n.labels import InLanguage
from tradewind.nomenclature.models import hs_descriptions

if TYPE_CHECKING:
    from tradewind.nomenclature.concordance import Conversion
    from tradewind.nomenclature.queries import CodeInfo

TRANSLATED = ("fr", "es")


def reader_language(lang: str | None = None) -> str | None:
    """The language to look up (``None`` for English: nothing to do)."""
    chosen = lang or current_language.get()
    return chosen if chosen in TRANSLATED else None


def translated(conn: Connection, edition: str, codes: Iterable[str], lang: str | None = None
               ) -> dict[str, InLanguage]:
    """Imported descriptions of ``codes`` (section numerals too) in ``lang``; absent = English."""
    chosen = reader_language(lang)
    wanted = sorted(set(codes))
    if chosen is None or not wanted:
        return {}
    out: dict[str, InLanguage] = {}
    for start in range(0, len(wanted), 900):  # keep under SQLite's parameter limit
        rows = conn.execute(select(hs_descriptions.c.code, hs_descriptions.c.description)
                            .where(hs_descriptions.c.edition == edition,
                                   hs_descriptions.c.lang == chosen,
                                   hs_descriptions.c.code.in_(wanted[start:start + 900])))
        out.update({r.code: InLanguage(r.description, chosen) for r in rows})
    return out


def all_translated(conn: Connection, edition: str, lang: str) -> dict[str, str]:
    """Every imported description of an edition in ``lang`` (the finder's index reads these)."""
    return {r.code: r.description for r in conn.execute(
        select(hs_descriptions.c.code, hs_descriptions.c.description)
        .where(hs_descriptions.c.edition == edition, hs_descriptions.c.lang == lang))}


def signature(conn: Connection, edition: str) -> str:
    """Count and languages of imported descriptions (part of the finder index fingerprint)."""
    rows = conn.execute(select(hs_descriptions.c.lang, func.count(),
                               func.max(hs_descriptions.c.dataset_id))
                        .where(hs_descriptions.c.edition == edition)
                        .group_by(hs_descriptions.c.lang).order_by(hs_descriptions.c.lang))
    return ";".join(f"{r[0]}:{r[1]}:{r[2]}" for r in rows)


def localise(conn: Connection, infos: list[CodeInfo], lang: str | None = None
             ) -> list[CodeInfo]:
    """The same entries with their description in the reader's language where imported."""
    if reader_language(lang) is None or not infos:
        return infos
    by_edition: dict[str, list[str]] = {}
    for info in infos:
        by_edition.setdefault(info.edition, []).append(info.code)
    found = {edition: translated(conn, edition, codes, lang)
             for edition, codes in by_edition.items()}
    return [replace(i, description=found[i.edition][i.code])
            if i.code in found[i.edition] else i for i in infos]


def localise_one(conn: Connection, info: CodeInfo | None, lang: str | None = None
                 ) -> CodeInfo | None:
    return None if info is None else localise(conn, [info], lang)[0]


def localised_descriptions(conn: Connection, edition: str, english: dict[str, str],
                           lang: str | None = None) -> dict[str, str]:
    """``code → description`` with imported ones replacing the English where present."""
    found = translated(conn, edition, english, lang)
    return {code: found.get(code, text) for code, text in english.items()}


def localise_conversion(conn: Connection, result: Conversion, lang: str | None = None
                        ) -> Conversion:
    """An HS conversion with the source and target descriptions in the reader's language
    where the operator imported them (the others stay English, which pages mark)."""
    if reader_language(lang) is None:
        return result
    source = translated(conn, result.from_edition, [result.code], lang)
    targets = translated(conn, result.to_edition, [t.code for t in result.targets], lang)
    return replace(
        result, description=source.get(result.code, result.description),
        targets=[replace(t, description=targets[t.code]) if t.code in targets else t
                 for t in result.targets])

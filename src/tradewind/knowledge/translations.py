"""French and Spanish versions of content records, stored beside the English original.

Every translated kind (library entries, champions, the Working Group package and events,
organisation descriptions) works like the glossary: English is the record itself and always
complete; a ``<kind>_translations`` table holds one row per record and language.  Forms and
content files carry the translated values as flat ``<field>_<lang>`` fields
(``summary_fr``), so the same :class:`~tradewind.knowledge.fields.Spec` rules check a file
and an editor's form.  A record shown in a language without a row falls back to English and
says so (``translated=False``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from tradewind.errors import Phrase
from tradewind.i18n import lazy_noop as N_

TRANSLATED_LANGS = ("fr", "es")


def flat_name(name: str, lang: str) -> str:
    return f"{name}_{lang}"


def pop_translations(entry: dict[str, Any], names: Iterable[str]) -> Phrase | None:
    """Move ``translations: {fr: {...}, es: {...}}`` of a file entry into flat fields.

    Returns a problem (for the loader to report with file and entry) or ``None``.
    """
    translations = entry.pop("translations", None) or {}
    allowed = tuple(names)
    if not isinstance(translations, dict):
        return Phrase(N_("translations must be a mapping of fr/es to fields"))
    for lang, tr in translations.items():
        if lang not in TRANSLATED_LANGS or not isinstance(tr, dict):
            return Phrase(N_("translations.%(lang)s: expected fr or es with %(allowed)s"),
                          lang=lang, allowed=", ".join(allowed))
        unknown = set(tr) - set(allowed)
        if unknown:
            return Phrase(N_("translations.%(lang)s: unknown field(s) %(names)s (allowed: "
                             "%(allowed)s)"), lang=lang, names=", ".join(sorted(map(str, unknown))),
                          allowed=", ".join(allowed))
        for name in allowed:
            entry[flat_name(name, lang)] = tr.get(name)
    return None


def completeness_check(required: Iterable[str], optional: Iterable[str] = ()
                       ) -> Callable[[dict[str, Any], dict[str, str]], None]:
    """A Spec check: a translation gives every required field, or none of them."""
    req = tuple(required)
    opt = tuple(optional)

    def check(values: dict[str, Any], errors: dict[str, str]) -> None:
        for lang in TRANSLATED_LANGS:
            given = [n for n in req + opt if values.get(flat_name(n, lang))]
            missing = [n for n in req if not values.get(flat_name(n, lang))]
            if given and missing:
                errors[flat_name(missing[0], lang)] = (
                    "give every translated field in this language, or none")
    return check


def chain(*checks: Callable[[dict[str, Any], dict[str, str]], None] | None
          ) -> Callable[[dict[str, Any], dict[str, str]], None]:
    """Run several Spec checks one after the other."""
    def run(values: dict[str, Any], errors: dict[str, str]) -> None:
        for check in checks:
            if check is not None:
                check(values, errors)
    return run


def write_translations(conn: Connection, table: Table, parent: str, parent_id: int,
                       values: Mapping[str, Any], names: Iterable[str],
                       required: Iterable[str]) -> None:
    """Replace the rows of one record with the translations present in ``values``."""
    names = tuple(names)
    req = tuple(required)
    conn.execute(delete(table).where(table.c[parent] == parent_id))
    for lang in TRANSLATED_LANGS:
        row = {n: values.get(flat_name(n, lang)) or "" for n in names}
        if all(row[n] for n in req):
            conn.execute(insert(table).values({parent: parent_id, "lang": lang, **row}))


def read_translations(conn: Connection, table: Table, parent: str, lang: str,
                      ids: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
    """``{parent id: {field: text}}`` in ``lang`` (empty for English)."""
    if lang not in TRANSLATED_LANGS:
        return {}
    query = select(table).where(table.c.lang == lang)
    if ids is not None:
        query = query.where(table.c[parent].in_(list(ids)))
    out: dict[int, dict[str, Any]] = {}
    for row in conn.execute(query):
        m = dict(row._mapping)
        out[m.pop(parent)] = m
    return out


def flat_translations(conn: Connection, table: Table, parent: str, parent_id: int,
                      names: Iterable[str]) -> dict[str, str]:
    """Stored translations of one record as ``<field>_<lang>`` values (for forms)."""
    names = tuple(names)
    values = {flat_name(n, lang): "" for lang in TRANSLATED_LANGS for n in names}
    for row in conn.execute(select(table).where(table.c[parent] == parent_id)):
        for n in names:
            values[flat_name(n, row.lang)] = row._mapping[n]
    return values


def upsert_by_key(conn: Connection, table: Table, key: str, row: dict[str, Any]) -> int:
    """Update the row whose ``key`` column equals ``row[key]``, or insert it; return its id.

    Editors' saves and the content loader address records by a natural key (slug, year).
    """
    where = table.c[key] == row[key]
    existing = conn.execute(select(table.c.id).where(where)).first()
    if existing:
        conn.execute(update(table).where(where).values(**row))
        return int(existing[0])
    pk = conn.execute(insert(table).values(**row)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


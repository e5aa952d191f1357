"""Champions editions: field declarations, saving and reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from tradewind.champions.models import (
    champion_edition_translations,
    champion_editions,
    champion_winner_translations,
    champion_winners,
)
from tradewind.db.softdelete import live
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, FieldError, Spec
from tradewind.knowledge.translations import (
    TRANSLATED_LANGS,
    chain,
    completeness_check,
    flat_translations,
    pop_translations,
    read_translations,
    write_translations,
)
from tradewind.network.queries import check_country

EDITION_TRANSLATED = ("title", "theme", "summary")


def parse_winners(value: Any) -> list[dict[str, str]]:
    """Winners from YAML (list of mappings) or form lines ``name | ISO3 | summary``.

    A YAML winner may carry ``translations: {fr: {summary: ...}}``; the result keeps them
    as ``summary_fr`` / ``summary_es``.
    """
    items: list[dict[str, str]] = []
    if isinstance(value, list):
        for raw in value:
            if not isinstance(raw, dict):
                raise FieldError("each winner needs name, country and summary")
            raw = dict(raw)
            problem = pop_translations(raw, ("summary",))
            if problem:
                raise FieldError(f"winner {raw.get('name')!r}: {problem}")
            unknown = set(raw) - {"name", "country", "summary", "summary_fr", "summary_es"}
            if unknown:
                raise FieldError(f"winner {raw.get('name')!r}: unknown field(s) "
                                 + ", ".join(sorted(map(str, unknown))))
            items.append({k: str(raw.get(k) or "").strip()
                          for k in ("name", "country", "summary", "summary_fr", "summary_es")})
    else:
        for line in str(value or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|", 2)]
            if len(parts) != 3:
                raise FieldError("write each winner as: name | ISO3 country | summary")
            items.append(dict(zip(("name", "country", "summary"), parts, strict=True)))
    for item in items:
        if not item["name"] or not item["summary"]:
            raise FieldError("each winner needs a name and a summary")
        try:
            item["country"] = check_country(item["country"])
        except ValueError as exc:
            raise FieldError(str(exc)) from exc
    return items


def _check(values: dict[str, Any], errors: dict[str, str]) -> None:
    year = values.get("year")
    if isinstance(year, int) and not 1990 <= year <= 2100:
        errors["year"] = "expected a year between 1990 and 2100"
    try:
        values["winners"] = parse_winners(values.get("winners"))
    except FieldError as exc:
        errors["winners"] = str(exc)
        return
    for lang in TRANSLATED_LANGS:
        _merge_winner_lines(values, errors, lang)


def _merge_winner_lines(values: dict[str, Any], errors: dict[str, str], lang: str) -> None:
    """Form field ``winners_<lang>``: one translated summary per line, in the winners' order."""
    text = values.get(f"winners_{lang}")
    if not isinstance(text, str) or not text.strip():
        return
    lines = [line.strip() for line in text.splitlines()]
    winners = values["winners"]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > len(winners):
        errors[f"winners_{lang}"] = "more lines than winners: write one line per winner"
        return
    for winner, line in zip(winners, lines, strict=False):
        winner[f"summary_{lang}"] = line


EDITION_SPEC = Spec("champions", N_("Champions edition"), (
    Field("year", N_("Year"), "int"),
    Field("title", N_("Title")),
    Field("theme", N_("Theme"), "textarea"),
    Field("partners", N_("Organising partners"), "list", required=False),
    Field("summary", N_("Summary"), "textarea"),
    Field("winners", N_("Winners (one per line: name | ISO3 country | summary)"), "lines",
          required=False),
    Field("title_fr", N_("Title in French"), required=False),
    Field("theme_fr", N_("Theme in French"), "textarea", required=False),
    Field("summary_fr", N_("Summary in French"), "textarea", required=False),
    Field("winners_fr", N_("Winners' summaries in French (one line per winner, same order)"),
          "lines", required=False),
    Field("title_es", N_("Title in Spanish"), required=False),
    Field("theme_es", N_("Theme in Spanish"), "textarea", required=False),
    Field("summary_es", N_("Summary in Spanish"), "textarea", required=False),
    Field("winners_es", N_("Winners' summaries in Spanish (one line per winner, same order)"),
          "lines", required=False),
), chain(_check, completeness_check(EDITION_TRANSLATED)))


@dataclass(frozen=True)
class Edition:
    year: int
    title: str
    theme: str
    partners: list[str]
    summary: str
    winners: list[dict[str, Any]]
    translated: bool = True  # False when English stands in for the page's language

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_editions(conn: Connection, lang: str = "en") -> list[Edition]:
    """Editions, newest first, in ``lang`` where translated (English otherwise).

    Each winner dict has ``translated`` too: an edition can be translated while one of its
    winners' summaries is not yet.
    """
    editions = list(conn.execute(select(champion_editions).where(live(champion_editions))
                                 .order_by(champion_editions.c.year.desc())))
    tr = read_translations(conn, champion_edition_translations, "edition_id", lang)
    wtr = read_translations(conn, champion_winner_translations, "winner_id", lang)
    winners: dict[int, list[dict[str, Any]]] = {e.id: [] for e in editions}
    for w in conn.execute(select(champion_winners).order_by(champion_winners.c.position)):
        summary = wtr[w.id]["summary"] if w.id in wtr else w.summary
        winners.setdefault(w.edition_id, []).append(
            {"name": w.name, "country": w.country, "summary": summary,
             "translated": lang == "en" or w.id in wtr})
    out = []
    for e in editions:
        t = tr.get(e.id)
        out.append(Edition(e.year, t["title"] if t else e.title, t["theme"] if t else e.theme,
                           list(e.partners), t["summary"] if t else e.summary, winners[e.id],
                           lang == "en" or t is not None))
    return out


def edition_values(conn: Connection, key: str) -> dict[str, Any] | None:
    """Stored values of one edition as form strings, translations included."""
    row = conn.execute(select(champion_editions)
                       .where(champion_editions.c.year == int(key))).first() \
        if key.isdigit() else None
    if row is None:
        return None
    values: dict[str, Any] = {"year": row.year, "title": row.title, "theme": row.theme,
                              "partners": list(row.partners), "summary": row.summary}
    values.update(flat_translations(conn, champion_edition_translations, "edition_id", row.id,
                                    EDITION_TRANSLATED))
    winners = list(conn.execute(select(champion_winners)
                                .where(champion_winners.c.edition_id == row.id)
                                .order_by(champion_winners.c.position)))
    values["winners"] = "\n".join(f"{w.name} | {w.country} | {w.summary}" for w in winners)
    for lang in TRANSLATED_LANGS:
        wtr = read_translations(conn, champion_winner_translations, "winner_id", lang,
                                [w.id for w in winners])
        lines = [wtr[w.id]["summary"] if w.id in wtr else "" for w in winners]
        values[f"winners_{lang}"] = "\n".join(lines).rstrip("\n")
    return values


def save_edition(conn: Connection, values: dict[str, Any], actor: str) -> str:
    winners = parse_winners(values.get("winners") or [])
    row = {"year": values["year"], "title": values["title"], "theme": values["theme"],
           "partners": values.get("partners") or [], "summary": values["summary"],
           "updated_at": datetime.now(UTC), "updated_by": actor}
    existing = conn.execute(select(champion_editions.c.id)
                            .where(champion_editions.c.year == row["year"])).first()
    if existing:
        edition_id = existing[0]
        conn.execute(update(champion_editions).where(champion_editions.c.id == edition_id)
                     .values(**row))
        conn.execute(delete(champion_winners).where(champion_winners.c.edition_id == edition_id))
    else:
        pk = conn.execute(insert(champion_editions).values(**row)).inserted_primary_key
        assert pk is not None
        edition_id = pk[0]
    write_translations(conn, champion_edition_translations, "edition_id", edition_id, values,
                       EDITION_TRANSLATED, EDITION_TRANSLATED)
    for i, w in enumerate(winners):
        pk = conn.execute(insert(champion_winners).values(
            edition_id=edition_id, position=i, name=w["name"], country=w["country"],
            summary=w["summary"])).inserted_primary_key
        assert pk is not None
        write_translations(conn, champion_winner_translations, "winner_id", pk[0], w,
                           ("summary",), ("summary",))
    return str(row["year"])


def edition_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(str(e.year), e.title) for e in list_editions(conn)]

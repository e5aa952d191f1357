"""Champions editions: field declarations, saving and reading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from tradewind.champions.models import champion_editions, champion_winners
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, FieldError, Spec
from tradewind.network.queries import check_country


def parse_winners(value: Any) -> list[dict[str, str]]:
    """Winners from YAML (list of mappings) or form lines ``name | ISO3 | summary``."""
    items: list[dict[str, str]] = []
    if isinstance(value, list):
        for raw in value:
            if not isinstance(raw, dict):
                raise FieldError("each winner needs name, country and summary")
            items.append({k: str(raw.get(k) or "").strip()
                          for k in ("name", "country", "summary")})
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


EDITION_SPEC = Spec("champions", N_("Champions edition"), (
    Field("year", N_("Year"), "int"),
    Field("title", N_("Title")),
    Field("theme", N_("Theme"), "textarea"),
    Field("partners", N_("Organising partners"), "list", required=False),
    Field("summary", N_("Summary"), "textarea"),
    Field("winners", N_("Winners (one per line: name | ISO3 country | summary)"), "lines",
          required=False),
), _check)


@dataclass(frozen=True)
class Edition:
    year: int
    title: str
    theme: str
    partners: list[str]
    summary: str
    winners: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_editions(conn: Connection) -> list[Edition]:
    editions = list(conn.execute(select(champion_editions)
                                 .order_by(champion_editions.c.year.desc())))
    winners: dict[int, list[dict[str, str]]] = {e.id: [] for e in editions}
    for w in conn.execute(select(champion_winners).order_by(champion_winners.c.position)):
        winners.setdefault(w.edition_id, []).append(
            {"name": w.name, "country": w.country, "summary": w.summary})
    return [Edition(e.year, e.title, e.theme, list(e.partners), e.summary, winners[e.id])
            for e in editions]


def edition_values(conn: Connection, key: str) -> dict[str, Any] | None:
    for e in list_editions(conn):
        if str(e.year) == key:
            values = e.as_dict()
            values["winners"] = "\n".join(f"{w['name']} | {w['country']} | {w['summary']}"
                                          for w in e.winners)
            return values
    return None


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
    if winners:
        conn.execute(insert(champion_winners), [
            {"edition_id": edition_id, "position": i, **w} for i, w in enumerate(winners)])
    return str(row["year"])


def edition_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(str(e.year), e.title) for e in list_editions(conn)]

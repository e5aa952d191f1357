"""Working Group: field declarations, saving and the named read queries."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pycountry
from sqlalchemy import Connection, func, insert, select, update

from tradewind.changes.content import record_content_change
from tradewind.countries.reference import country_name, resolve_country
from tradewind.db.softdelete import live
from tradewind.errors import InvalidInput
from tradewind.i18n import gettext
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, Spec
from tradewind.knowledge.translations import (
    chain,
    completeness_check,
    flat_translations,
    read_translations,
    upsert_by_key,
    write_translations,
)
from tradewind.network.queries import check_country
from tradewind.workinggroup.models import (
    feedback,
    wg_event_translations,
    wg_events,
    wg_members,
    wg_recommendation_translations,
    wg_recommendations,
    wg_tracker,
)
from tradewind.workinggroup.regions import REGIONS, region_of

STATUSES = (N_("not started"), N_("planned"), N_("in progress"), N_("implemented"))
REC_KINDS = ("declaration", "recommendation")
FEEDBACK_STATUSES = (N_("pending"), N_("published"), N_("rejected"))


def check_economy(text: str) -> str:
    code = text.strip().upper()
    if code == "EUN":
        return code
    if code == "WORLD":
        raise ValueError("WORLD is not an economy")
    return check_country(code)


def economy_name(code: str, lang: str = "en") -> str:
    from tradewind.countries.reference import country_name
    from tradewind.i18n import gettext as _

    return _("European Union") if code == "EUN" else country_name(code, lang)


def _check_economy_field(values: dict[str, Any], errors: dict[str, str]) -> None:
    if values.get("economy"):
        try:
            values["economy"] = check_economy(values["economy"])
        except ValueError as exc:
            errors["economy"] = str(exc)


def _check_event(values: dict[str, Any], errors: dict[str, str]) -> None:
    start, end = values.get("start"), values.get("end")
    if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
        errors["end"] = "the end is before the start"


MEMBER_SPEC = Spec("member", N_("Member"), (
    Field("economy", N_("Economy (ISO3, or EUN)"), max_len=3),
    Field("joined", N_("Joined"), "date"),
), _check_economy_field)

RECOMMENDATION_SPEC = Spec("recommendation", N_("Declaration or recommendation"), (
    Field("slug", N_("Slug"), "slug", max_len=100),
    Field("title", N_("Title")),
    Field("kind", N_("Kind"), "select", choices=REC_KINDS),
    Field("adopted", N_("Adopted"), "date"),
    Field("summary", N_("Summary"), "textarea"),
    Field("topics", N_("Topics"), "list", required=False),
    Field("title_fr", N_("Title in French"), required=False),
    Field("summary_fr", N_("Summary in French"), "textarea", required=False),
    Field("title_es", N_("Title in Spanish"), required=False),
    Field("summary_es", N_("Summary in Spanish"), "textarea", required=False),
), completeness_check(("title", "summary")))
RECOMMENDATION_TRANSLATED = ("title", "summary")

TRACKER_SPEC = Spec("tracker", N_("Tracker entry"), (
    Field("economy", N_("Economy (ISO3, or EUN)"), max_len=3),
    Field("recommendation", N_("Recommendation (slug)"), "slug", max_len=100),
    Field("status", N_("Status"), "select", choices=STATUSES),
    Field("evidence_url", N_("Evidence (web address)"), "url", required=False, max_len=500),
    Field("date", N_("Date"), "date", required=False),
), _check_economy_field)

EVENT_SPEC = Spec("event", N_("Event"), (
    Field("slug", N_("Slug"), "slug", max_len=150),
    Field("title", N_("Title")),
    Field("start", N_("Start (e.g. 2024-05-01T14:00+02:00)"), "datetime"),
    Field("end", N_("End"), "datetime", required=False),
    Field("place", N_("Place"), max_len=200),
    Field("online", N_("Online"), "bool", required=False),
    Field("agenda", N_("Agenda (Markdown)"), "markdown", required=False),
    Field("url", N_("Web address"), "url", required=False, max_len=500),
    Field("title_fr", N_("Title in French"), required=False),
    Field("agenda_fr", N_("Agenda in French (Markdown)"), "markdown", required=False),
    Field("title_es", N_("Title in Spanish"), required=False),
    Field("agenda_es", N_("Agenda in Spanish (Markdown)"), "markdown", required=False),
), chain(_check_event, completeness_check(("title",), ("agenda",))))
EVENT_TRANSLATED = ("title", "agenda")


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


# ---------------------------------------------------------------- members
@dataclass(frozen=True)
class Member:
    economy: str
    joined: date
    region: str

    def as_dict(self) -> dict[str, Any]:
        return {"economy": self.economy, "joined": self.joined.isoformat(),
                "region": self.region}


def list_members(conn: Connection) -> list[Member]:
    return [Member(r.economy, r.joined, region_of(r.economy))
            for r in conn.execute(select(wg_members).order_by(wg_members.c.economy))]


def members_by_region(conn: Connection) -> dict[str, list[Member]]:
    grouped: dict[str, list[Member]] = {r: [] for r in REGIONS}
    for m in list_members(conn):
        grouped.setdefault(m.region, []).append(m)
    return {k: v for k, v in grouped.items() if v}


def save_member(conn: Connection, values: dict[str, Any], actor: str) -> str:
    where = wg_members.c.economy == values["economy"]
    if conn.execute(select(wg_members.c.economy).where(where)).first():
        conn.execute(update(wg_members).where(where).values(joined=values["joined"]))
    else:
        conn.execute(insert(wg_members).values(economy=values["economy"],
                                               joined=values["joined"]))
    return str(values["economy"])


def member_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(m.economy, f"{economy_name(m.economy)} ({m.economy})") for m in list_members(conn)]


def recommendation_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(r.slug, r.title) for r in list_recommendations(conn)]


def member_values(conn: Connection, economy: str) -> dict[str, Any] | None:
    row = conn.execute(select(wg_members).where(wg_members.c.economy == economy)).first()
    return {"economy": row.economy, "joined": row.joined} if row else None


# ---------------------------------------------------------------- recommendations
@dataclass(frozen=True)
class Recommendation:
    id: int
    slug: str
    title: str
    kind: str
    adopted: date
    summary: str
    topics: list[str]
    translated: bool = True  # False when English stands in for the page's language

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d.pop("id")
        d["adopted"] = self.adopted.isoformat()
        return d


def list_recommendations(conn: Connection, lang: str = "en") -> list[Recommendation]:
    """The package in ``lang`` where translated (English otherwise, ``translated=False``)."""
    rows = conn.execute(select(wg_recommendations)
                        .order_by(wg_recommendations.c.kind, wg_recommendations.c.id))
    tr = read_translations(conn, wg_recommendation_translations, "recommendation_id", lang)
    out = []
    for r in rows:
        t = tr.get(r.id)
        out.append(Recommendation(r.id, r.slug, t["title"] if t else r.title, r.kind, r.adopted,
                                  t["summary"] if t else r.summary, list(r.topics),
                                  lang == "en" or t is not None))
    return out


def save_recommendation(conn: Connection, values: dict[str, Any], actor: str) -> str:
    row = {k: values.get(k) for k in ("slug", "title", "kind", "adopted", "summary")}
    row["topics"] = values.get("topics") or []
    rec_id = upsert_by_key(conn, wg_recommendations, "slug", row)
    write_translations(conn, wg_recommendation_translations, "recommendation_id", rec_id,
                       values, RECOMMENDATION_TRANSLATED, RECOMMENDATION_TRANSLATED)
    return str(row["slug"])


def recommendation_values(conn: Connection, slug: str) -> dict[str, Any] | None:
    for r in list_recommendations(conn):
        if r.slug == slug:
            values = r.as_dict()
            values.pop("translated")
            values.update(flat_translations(conn, wg_recommendation_translations,
                                            "recommendation_id", r.id,
                                            RECOMMENDATION_TRANSLATED))
            return values
    return None


# ---------------------------------------------------------------- tracker
@dataclass(frozen=True)
class TrackerEntry:
    economy: str
    recommendation: str
    status: str
    evidence_url: str
    date: date | None

    def as_dict(self) -> dict[str, Any]:
        return {"economy": self.economy, "recommendation": self.recommendation,
                "status": self.status, "evidence_url": self.evidence_url,
                "date": self.date.isoformat() if self.date else None}


def tracker_entries(conn: Connection, economy: str | None = None, *,
                    include_deleted: bool = False) -> list[TrackerEntry]:
    """Tracker entries (deleted ones only for the editors' forms)."""
    query = (select(wg_tracker, wg_recommendations.c.slug)
             .join(wg_recommendations, wg_recommendations.c.id == wg_tracker.c.recommendation_id)
             .order_by(wg_tracker.c.economy, wg_recommendations.c.id))
    if economy:
        query = query.where(wg_tracker.c.economy == economy.upper())
    if not include_deleted:
        query = query.where(live(wg_tracker))
    return [TrackerEntry(r.economy, r.slug, r.status, r.evidence_url, r.date)
            for r in conn.execute(query)]


def tracker_matrix(conn: Connection) -> dict[str, dict[str, TrackerEntry]]:
    """``{economy: {recommendation slug: entry}}`` for the overview table."""
    matrix: dict[str, dict[str, TrackerEntry]] = defaultdict(dict)
    for e in tracker_entries(conn):
        matrix[e.economy][e.recommendation] = e
    return dict(matrix)


def tracker_values(conn: Connection, key: str) -> dict[str, Any] | None:
    economy, _, slug = key.partition("/")
    for e in tracker_entries(conn, economy, include_deleted=True):
        if e.recommendation == slug:
            return {"economy": e.economy, "recommendation": e.recommendation,
                    "status": e.status, "evidence_url": e.evidence_url, "date": e.date}
    return None


def save_tracker_entry(conn: Connection, values: dict[str, Any], actor: str) -> str:
    rec = conn.execute(select(wg_recommendations.c.id)
                       .where(wg_recommendations.c.slug == values["recommendation"])).first()
    if rec is None:
        from tradewind.errors import InvalidInput

        raise InvalidInput(N_("unknown recommendation %(recommendation)r"), recommendation=values['recommendation'])
    row = {"economy": values["economy"], "recommendation_id": rec[0],
           "status": values["status"], "evidence_url": values.get("evidence_url") or "",
           "date": values.get("date"), "updated_at": datetime.now(UTC), "updated_by": actor}
    where = (wg_tracker.c.economy == row["economy"],
             wg_tracker.c.recommendation_id == row["recommendation_id"])
    if conn.execute(select(wg_tracker.c.id).where(*where)).first():
        conn.execute(update(wg_tracker).where(*where).values(**row))
    else:
        conn.execute(insert(wg_tracker).values(**row))
    return f"{row['economy']}/{values['recommendation']}"


def tracker_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(f"{e.economy}/{e.recommendation}", f"{e.economy} · {e.recommendation}")
            for e in tracker_entries(conn)]


# ---------------------------------------------------------------- events
@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    start: datetime
    end: datetime | None
    place: str
    online: bool
    agenda: str
    url: str
    updated_at: datetime
    translated: bool = True  # False when the English title stands in for the page's language
    id: int = 0
    agenda_translated: bool = True  # False when the English agenda stands in

    def as_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "start": self.start.isoformat(),
                "end": self.end.isoformat() if self.end else None, "place": self.place,
                "online": self.online, "agenda": self.agenda, "url": self.url}


def list_events(conn: Connection, upcoming_from: datetime | None = None, lang: str = "en", *,
                include_deleted: bool = False) -> list[Event]:
    """Events, latest first, with title and agenda in ``lang`` where translated (deleted
    ones only for the editors' forms)."""
    query = select(wg_events).order_by(wg_events.c.start.desc())
    if not include_deleted:
        query = query.where(live(wg_events))
    tr = read_translations(conn, wg_event_translations, "event_id", lang)
    events = []
    for r in conn.execute(query):
        start = _aware(r.start)
        assert start is not None
        t = tr.get(r.id)
        # An untranslated agenda falls back to the English one under the translated title.
        agenda = (t["agenda"] or r.agenda) if t else r.agenda
        e = Event(r.slug, t["title"] if t else r.title, start, _aware(r.end), r.place,
                  bool(r.online), agenda, r.url, _aware(r.updated_at) or datetime.now(UTC),
                  lang == "en" or t is not None, r.id,
                  lang == "en" or (t is not None and bool(t["agenda"] or not r.agenda)))
        if upcoming_from is None or start >= upcoming_from:
            events.append(e)
    return events


def event_values(conn: Connection, slug: str) -> dict[str, Any] | None:
    for e in list_events(conn, include_deleted=True):
        if e.slug == slug:
            d = dict(e.__dict__)
            for k in ("updated_at", "translated", "id", "agenda_translated"):
                d.pop(k)
            d.update(flat_translations(conn, wg_event_translations, "event_id", e.id,
                                       EVENT_TRANSLATED))
            return d
    return None


def save_event(conn: Connection, values: dict[str, Any], actor: str) -> str:
    row = {k: values.get(k) for k in ("slug", "title", "start", "end", "place")}
    row.update(online=bool(values.get("online")), agenda=values.get("agenda") or "",
               url=values.get("url") or "", updated_at=datetime.now(UTC), updated_by=actor)
    for k in ("start", "end"):
        moment = row[k]
        if isinstance(moment, datetime):
            row[k] = moment.astimezone(UTC)
    slug = str(row["slug"])
    before = event_values(conn, slug)
    event_id = upsert_by_key(conn, wg_events, "slug", row)
    write_translations(conn, wg_event_translations, "event_id", event_id, values,
                       EVENT_TRANSLATED, ("title",))
    start = row["start"]
    record_content_change(conn, "events", slug, str(row["title"]), before,
                          event_values(conn, slug),
                          effective_date=start.date() if isinstance(start, datetime) else None)
    return slug


def event_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(e.slug, f"{e.start.date().isoformat()} {e.title}") for e in list_events(conn)]


# ---------------------------------------------------------------- feedback
@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: datetime
    name: str
    organisation: str
    email: str
    country: str
    sector: str
    obstacle: str
    status: str
    moderated_by: str | None


def hash_ip(ip: str, secret: str) -> str:
    """Addresses are kept only as a keyed hash: enough for rate limits, not a record of who."""
    return hashlib.sha256(f"{secret}:{ip}".encode()).hexdigest()


def recent_feedback_count(conn: Connection, ip_hash: str, within: timedelta) -> int:
    since = datetime.now(UTC) - within
    return int(conn.execute(select(func.count()).select_from(feedback).where(
        feedback.c.ip_hash == ip_hash, feedback.c.created_at >= since)).scalar_one())


FEEDBACK_SPEC = Spec("feedback", N_("Feedback"), (
    Field("name", N_("Your name"), required=False, max_len=200),
    Field("organisation", N_("Company or organisation"), required=False, max_len=200),
    Field("email", N_("E-mail (not published)"), "email", required=False, max_len=254),
    Field("country", N_("Country"), required=False, max_len=100),
    Field("sector", N_("Sector or product"), required=False, max_len=200),
    Field("obstacle", N_("The obstacle you meet"), "textarea"),
), lambda values, errors: _check_feedback(values, errors))


def _country_in_any_language(text: str) -> str:
    """ISO3 for a code, an English name or the name in French or Spanish ("Allemagne").

    A business owner writes the name in their own language rather than an ISO3 code.
    """
    try:
        return resolve_country(text)
    except InvalidInput:
        wanted = _fold(text)
        for lang in ("fr", "es"):
            for country in pycountry.countries:
                if _fold(country_name(country.alpha_3, lang)) == wanted:
                    return str(country.alpha_3)
        raise


def _fold(text: str) -> str:
    """Lower case without accents, so "Pérou", "perou" and "PEROU" match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _check_feedback(values: dict[str, Any], errors: dict[str, str]) -> None:
    if values.get("country"):
        try:
            values["country"] = _country_in_any_language(values["country"])
        except InvalidInput:
            errors["country"] = gettext(
                "We do not recognise this country: write its name, for example Kenya, "
                "or its code, for example KEN")
    if values.get("obstacle") and not 10 <= len(values["obstacle"]) <= 5000:
        errors["obstacle"] = gettext("between 10 and 5000 characters, please")


def add_feedback(conn: Connection, values: dict[str, Any], ip_hash: str) -> int:
    pk = conn.execute(insert(feedback).values(
        created_at=datetime.now(UTC), name=values.get("name") or "",
        organisation=values.get("organisation") or "", email=values.get("email") or "",
        country=values.get("country") or "", sector=values.get("sector") or "",
        obstacle=values["obstacle"], status="pending", ip_hash=ip_hash)).inserted_primary_key
    assert pk is not None
    return int(pk[0])


def list_feedback(conn: Connection, status: str | None = None) -> list[Feedback]:
    query = select(feedback).order_by(feedback.c.created_at.desc())
    if status:
        query = query.where(feedback.c.status == status)
    return [Feedback(r.id, _aware(r.created_at) or datetime.now(UTC), r.name, r.organisation,
                     r.email, r.country, r.sector, r.obstacle, r.status, r.moderated_by)
            for r in conn.execute(query)]


def moderate_feedback(conn: Connection, feedback_id: int, status: str,
                      actor: str) -> tuple[str, str] | None:
    """Set the status; returns (before, after) or None when the item does not exist."""
    if status not in FEEDBACK_STATUSES:
        from tradewind.errors import InvalidInput

        raise InvalidInput(N_("unknown status %(status)r"), status=status)
    row = conn.execute(select(feedback.c.status).where(feedback.c.id == feedback_id)).first()
    if row is None:
        return None
    conn.execute(update(feedback).where(feedback.c.id == feedback_id).values(
        status=status, moderated_by=actor, moderated_at=datetime.now(UTC)))
    return row.status, status

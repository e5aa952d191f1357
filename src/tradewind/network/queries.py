"""Organisations: field declarations, saving, search by country and service, free-text needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import pycountry
from sqlalchemy import Connection, delete, insert, select, update

from tradewind.countries.reference import country_name
from tradewind.db.softdelete import live
from tradewind.i18n import LANGUAGES
from tradewind.i18n import lazy_noop as N_
from tradewind.knowledge.fields import Field, Spec
from tradewind.knowledge.translations import (
    completeness_check,
    flat_translations,
    read_translations,
    write_translations,
)
from tradewind.network.models import (
    organisation_countries,
    organisation_services,
    organisation_translations,
    organisations,
)

KINDS = (N_("international organisation"), N_("chamber of commerce"), N_("trade promotion agency"),
         N_("SME agency"), N_("export credit agency"), N_("development bank"), N_("business association"),
         N_("standards body"), N_("customs administration"))
SERVICES = (N_("market information"), N_("export training"), N_("trade finance"),
            N_("export credit insurance"), N_("trade fairs"), N_("certification and standards"),
            N_("legal and dispute advice"), N_("e-commerce"), N_("matchmaking"), N_("customs and logistics"),
            N_("policy advocacy"))
WORLD = "WORLD"

# Words people use for a service → the service name in the directory.
SERVICE_WORDS: tuple[tuple[str, str], ...] = (
    ("export credit insurance", "export credit insurance"),
    ("credit insurance", "export credit insurance"),
    ("insurance", "export credit insurance"),
    ("export finance", "trade finance"),
    ("trade finance", "trade finance"),
    ("financing", "trade finance"),
    ("finance", "trade finance"),
    ("loan", "trade finance"),
    ("letter of credit", "trade finance"),
    ("market information", "market information"),
    ("market research", "market information"),
    ("markets", "market information"),
    ("training", "export training"),
    ("course", "export training"),
    ("trade fairs", "trade fairs"),
    ("trade fair", "trade fairs"),
    ("exhibition", "trade fairs"),
    ("certification", "certification and standards"),
    ("standards", "certification and standards"),
    ("legal", "legal and dispute advice"),
    ("dispute", "legal and dispute advice"),
    ("e-commerce", "e-commerce"),
    ("ecommerce", "e-commerce"),
    ("online", "e-commerce"),
    ("matchmaking", "matchmaking"),
    ("buyers", "matchmaking"),
    ("partners", "matchmaking"),
    ("customs", "customs and logistics"),
    ("logistics", "customs and logistics"),
    ("shipping", "customs and logistics"),
    ("advocacy", "policy advocacy"),
    ("financement", "trade finance"),
    ("financiación", "trade finance"),
    ("financiamiento", "trade finance"),
    ("formation", "export training"),
    ("formación", "export training"),
    ("douane", "customs and logistics"),
    ("aduana", "customs and logistics"),
    ("assurance", "export credit insurance"),
    ("seguro", "export credit insurance"),
)


def check_country(text: str) -> str:
    """ISO3 (or WORLD) from a code; raises ValueError naming the bad value."""
    code = text.strip().upper()
    if code == WORLD:
        return code
    if len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None:
        return code
    raise ValueError(f"{text!r} is not an ISO 3166 alpha-3 country code (or WORLD)")


def _lang(text: str) -> str:
    code = text.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", code) or pycountry.languages.get(alpha_2=code) is None:
        raise ValueError(f"{text!r} is not an ISO 639-1 language code")
    return code


ORGANISATION_SPEC = Spec("organisation", N_("Organisation"), (
    Field("name", N_("Name")),
    Field("acronym", N_("Acronym"), required=False, max_len=50),
    Field("kind", N_("Kind"), "select", choices=KINDS),
    Field("countries", N_("Countries served (ISO3 codes, or WORLD)"), "list",
          item_check=check_country),
    Field("services", N_("Services"), "list", choices=SERVICES),
    Field("languages", N_("Languages (ISO 639-1 codes)"), "list", item_check=_lang),
    Field("website", N_("Website"), "url", required=False, max_len=500),
    Field("email", N_("E-mail"), "email", required=False, max_len=254),
    Field("phone", N_("Phone"), required=False, max_len=60),
    Field("description", N_("Description"), "textarea"),
    Field("trade4msmes_partner", N_("Trade4MSMEs Network partner"), "bool", required=False),
    Field("description_fr", N_("Description in French"), "textarea", required=False),
    Field("description_es", N_("Description in Spanish"), "textarea", required=False),
), completeness_check(("description",)))
ORGANISATION_TRANSLATED = ("description",)


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    acronym: str
    kind: str
    countries: list[str]
    services: list[str]
    languages: list[str]
    website: str
    email: str
    phone: str
    description: str
    trade4msmes_partner: bool
    translated: bool = True  # False when the English description stands in
    english_description: str = ""  # for word search in either language

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("id", "translated", "english_description"):
            d.pop(k)
        return d


def _load(conn: Connection, rows: list[Any], lang: str = "en") -> list[Organisation]:
    ids = [r.id for r in rows]
    tr = read_translations(conn, organisation_translations, "organisation_id", lang, ids) \
        if ids else {}
    countries: dict[int, list[str]] = {i: [] for i in ids}
    services: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for r in conn.execute(select(organisation_countries)
                              .where(organisation_countries.c.organisation_id.in_(ids))
                              .order_by(organisation_countries.c.country)):
            countries[r.organisation_id].append(r.country)
        for r in conn.execute(select(organisation_services)
                              .where(organisation_services.c.organisation_id.in_(ids))):
            services[r.organisation_id].append(r.service)
    out = []
    for r in rows:
        svc = sorted(services[r.id], key=lambda s: SERVICES.index(s) if s in SERVICES else 99)
        t = tr.get(r.id)
        out.append(Organisation(r.id, r.name, r.acronym, r.kind, countries[r.id], svc,
                                list(r.languages), r.website, r.email, r.phone,
                                t["description"] if t else r.description,
                                bool(r.trade4msmes_partner), lang == "en" or t is not None,
                                r.description))
    return out


def save_organisation(conn: Connection, values: dict[str, Any], actor: str,
                      dataset_id: int | None = None, key: str | None = None) -> str:
    """Insert or update by name (or by ``key``, the old name, when an editor renames)."""
    row = {k: values.get(k) or "" for k in ("name", "acronym", "kind", "website", "email",
                                             "phone", "description")}
    row["languages"] = values.get("languages") or []
    row["trade4msmes_partner"] = bool(values.get("trade4msmes_partner"))
    row["updated_at"] = datetime.now(UTC)
    row["updated_by"] = actor
    lookup = key or row["name"]
    existing = conn.execute(select(organisations.c.id)
                            .where(organisations.c.name == lookup)).first()
    if existing:
        org_id = existing[0]
        if dataset_id is not None:
            row["dataset_id"] = dataset_id
        conn.execute(update(organisations).where(organisations.c.id == org_id).values(**row))
        conn.execute(delete(organisation_countries)
                     .where(organisation_countries.c.organisation_id == org_id))
        conn.execute(delete(organisation_services)
                     .where(organisation_services.c.organisation_id == org_id))
    else:
        result = conn.execute(insert(organisations).values(dataset_id=dataset_id, **row))
        pk = result.inserted_primary_key
        assert pk is not None
        org_id = pk[0]
    if values.get("countries"):
        conn.execute(insert(organisation_countries),
                     [{"organisation_id": org_id, "country": c} for c in values["countries"]])
    if values.get("services"):
        conn.execute(insert(organisation_services),
                     [{"organisation_id": org_id, "service": s} for s in values["services"]])
    write_translations(conn, organisation_translations, "organisation_id", org_id, values,
                       ORGANISATION_TRANSLATED, ORGANISATION_TRANSLATED)
    return str(row["name"])


def organisation_values(conn: Connection, name: str) -> dict[str, Any] | None:
    rows = list(conn.execute(select(organisations).where(organisations.c.name == name)))
    if not rows:
        return None
    values = _load(conn, rows)[0].as_dict()
    values.update(flat_translations(conn, organisation_translations, "organisation_id",
                                    rows[0].id, ORGANISATION_TRANSLATED))
    return values


def organisation_names(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute(select(organisations.c.name))}


def organisation_keys(conn: Connection) -> list[tuple[str, str]]:
    return [(r[0], r[0]) for r in conn.execute(select(organisations.c.name)
                                               .where(live(organisations)).order_by(organisations.c.name))]


@dataclass(frozen=True)
class Need:
    """What a free-text question asks for: a country, a service, and the remaining words."""

    country: str | None
    service: str | None
    words: str


@lru_cache(maxsize=4)
def _country_pattern(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for every country name (English and ``lang``), longest names first."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for name in (c.name, getattr(c, "common_name", c.name), country_name(c.alpha_3, lang)):
            names.setdefault(name.lower(), c.alpha_3)
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)")
    return pattern, names


STOP_WORDS = {"who", "can", "help", "me", "in", "with", "for", "my", "i", "need", "the", "a",
              "an", "to", "of", "and", "from", "export", "exports", "exporting", "qui",
              "peut", "m", "aider", "au", "en", "avec", "pour", "quién", "puede", "ayudarme",
              "con", "para", "el", "la", "de", "le", "les", "des", "du", "los", "las"}


def parse_need(text: str, lang: str = "en") -> Need:
    """Find a country name and a service in a question such as
    "who can help me in Kenya with export finance?"."""
    lowered = " " + text.lower() + " "
    country = None
    pattern, names = _country_pattern(lang)
    match = pattern.search(lowered)
    if match:
        country = names[match.group(1)]
        lowered = lowered[:match.start()] + " " + lowered[match.end():]
    service = None
    for word, svc in SERVICE_WORDS:
        if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", lowered):
            service = svc
            lowered = lowered.replace(word, " ")
            break
    rest = [w for w in re.findall(r"\w+", lowered) if w not in STOP_WORDS and len(w) > 1]
    return Need(country, service, " ".join(rest))


def search_organisations(conn: Connection, country: str | None = None,
                         service: str | None = None, q: str = "", kind: str | None = None,
                         partners_only: bool = False, lang: str = "en") -> list[Organisation]:
    """Organisations serving ``country`` (or the whole world) and offering ``service``.

    National organisations come before global ones; ``q`` matches name, acronym and
    description word by word.
    """
    query = select(organisations).where(live(organisations)).order_by(organisations.c.name)
    if country:
        served = select(organisation_countries.c.organisation_id).where(
            organisation_countries.c.country.in_([country.upper(), WORLD]))
        query = query.where(organisations.c.id.in_(served))
    if service:
        offering = select(organisation_services.c.organisation_id).where(
            organisation_services.c.service == service)
        query = query.where(organisations.c.id.in_(offering))
    if kind:
        query = query.where(organisations.c.kind == kind)
    if partners_only:
        query = query.where(organisations.c.trade4msmes_partner.is_(True))
    orgs = _load(conn, list(conn.execute(query)), lang)
    words = [w for w in re.findall(r"\w+", q.lower()) if len(w) > 1]
    if words:
        orgs = [o for o in orgs if all(
            w in f"{o.name} {o.acronym} {o.description} {o.english_description} {o.kind} "
                 f"{' '.join(o.services)}"
            .lower() for w in words)]
    if country:
        orgs.sort(key=lambda o: WORLD in o.countries)
    return orgs


def all_organisations(conn: Connection, lang: str = "en") -> list[Organisation]:
    return _load(conn, list(conn.execute(select(organisations).where(live(organisations))
                                         .order_by(organisations.c.name))), lang)


def organisation_translations_by_name(conn: Connection) -> dict[str, dict[str, str]]:
    """``{name: {lang: description}}`` for the CSV export."""
    rows = conn.execute(select(organisations.c.name, organisation_translations.c.lang,
                               organisation_translations.c.description)
                        .join(organisation_translations,
                              organisation_translations.c.organisation_id == organisations.c.id))
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        out.setdefault(r.name, {})[r.lang] = r.description
    return out


def served_countries(conn: Connection) -> list[str]:
    rows = conn.execute(select(organisation_countries.c.country).distinct().where(
        organisation_countries.c.organisation_id.in_(
            select(organisations.c.id).where(live(organisations)))))
    return sorted(r[0] for r in rows if r[0] != WORLD)


def language_ok(code: str) -> bool:
    return code in LANGUAGES

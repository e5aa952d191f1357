"""Named queries: a market's import procedure and the documents checklist for a shipment.

The checklist joins three sources, once each:

* the market's shipment documents that apply to the product (``hs_scope``);
* the documents the measures ask for (``measure_documents``), merged with a market document
  of the same name or alias, otherwise listed as they are named;
* the proof of origin of each agreement linking origin and destination (from
  :mod:`tradewind.agreements`), attached to the market's origin document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from tradewind.agreements.queries import agreements_between, groups_of, origin_rules_for
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, _row_to_provenance
from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.procedures.models import DOCUMENT_KINDS, procedure_documents, procedure_steps

STEP_KIND_NAMES: dict[str, str] = {
    "registration": N_("Registration"), "declaration": N_("Customs declaration"),
    "licence": N_("Licence or permit"), "inspection": N_("Inspection"),
    "payment": N_("Payment of duties and taxes"), "release": N_("Release of the goods"),
    "other": N_("Other step"),
}
DOCUMENT_KIND_NAMES: dict[str, str] = {
    "commercial": N_("Commercial document"), "transport": N_("Transport document"),
    "origin": N_("Proof of origin"), "sps": N_("Sanitary or phytosanitary certificate"),
    "conformity": N_("Conformity document"), "licence": N_("Licence or permit"),
    "customs": N_("Customs document"), "other": N_("Other document"),
}


def norm_name(text: str) -> str:
    """``"Phytosanitary  Certificate."`` → ``"phytosanitary certificate"`` (for merging)."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def in_scope(scope: str, product: str) -> bool:
    """Blank scope = every product; else one prefix of the scope matches either way."""
    prefixes = scope.split()
    return not prefixes or any(product.startswith(p) or p.startswith(product) for p in prefixes)


def _local(row: Any, column: str, lang: str) -> str:
    if lang in ("fr", "es"):
        text = getattr(row, f"{column}_{lang}", "") or ""
        if text:
            return str(text)
    return str(getattr(row, column) or "")


def typical_time(days_min: int | None, days_max: int | None) -> str:
    """"1–3 days", "about 2 days", "" when unknown (in the current language)."""
    if days_min is None and days_max is None:
        return ""
    low = days_min if days_min is not None else days_max
    high = days_max if days_max is not None else days_min
    if low == high:
        if low == 0:
            return _("the same day")
        return _("about %(days)s days", days=low) if low != 1 else _("about 1 day")
    return _("%(low)s to %(high)s days", low=low, high=high)


@dataclass
class Helper:
    """A network organisation that can help with a step or document."""

    name: str
    acronym: str
    website: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "acronym": self.acronym or None,
                "website": self.website or None}


@dataclass
class Step:
    position: int
    kind: str
    kind_name: str
    title: str
    description: str
    agency: str
    typical_time: str
    days_min: int | None
    days_max: int | None
    fee: str
    glossary: str
    help_service: str
    helpers: list[Helper]
    source_url: str
    economy: str

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "kind": self.kind, "kind_name": self.kind_name,
                "title": self.title, "description": self.description,
                "agency": self.agency or None, "typical_time": self.typical_time or None,
                "days_min": self.days_min, "days_max": self.days_max, "fee": self.fee or None,
                "glossary": self.glossary or None, "help_service": self.help_service or None,
                "helpers": [h.as_dict() for h in self.helpers],
                "source_url": self.source_url or None, "economy": self.economy}


@dataclass
class OriginProof:
    agreement_id: int
    agreement: str
    proof_of_origin: str

    def as_dict(self) -> dict[str, Any]:
        return {"agreement_id": self.agreement_id, "agreement": self.agreement,
                "proof_of_origin": self.proof_of_origin}


@dataclass
class ChecklistItem:
    """One document a shipment needs, what it is, who issues it and why it is needed."""

    code: str
    name: str
    kind: str
    kind_name: str
    description: str = ""
    issued_by: str = ""
    condition: str = ""
    typical_time: str = ""
    fee: str = ""
    glossary: str = ""
    help_service: str = ""
    helpers: list[Helper] = field(default_factory=list)
    source_url: str = ""
    market_document: bool = False  # described by the market's procedures data
    required_by: list[tuple[int, str, str]] = field(default_factory=list)  # measure id, code, title
    origin_proofs: list[OriginProof] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)  # normalised names, for merging
    in_scope: bool = True  # the market document's hs_scope covers the product

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind,
                "kind_name": self.kind_name, "description": self.description or None,
                "issued_by": self.issued_by or None, "condition": self.condition or None,
                "typical_time": self.typical_time or None, "fee": self.fee or None,
                "glossary": self.glossary or None, "help_service": self.help_service or None,
                "helpers": [h.as_dict() for h in self.helpers],
                "source_url": self.source_url or None,
                "market_document": self.market_document,
                "required_by": [{"measure_id": i, "mast_code": c, "title": t}
                                for i, c, t in self.required_by],
                "origin_proofs": [p.as_dict() for p in self.origin_proofs]}


@dataclass
class Procedure:
    """How goods enter a market: ordered steps and the shipment documents."""

    economy: str  # the economy whose procedure data was found ("" when none)
    steps: list[Step]
    documents: list[ChecklistItem]
    provenance: list[Provenance]

    @property
    def covered(self) -> bool:
        return bool(self.steps or self.documents)

    @property
    def sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)

    def as_dict(self) -> dict[str, Any]:
        return {"economy": self.economy or None, "covered": self.covered,
                "sample": self.sample, "steps": [s.as_dict() for s in self.steps],
                "documents": [d.as_dict() for d in self.documents],
                "provenance": [p.as_dict() for p in self.provenance]}


HelperCache = dict[tuple[str, str], list[Helper]]


@dataclass(frozen=True)
class HelperData:
    """What finding the helpers of a market's steps and documents needs, whatever the
    origin: the organisations named by the rows, and every organisation offering one of
    the rows' services with the countries it serves (by name).  Read once per market and
    data version; :func:`_pick_helpers` then chooses for an origin without a query."""

    keys: frozenset[tuple[str, str]]
    named: dict[str, Helper]
    # service -> country -> organisations by name
    offered: dict[str, dict[str, list[Helper]]]


def _read_helpers(conn: Connection, rows: list[Any]) -> HelperData:
    """The named organisations and the service offers of ``rows``, in two queries."""
    from tradewind.network.models import (
        organisation_countries,
        organisation_services,
        organisations,
    )

    keys = frozenset((r.help_service, r.help_organisation) for r in rows
                     if r.help_service or r.help_organisation)
    named: dict[str, Helper] = {}
    offered: dict[str, dict[str, list[Helper]]] = {}
    if not keys:
        return HelperData(keys, named, offered)
    names = sorted({o for _s, o in keys if o})
    if names:
        for r in conn.execute(select(organisations.c.name, organisations.c.acronym,
                                     organisations.c.website).where(
                (organisations.c.name.in_(names)) | (organisations.c.acronym.in_(names)))
                .order_by(organisations.c.id)):
            for key in (r.name, r.acronym):
                named.setdefault(key, Helper(r.name, r.acronym, r.website))
    services = sorted({s for s, _o in keys if s})
    if services:
        for o in conn.execute(
                select(organisation_services.c.service, organisation_countries.c.country,
                       organisations.c.name, organisations.c.acronym, organisations.c.website)
                .join(organisation_services,
                      organisation_services.c.organisation_id == organisations.c.id)
                .join(organisation_countries,
                      organisation_countries.c.organisation_id == organisations.c.id)
                .where(organisation_services.c.service.in_(services))
                .order_by(organisations.c.name)):
            offered.setdefault(o.service, {}).setdefault(o.country, []).append(
                Helper(o.name, o.acronym, o.website))
    return HelperData(keys, named, offered)


def _pick_helpers(data: HelperData, countries: list[str]) -> HelperCache:
    """The helpers of every step and document for these countries (origin first): the
    named organisations, else up to three organisations serving the countries with the
    service, national ones before global ones, by name."""
    from tradewind.network.queries import WORLD

    wanted = [c.upper() for c in countries]
    cache: HelperCache = {}
    for service, organisation in data.keys:
        found: list[Helper] = []
        if organisation and organisation in data.named:
            found.append(data.named[organisation])
        if service and not found and wanted:
            seen: set[str] = set()
            by_country = data.offered.get(service, {})
            world = by_country.get(WORLD, [])
            world_names = {h.name for h in world}
            for country in wanted:
                national = [h for h in by_country.get(country, [])
                            if h.name not in world_names]
                for helper in [*national, *world]:
                    if helper.name not in seen and len(found) < 3:
                        seen.add(helper.name)
                        found.append(helper)
        cache[(service, organisation)] = found
    return cache


def _helpers(service: str, organisation: str, cache: HelperCache) -> list[Helper]:
    return list(cache.get((service, organisation), ()))  # a copy: the cache is shared


def _economies_with_data(conn: Connection, destination: str, day: date) -> list[str]:
    """The destination, then the groups it belongs to on ``day`` (most specific first)."""
    return [destination, *groups_of(conn, destination, day)]


@dataclass(frozen=True)
class MarketProcedure:
    """A market's procedure data as read (rows, helper data, provenance), before the origin,
    the product's scope and the language are applied; kept per data version by
    :func:`market_procedure`."""

    economies: tuple[str, ...]
    step_rows: tuple[Any, ...]
    doc_rows: tuple[Any, ...]
    helpers: HelperData
    provenance: tuple[Provenance, ...]


def _read_market_procedure(conn: Connection, destination: str, day: date) -> MarketProcedure:
    economies = _economies_with_data(conn, destination, day)
    step_rows = list(conn.execute(select(procedure_steps).where(
        procedure_steps.c.economy.in_(economies)).order_by(procedure_steps.c.position,
                                                           procedure_steps.c.id)))
    doc_rows = list(conn.execute(select(procedure_documents).where(
        procedure_documents.c.economy.in_(economies)).order_by(procedure_documents.c.position,
                                                               procedure_documents.c.id)))
    helpers = _read_helpers(conn, [*step_rows, *doc_rows])
    ids = sorted({r.dataset_id for r in [*step_rows, *doc_rows]})
    provenance = [_row_to_provenance(r) for r in conn.execute(
        select(datasets).where(datasets.c.id.in_(ids)).order_by(datasets.c.id))] if ids else []
    return MarketProcedure(tuple(economies), tuple(step_rows), tuple(doc_rows), helpers,
                           tuple(provenance))


def market_procedure(conn: Connection, destination: str, day: date,
                     version: tuple[Any, ...] | None = None) -> MarketProcedure:
    """The market's procedure rows on a date, read once per market and data version (the
    process cache of derived figures: imports, deletions and editor changes recompute it);
    the origin only changes which helpers are chosen, without a query."""
    from tradewind.markets.links import cached

    return cached(conn, ("procedure-rows", destination, day),  # type: ignore[no-any-return]
                  lambda: _read_market_procedure(conn, destination, day), version)


def procedure_for(conn: Connection, *, destination: str, product: str,
                  origin: str | None = None, as_of: date | None = None,
                  version: tuple[Any, ...] | None = None) -> Procedure:
    """The import procedure of ``destination`` for ``product``: the steps of the most specific
    economy that has any (France, else the EU), and the documents of the destination and its
    groups (a document code of the destination overrides the group's).

    The market's rows come from :func:`market_procedure` (read once per data version); the
    product's scope and the current language are applied here, on fresh objects."""
    day = as_of or date.today()
    lang = current_language.get()
    data = market_procedure(conn, destination, day, version)
    economies = list(data.economies)
    step_rows, doc_rows = data.step_rows, data.doc_rows
    cache = _pick_helpers(data.helpers, [c for c in (origin, destination) if c])
    rank = {e: i for i, e in enumerate(economies)}
    step_economy = min((r.economy for r in step_rows), key=lambda e: rank[e], default="")
    steps = [Step(r.position, r.kind, _(STEP_KIND_NAMES.get(r.kind, r.kind)),
                  _local(r, "title", lang), _local(r, "description", lang), r.agency,
                  typical_time(r.days_min, r.days_max), r.days_min, r.days_max, r.fee,
                  r.glossary, r.help_service,
                  _helpers(r.help_service, r.help_organisation, cache),
                  r.source_url, r.economy)
             for r in step_rows if r.economy == step_economy and in_scope(r.hs_scope, product)]
    chosen: dict[str, Any] = {}
    for r in sorted(doc_rows, key=lambda r: rank[r.economy]):
        chosen.setdefault(r.code, r)
    documents = []
    for r in sorted(chosen.values(), key=lambda r: (r.position, r.id)):
        item = _document(r, lang, cache)
        item.market_document = True
        item.aliases = {norm_name(a) for a in [r.code.replace("-", " "), r.name, r.name_fr,
                                               r.name_es, *r.aliases.split(";")] if a.strip()}
        item.in_scope = in_scope(r.hs_scope, product)
        documents.append(item)
    used = {r.dataset_id for r in [*step_rows, *chosen.values()]}
    provenance = [p for p in data.provenance if p.id in used]
    economy = step_economy or (min(chosen.values(), key=lambda r: rank[r.economy]).economy
                               if chosen else "")
    return Procedure(economy, steps, documents, provenance)


def _document(r: Any, lang: str, cache: HelperCache) -> ChecklistItem:
    return ChecklistItem(
        code=r.code, name=_local(r, "name", lang), kind=r.kind,
        kind_name=_(DOCUMENT_KIND_NAMES.get(r.kind, r.kind)),
        description=_local(r, "description", lang), issued_by=r.issued_by,
        condition=_local(r, "condition", lang), typical_time=typical_time(r.days_min, r.days_max),
        fee=r.fee, glossary=r.glossary, help_service=r.help_service,
        helpers=_helpers(r.help_service, r.help_organisation, cache),
        source_url=r.source_url)


def origin_proofs(conn: Connection, origin: str, destination: str,
                  day: date, version: tuple[Any, ...] | None = None) -> list[OriginProof]:
    """The proof of origin each agreement linking ``origin`` and ``destination`` asks for
    (read once per pair, date and data version)."""
    from tradewind.markets.links import cached

    def compute() -> tuple[OriginProof, ...]:
        out = []
        for link in agreements_between(conn, origin, destination, day):
            rules = origin_rules_for(conn, link.agreement.id)
            if rules is not None and rules.proof_of_origin:
                out.append(OriginProof(link.agreement.id, link.agreement.name,
                                       rules.proof_of_origin))
        return tuple(out)

    found = cached(conn, ("origin-proofs", origin, destination, day), compute, version)
    return list(found)


def build_checklist(procedure: Procedure, measures: list[Any],
                    proofs: list[OriginProof]) -> list[ChecklistItem]:
    """The documents checklist: market documents in scope, then those the measures name."""
    by_name: dict[str, ChecklistItem] = {}
    for doc in procedure.documents:
        for alias in doc.aliases:
            by_name.setdefault(alias, doc)
    chosen: list[ChecklistItem] = [d for d in procedure.documents if d.in_scope]
    extra: dict[str, ChecklistItem] = {}
    for m in measures:
        for name in m.documents:
            key = norm_name(name)
            found = by_name.get(key) or extra.get(key)
            if found is None:
                found = ChecklistItem(code="measure:" + key.replace(" ", "-")[:60], name=name,
                                    kind="other", kind_name=_(DOCUMENT_KIND_NAMES["other"]))
                extra[key] = found
            if found not in chosen and found not in extra.values():
                chosen.append(found)
            entry = (m.id, m.mast_code, m.title)
            if entry not in found.required_by:
                found.required_by.append(entry)
    origin_doc = next((d for d in chosen if d.kind == "origin"), None)
    if proofs:
        if origin_doc is None:
            origin_doc = ChecklistItem(code="proof-of-origin", name=_("Proof of origin"),
                                       kind="origin", kind_name=_(DOCUMENT_KIND_NAMES["origin"]),
                                       glossary="proof-of-origin")
            chosen.append(origin_doc)
        origin_doc.origin_proofs = list(proofs)
    order = {k: i for i, k in enumerate(DOCUMENT_KINDS)}
    items = sorted(chosen, key=lambda d: order.get(d.kind, 99))  # stable: keeps data order
    return [*items, *(d for d in extra.values() if d not in items)]

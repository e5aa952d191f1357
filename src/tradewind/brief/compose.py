"""One composed answer — the market brief — built only from existing library functions.

The page, the PDF, the JSON API, the CLI and the MCP server all render this one dataclass
tree, so they cannot disagree.  Each part degrades on its own: when flows, requirements or
the finder are missing the part says so (``available=False`` with a note) instead of failing
the whole brief.  Every part carries the provenance of its figures and whether it is SAMPLE.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from tradewind.access.answer import MarketAccessAnswer, market_access, parse_product
from tradewind.datasets.queries import Provenance
from tradewind.db import Database
from tradewind.errors import InvalidInput, TradewindError, UnknownValue
from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_

#: Guides that apply to every brief (by slug), in reading order.
GUIDE_SLUGS = ("rules-for-my-product", "getting-goods-across-the-border", "choosing-markets",
               "getting-paid-and-financed")
#: Glossary terms that always apply; more are added from the duty answer.
BASE_TERMS = ("hs-code", "mfn", "customs-value", "landed-cost", "rules-of-origin", "incoterms")


def _sources(provenance: list[Provenance]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for p in provenance:
        seen.setdefault(p.id, {"name": p.name, "source": p.source, "licence": p.licence,
                               "edition": p.edition, "imported_at": p.imported_at.isoformat(),
                               "sample": p.is_sample})
    return list(seen.values())


@dataclass
class Part:
    """A section of the brief: its data, whether it is available, its sources."""

    available: bool = True
    note: str = ""
    sample: bool = False
    sources: list[dict[str, Any]] = field(default_factory=list)

    def set_sources(self, provenance: list[Provenance]) -> None:
        self.sources = _sources(provenance)
        self.sample = any(p.is_sample for p in provenance)


@dataclass
class ProductPart(Part):
    query: str = ""
    code: str = ""
    description: str = ""
    path: list[dict[str, str]] = field(default_factory=list)
    confidence: float | None = None  # the finder's confidence when words were given
    alternatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DutyPart(Part):
    mfn: list[str] = field(default_factory=list)
    best: list[str] = field(default_factory=list)
    preferences: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[dict[str, Any]] = field(default_factory=list)
    additional: list[dict[str, Any]] = field(default_factory=list)
    quotas: list[dict[str, Any]] = field(default_factory=list)
    taxes: list[dict[str, Any]] = field(default_factory=list)
    valuation_basis: str = ""
    sentences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class CostPart(Part):
    incoterm: str = ""
    value: str = ""
    currency: str = ""
    total: str = ""
    complete: bool = False
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RequirementsPart(Part):
    status: str = ""
    measures: list[dict[str, Any]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    general: list[str] = field(default_factory=list)


@dataclass
class MarketPart(Part):
    years: list[int] = field(default_factory=list)
    imports: list[dict[str, Any]] = field(default_factory=list)
    origin_exports: list[dict[str, Any]] = field(default_factory=list)
    growth_5y: float | None = None
    suppliers: list[dict[str, Any]] = field(default_factory=list)
    origin_share: float | None = None
    origin_rank: int | None = None
    score: float | None = None
    rank: int | None = None
    ranked_markets: int = 0
    components: dict[str, Any] = field(default_factory=dict)


@dataclass
class Brief:
    """The whole brief; :meth:`as_dict` is the JSON form (API, MCP structured content)."""

    product: ProductPart
    origin: str
    destination: str
    as_of: date
    lang: str
    duty: DutyPart
    cost: CostPart
    requirements: RequirementsPart
    market: MarketPart
    origin_rules: list[dict[str, Any]]
    guides: list[dict[str, str]]
    terms: list[dict[str, str]]
    organisations: dict[str, list[dict[str, Any]]]
    next_steps: list[str]

    @property
    def parts(self) -> list[Part]:
        return [self.product, self.duty, self.cost, self.requirements, self.market]

    @property
    def sample(self) -> bool:
        return any(p.sample for p in self.parts)

    @property
    def sources(self) -> list[dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for part in self.parts:
            for s in part.sources:
                out.setdefault((s["name"], s["edition"]), s)
        return list(out.values())

    def as_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["as_of"] = self.as_of.isoformat()
        body["sample"] = self.sample
        body["sources"] = self.sources
        return body


def _product(db: Database, conn: Connection, text: str) -> ProductPart:
    """A code as given, or the finder's best six-digit candidate for plain words."""
    from tradewind.nomenclature.queries import get_code, path

    text = (text or "").strip()
    if not text:
        raise InvalidInput(N_("product is required: an HS code such as 090111 or plain words"))
    part = ProductPart(query=text[:200])
    if re.search(r"[^\W\d_]{2,}", text):
        try:
            from tradewind.finder import search_products
        except ImportError as exc:  # the finder is an optional feature
            raise InvalidInput(N_("give an HS code: the product finder is not installed")) from exc
        result = search_products(db, text[:200], limit=5)
        candidates = [c for c in result.candidates if len(c.code) == 6]
        if not candidates:
            raise UnknownValue(N_("no HS code matched %(text)r: try other words or a code"),
                               text=text[:60])
        best = candidates[0]
        part.code = best.code
        head = next((h for h in result.headings if h.code == best.code[:4]), None)
        part.confidence = round(head.confidence, 3) if head else None
        part.alternatives = [{"code": c.code, "description": c.description}
                             for c in candidates[1:5]]
    else:
        part.code = parse_product(text)
    info = get_code(conn, part.code)
    if info is not None:
        part.description = info.description
        part.path = [{"code": step.code, "description": step.description}
                     for step in path(conn, part.code)]
    return part


def _shown(view: Any) -> str:
    """A rate as the reader's language writes it (the canonical text stays in the data)."""
    from tradewind.i18n.duties import reader_duty

    return reader_duty(view.duty) if view.parse_ok else str(view.duty_text)


def _duty(answer: MarketAccessAnswer) -> DutyPart:
    part = DutyPart(valuation_basis=answer.valuation.basis, sentences=list(answer.sentences),
                    warnings=list(answer.warnings))
    part.set_sources(answer.provenance)
    if answer.schedule is None:
        part.available = False
        part.note = _("No tariff schedule is available for this destination.")
    for line in answer.lines:
        if line.mfn:
            part.mfn.append(f"{line.national_code}: {_shown(line.mfn)}")
        if line.best:
            part.best.append(f"{line.national_code}: {_shown(line.best)} ({line.best.label})")
        part.preferences += [{"line": line.national_code, "label": p.label,
                              "duty": p.formatted} for p in line.preferences]
        part.quotas += [{"line": line.national_code, "kind": q.kind, "duty": q.formatted,
                         "volume": q.quota_volume, "unit": q.quota_unit} for q in line.quotas]
    body = answer.as_dict()
    part.conditions = body["conditions"]
    part.additional = body["additional_duties"]
    part.taxes = [{"name": t["name"], "kind": t["kind"], "rate": t["formatted"]}
                  for t in body["taxes"]]
    return part


def _cost(conn: Connection, answer: MarketAccessAnswer, incoterm: str | None,
          value: Decimal | None, currency: str) -> CostPart:
    from tradewind.costs.calculator import CostInputs, money
    from tradewind.costs.service import landed_cost

    part = CostPart(incoterm=(incoterm or "FOB").upper(), currency=currency)
    if value is None:
        part.available = False
        part.note = _("Give a shipment value to see the landed cost.")
        return part
    part.value = f"{value} {currency}"
    try:
        result, _answer = landed_cost(conn, CostInputs(
            product=answer.product, origin=answer.origin, destination=answer.destination,
            incoterm=part.incoterm, goods_value=value, currency=currency, as_of=answer.as_of))
    except TradewindError as exc:
        part.available = False
        part.note = str(exc)
        return part
    part.currency = result.currency
    part.total = money(result.total, result.currency)
    part.complete = result.complete
    part.lines = [{"label": line.label, "amount": money(line.amount, result.currency)
                   if line.amount is not None else None, "formula": line.formula,
                   "kind": line.kind} for line in result.lines]
    part.set_sources(answer.provenance)
    part.sample = result.is_sample
    return part


def _requirements(conn: Connection, answer: MarketAccessAnswer) -> RequirementsPart:
    part = RequirementsPart(general=list(answer.requirements))
    try:
        queries = importlib.import_module("tradewind.requirements.queries")
    except ImportError:
        part.available = False
        part.note = _("The requirements capability is not installed.")
        return part
    try:
        # the market-access answer already holds them (same query, same inputs)
        found = getattr(answer, "market_requirements", None) or queries.requirements_for(
            conn, product=answer.product, destination=answer.destination,
            origin=answer.origin, as_of=answer.as_of)
    except Exception as exc:  # an empty or older database must not break the brief
        part.available = False
        part.note = _("Requirements could not be read: %(error)s", error=str(exc)[:200])
        return part
    part.status = found.status
    if found.status == "no_data":
        part.available = False
        part.note = _("No import requirements are recorded for this market.")
    part.measures = [{"code": m.mast_code, "name": m.mast_name, "title": m.title,
                      "summary": m.summary, "agency": m.agency, "documents": m.documents,
                      "source_url": m.source_url}
                     for c in found.chapters for m in c.measures]
    part.documents = found.documents
    part.notifications = [{"symbol": n.notification.symbol, "title": n.notification.title,
                           "comment_open": n.comment_open} for n in found.notifications[:10]]
    part.set_sources(found.provenance)
    return part


def _market(conn: Connection, answer: MarketAccessAnswer) -> MarketPart:
    from tradewind.markets import rank_markets
    from tradewind.stats import queries as stats

    part = MarketPart()
    try:
        pm = stats.product_market(conn, answer.product, answer.destination, answer.origin)
    except TradewindError as exc:
        part.available = False
        part.note = str(exc)
        return part
    part.years = pm.years
    part.imports = [{"year": f.year, "value_usd": f.value_usd} for f in pm.imports]
    part.origin_exports = [{"year": f.year, "value_usd": f.value_usd}
                           for f in pm.origin_exports]
    part.growth_5y = pm.import_growth
    part.suppliers = [{"iso3": s.iso3, "value_usd": s.value_usd, "share": round(s.share, 4)}
                      for s in pm.suppliers[:5]]
    part.origin_share, part.origin_rank = pm.origin_share, pm.origin_rank
    part.set_sources(pm.provenance)
    if not pm.imports:
        part.available = False
        part.note = _("No imports of this product by this market are recorded.")
    try:
        ranking = rank_markets(conn, answer.product, answer.origin)
    except TradewindError:
        return part
    part.ranked_markets = len(ranking.rows)
    for row in ranking.rows:
        if row.key == answer.destination:
            part.score, part.rank = round(row.score, 1), row.rank
            part.components = {k: c.as_dict() for k, c in row.components.items()}
    return part


def _kept(conn: Connection, key: tuple[Any, ...], compute: Any) -> Any:
    """A part that depends only on the data and the language (guides, terms, organisations
    of a country), read once per data version (:func:`tradewind.markets.links.cached`);
    callers copy what they hand out."""
    from tradewind.markets.links import cached

    return cached(conn, key, compute)


def _terms(conn: Connection, answer: MarketAccessAnswer, lang: str) -> list[dict[str, str]]:
    from tradewind.knowledge.queries import terms_by_slug

    slugs = list(BASE_TERMS)
    if any(line.preferences for line in answer.lines):
        slugs.append("preferential-tariff")
    if any(line.quotas for line in answer.lines):
        slugs.append("tariff-rate-quota")
    if answer.taxes:
        slugs.append("vat")
    found = _kept(conn, ("brief-terms", tuple(slugs), lang), lambda: [
        {"slug": t.slug, "term": t.term, "definition": t.definition}
        for t in terms_by_slug(conn, slugs, lang)])
    return [dict(t) for t in found]


def _guides(conn: Connection, lang: str) -> list[dict[str, str]]:
    from tradewind.knowledge.queries import get_guide

    def read() -> list[dict[str, str]]:
        out = []
        for slug in GUIDE_SLUGS:
            guide = get_guide(conn, slug, lang)
            if guide is not None:
                out.append({"slug": guide.slug, "title": guide.title, "summary": guide.summary,
                            "url": f"/guides/{guide.slug}"})
        return out

    return [dict(g) for g in _kept(conn, ("brief-guides", lang), read)]


def _organisations(conn: Connection, answer: MarketAccessAnswer,
                   lang: str) -> dict[str, list[dict[str, Any]]]:
    from tradewind.network.queries import search_organisations

    def read(code: str) -> list[dict[str, Any]]:
        orgs = search_organisations(conn, country=code, lang=lang)
        return [{"name": o.name, "acronym": o.acronym, "kind": o.kind,
                 "website": o.website, "national": code in o.countries} for o in orgs[:5]]

    out: dict[str, list[dict[str, Any]]] = {}
    for role, code in (("origin", answer.origin), ("destination", answer.destination)):
        found = _kept(conn, ("brief-organisations", code, lang),
                      lambda code=code: read(code))  # type: ignore[misc]
        out[role] = [dict(o) for o in found]
    return out


def _next_steps(brief: Brief) -> list[str]:
    steps = [_("Confirm the HS code %(code)s with the customs of %(destination)s (ask for an "
               "advance ruling if in doubt).", code=brief.product.code,
               destination=brief.destination)]
    if brief.duty.conditions:
        steps.append(_("Check that your product meets the rules of origin of %(agreement)s "
                       "and prepare the proof of origin.",
                       agreement=brief.duty.conditions[0]["agreement"]))
    if brief.requirements.documents:
        steps.append(_("Gather the documents: %(documents)s.",
                       documents=", ".join(brief.requirements.documents[:6])))
    else:
        steps.append(_("Ask the buyer or a customs broker which certificates and documents "
                       "are needed."))
    steps.append(_("Prepare the customs declaration and the commercial invoice with your "
                   "forwarder or customs broker."))
    steps.append(_("Agree the Incoterm and price with the buyer, using the landed cost as "
                   "a guide."))
    if brief.organisations.get("origin"):
        steps.append(_("Contact %(organisation)s for help with exporting.",
                       organisation=brief.organisations["origin"][0]["name"]))
    return steps


def compose_brief(db: Database, conn: Connection, product: str, origin: str,
                  destination: str, as_of: date | None = None, incoterm: str | None = None,
                  value: Decimal | None = None, currency: str = "USD") -> Brief:
    """The brief for user text (code or words, economy codes or names); 4xx on bad input.
    Its parts read one data version (:func:`tradewind.markets.links.one_version`)."""
    from tradewind.markets.links import one_version

    with one_version(conn):
        return _compose(db, conn, product, origin, destination, as_of, incoterm, value,
                        currency)


def _compose(db: Database, conn: Connection, product: str, origin: str, destination: str,
             as_of: date | None, incoterm: str | None, value: Decimal | None,
             currency: str) -> Brief:
    lang = current_language.get()
    product_part = _product(db, conn, product)
    answer = market_access(conn, product_part.code, origin, destination, as_of)
    if not product_part.description:
        product_part.description = answer.product_description
    product_part.set_sources(answer.provenance[:1])
    duty = _duty(answer)
    brief = Brief(
        product=product_part, origin=answer.origin, destination=answer.destination,
        as_of=answer.as_of, lang=lang, duty=duty,
        cost=_cost(conn, answer, incoterm, value, currency),
        requirements=_requirements(conn, answer), market=_market(conn, answer),
        origin_rules=[{"agreement": c["agreement"], "general_rule": c["general_rule"],
                       "product_rules": c["product_rules"], "cumulation": c["cumulation"],
                       "proof_of_origin": c["proof_of_origin"]} for c in duty.conditions],
        guides=_guides(conn, lang), terms=_terms(conn, answer, lang),
        organisations=_organisations(conn, answer, lang), next_steps=[])
    brief.next_steps = _next_steps(brief)
    return brief

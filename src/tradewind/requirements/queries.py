"""Named queries: the non-tariff requirements for a product, destination, origin and date."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from tradewind.agreements.queries import groups_of, today, valid_on
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import Provenance, _row_to_provenance
from tradewind.errors import InvalidInput, NotFound
from tradewind.i18n import lazy_noop as N_
from tradewind.requirements import mast
from tradewind.requirements.models import (
    measure_documents,
    measure_origins,
    measure_products,
    measures,
)


@dataclass
class Measure:
    id: int
    economy: str
    mast_code: str
    mast_name: str
    title: str
    summary: str
    legal_reference: str
    source_url: str
    agency: str
    valid_from: date | None
    valid_to: date | None
    origins_scope: str
    hs_codes: list[str]
    origins: list[str]
    documents: list[str]
    dataset_id: int
    is_sample: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "economy": self.economy, "mast_code": self.mast_code,
            "mast_name": self.mast_name, "title": self.title, "summary": self.summary,
            "legal_reference": self.legal_reference or None,
            "source_url": self.source_url or None, "agency": self.agency or None,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "origins_scope": self.origins_scope, "origins": self.origins,
            "hs_codes": self.hs_codes, "documents": self.documents,
            "dataset_id": self.dataset_id, "sample": self.is_sample,
        }


@dataclass
class ChapterGroup:
    chapter: str
    name: str
    measures: list[Measure]
    plain: str = ""  # what the chapter means for an exporter, in plain words

    def as_dict(self) -> dict[str, Any]:
        return {"chapter": self.chapter, "name": self.name, "plain": self.plain or None,
                "measures": [m.as_dict() for m in self.measures]}


@dataclass
class Requirements:
    product: str
    destination: str
    origin: str | None
    as_of: date
    economies: list[str]  # the destination and the groups whose measures apply there
    market_covered: bool  # False: no requirements imported for this market at all
    chapters: list[ChapterGroup] = field(default_factory=list)
    provenance: list[Provenance] = field(default_factory=list)
    # WTO SPS/TBT notifications on the product by the market in the last 12 months
    notifications: list[Any] = field(default_factory=list)
    # Filled by :func:`tradewind.procedures.answer.attach_procedures`: the market's import
    # procedure and the documents checklist (None/[] until attached).
    procedure: Any = None
    checklist: list[Any] = field(default_factory=list)
    # The data version the answer was read at (lets attach_procedures reuse it).
    data_version: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def documents(self) -> list[str]:
        """The documents the measures ask for, once each, in the order they first appear."""
        return list(dict.fromkeys(d for c in self.chapters for m in c.measures
                                  for d in m.documents))

    @property
    def count(self) -> int:
        return sum(len(c.measures) for c in self.chapters)

    @property
    def sample(self) -> bool:
        return any(p.is_sample for p in self.provenance)

    @property
    def status(self) -> str:
        """``no_data`` (nothing imported for the market), ``none_found`` or ``found``."""
        if not self.market_covered:
            return "no_data"
        return "found" if self.count else "none_found"

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.product, "destination": self.destination, "origin": self.origin,
            "date": self.as_of.isoformat(), "economies": self.economies,
            "status": self.status, "market_covered": self.market_covered,
            "count": self.count, "sample": self.sample,
            "chapters": [c.as_dict() for c in self.chapters],
            "documents": self.documents,
            "notifications": [{**n.notification.as_dict(), "comment_open": n.comment_open,
                               "days_left": n.days_left} for n in self.notifications],
            "provenance": [p.as_dict() for p in self.provenance],
            **({"procedure": self.procedure.as_dict(),
                "checklist": [d.as_dict() for d in self.checklist],
                "origin_check_url": self.origin_check_url}
               if self.procedure is not None else {}),
        }

    @property
    def origin_check_url(self) -> str | None:
        """The origin check page for this product and pair (needs an origin)."""
        from urllib.parse import urlencode

        if not self.origin:
            return None
        return "/origin-check?" + urlencode({"product": self.product, "origin": self.origin,
                                             "destination": self.destination})


def parse_hs(text: str) -> str:
    """HS digits from user input (``"0901.11"`` → ``"090111"``), 2 to 10 digits."""
    digits = re.sub(r"[\s.]", "", text or "")
    if not re.fullmatch(r"\d{2,10}", digits):
        raise InvalidInput(N_("%(text)r is not an HS code: give 2 to 10 digits such as 0901.11"),
                           text=text)
    return digits


def _prefixes(product: str) -> list[str]:
    return [product[:n] for n in (2, 4, 6, 8, 10) if n <= len(product)]


def recent_notifications(conn: Connection, product: str, economies: list[str],
                         day: date) -> list[Any]:
    """Notifications of the market (and its groups) on the product from the last 12 months,
    open comment periods first (one set-wise query for all the economies)."""
    from tradewind.notifications.queries import notifications_for_product

    return notifications_for_product(conn, hs_code=product[:6], member=economies, as_of=day,
                                     months=12)


def market_datasets(conn: Connection, economies: list[str]) -> list[Provenance]:
    """The datasets holding (undeleted) measures of ``economies``: empty = market not
    covered.  One query; each EXISTS is a seek on ``ix_measures_economy_dataset``."""
    return [_row_to_provenance(r) for r in conn.execute(_MARKET_DATASETS,
                                                        {"economies": list(economies)})]


_MARKET_DATASETS = select(datasets).where(exists().where(
    measures.c.dataset_id == datasets.c.id,
    measures.c.economy.in_(bindparam("economies", expanding=True)),
    measures.c.deleted_at.is_(None))).order_by(datasets.c.id)


def market_has_measures(conn: Connection, economies: list[str]) -> bool:
    return conn.execute(select(measures.c.id).where(
        measures.c.economy.in_(economies), measures.c.deleted_at.is_(None)).limit(1)
    ).first() is not None


@dataclass(frozen=True)
class MarketContext:
    """What an answer needs about the market and the origin, whatever the product: the
    economies whose measures apply, the datasets covering them, the origin's groups.
    Changes only with the data, so it is kept per data version (:func:`market_context`)."""

    economies: tuple[str, ...]
    provenance: tuple[Provenance, ...]
    origin_codes: tuple[str, ...]


def market_context(conn: Connection, destination: str, origin: str | None, day: date,
                   version: tuple[Any, ...]) -> MarketContext:
    """:class:`MarketContext` from the process cache of derived figures (keyed by the data
    version: any import, deletion or editor change recomputes it)."""
    from tradewind.markets.links import cached

    def market() -> tuple[tuple[str, ...], tuple[Provenance, ...]]:
        economies = (destination, *groups_of(conn, destination, day))
        return economies, tuple(market_datasets(conn, list(economies)))

    # the market and the origin are kept apart: a new pair of a known market and a known
    # origin costs no query
    economies, provenance = cached(conn, ("requirements-market", destination, day), market,
                                   version)
    origin_codes: tuple[str, ...] = cached(
        conn, ("economy-groups", origin, day),
        lambda: (origin, *groups_of(conn, origin, day)), version) if origin else ()
    return MarketContext(economies, provenance, origin_codes)


def _product_match(chapter: bool) -> Any:
    """Product codes that are a prefix of the product asked (or, for a chapter asked, one of
    its headings): an indexed lookup on ``measure_products.hs_code``."""
    match: Any = measure_products.c.hs_code.in_(bindparam("prefixes", expanding=True))
    if chapter:
        # a chapter (or 3 digits) asked: also measures on its headings.
        match = or_(match, and_(func.length(measure_products.c.hs_code) == 4,
                                measure_products.c.hs_code.startswith(bindparam("product"))))
    return match


_MEASURE_QUERIES: dict[tuple[bool, bool], Any] = {}


def _measures_query(chapter: bool, with_origin: bool) -> Any:
    """The measures of a product in the market on a date, as one statement (built once per
    shape, so SQLAlchemy compiles it once): the ids come from the product codes (indexed),
    the measures by primary key, filtered by economy, date and origin scope."""
    key = (chapter, with_origin)
    found = _MEASURE_QUERIES.get(key)
    if found is not None:
        return found
    ids = select(measure_products.c.measure_id).where(_product_match(chapter))
    query = (select(measures, datasets.c.is_sample)
             .join(datasets, datasets.c.id == measures.c.dataset_id)
             .where(measures.c.id.in_(ids),
                    measures.c.economy.in_(bindparam("economies", expanding=True)),
                    measures.c.deleted_at.is_(None),
                    valid_on(measures.c.valid_from, measures.c.valid_to, bindparam("day"))))
    if with_origin:
        # correlated: only ``list`` measures are probed, by ``measure_id`` (indexed)
        query = query.where(or_(
            measures.c.origins_scope == "all",
            exists().where(measure_origins.c.measure_id == measures.c.id,
                           measure_origins.c.economy.in_(bindparam("origins",
                                                                   expanding=True)))))
    found = _MEASURE_QUERIES[key] = query.order_by(measures.c.mast_code, measures.c.id)
    return found


def _children_query() -> Any:
    parts = [select(literal(i).label("part"), t.c.measure_id, value.label("value"),
                    t.c.id.label("row_id"))
             .where(t.c.measure_id.in_(bindparam("ids", expanding=True)))
             for i, (t, value) in enumerate(((measure_products, measure_products.c.hs_code),
                                             (measure_origins, measure_origins.c.economy),
                                             (measure_documents, measure_documents.c.name)))]
    query = union_all(*parts).subquery()
    return select(query).order_by(query.c.part, query.c.row_id)


_CHILDREN = _children_query()


def _children(conn: Connection, ids: list[int]) -> tuple[dict[int, list[str]],
                                                         dict[int, list[str]],
                                                         dict[int, list[str]]]:
    """Codes, origins and documents of the measures ``ids``, in one UNION ALL query."""
    products: dict[int, list[str]] = defaultdict(list)
    origins: dict[int, list[str]] = defaultdict(list)
    documents: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return products, origins, documents
    targets = (products, origins, documents)
    for part, mid, value, _row in conn.execute(_CHILDREN, {"ids": ids}):
        targets[int(part)][mid].append(value)
    return products, origins, documents


def requirements_for(conn: Connection, *, product: str, destination: str,
                     origin: str | None = None, as_of: date | None = None) -> Requirements:
    """Measures of ``destination`` (and its groups, e.g. EUN for FRA) on ``as_of`` for
    ``product``: a measure applies when one of its codes is a prefix of the product, or when
    the product is a prefix of one of its 2/4-digit codes; a ``list`` measure applies only to
    the listed origins (or groups the origin belongs to).

    Set-wise and with few round trips: the data version (one small query), the market's
    groups and datasets from the cache of that version (:func:`market_context`), then the
    product's measures (one statement driven by the HS index), their codes, origins and
    documents (one statement), and the notifications (two statements)."""
    from tradewind.markets.links import data_version

    product = parse_hs(product)
    day = today(as_of)
    version = data_version(conn)
    context = market_context(conn, destination, origin, day, version)
    economies = list(context.economies)
    result = Requirements(product, destination, origin, day, economies,
                          bool(context.provenance), data_version=version)
    result.notifications = recent_notifications(conn, product, economies, day)
    if not context.provenance:
        return result
    # Sources of the market's measures (also when none matches: "none found" is a claim
    # about those datasets, SAMPLE or not).
    result.provenance.extend(context.provenance)
    params: dict[str, Any] = {"prefixes": _prefixes(product), "product": product,
                              "economies": economies, "day": day}
    if origin:
        params["origins"] = list(context.origin_codes)
    rows = list(conn.execute(_measures_query(len(product) < 4, bool(origin)), params))
    if not rows:
        return result
    products, origins, documents = _children(conn, [r.id for r in rows])
    grouped: dict[str, list[Measure]] = defaultdict(list)
    for r in rows:
        grouped[mast.chapter_of(r.mast_code)].append(Measure(
            r.id, r.economy, r.mast_code, mast.code_name(r.mast_code), r.title, r.summary,
            r.legal_reference, r.source_url, r.agency, r.valid_from, r.valid_to,
            r.origins_scope, products[r.id], origins[r.id], documents[r.id], r.dataset_id,
            bool(r.is_sample)))
    result.chapters = [ChapterGroup(letter, mast.chapter_name(letter), grouped[letter],
                                    mast.chapter_plain(letter))
                       for letter in sorted(grouped)]
    return result


def _economy(conn: Connection, text: str, role: str) -> str:
    from tradewind.access.answer import resolve_economy

    try:
        return resolve_economy(conn, text)
    except InvalidInput:
        raise NotFound(N_("unknown %(role)s %(text)r: use an ISO3 code such as KEN, a country "
                          "name, or EUN"), role=role, text=text.strip()) from None


def lookup(conn: Connection, product: str, destination: str, origin: str | None = None,
           on: str | None = None) -> Requirements:
    """:func:`requirements_for` from user text (web and CLI): codes or names, ISO date."""
    from tradewind.access.requests import parse_date

    if not (product or "").strip():
        raise InvalidInput(N_("product is required"))
    if not (destination or "").strip():
        raise InvalidInput(N_("destination is required"))
    hs = parse_hs(product)
    dest = _economy(conn, destination, "destination")
    orig = _economy(conn, origin, "origin") if origin and origin.strip() else None
    from tradewind.procedures.answer import attach_procedures

    result = requirements_for(conn, product=hs, destination=dest, origin=orig,
                              as_of=parse_date(on))
    return attach_procedures(conn, result)

"""Named queries of the policy dashboard; they read only the rollups, never raw events.

Every count is passed through :func:`suppress` with the k-anonymity threshold: rows below it
are removed (their number is reported, not their values), so pages, API, downloads and the
report all show the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from tradewind.errors import ConflictingInput, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.policy.models import policy_cube, policy_daily, policy_queries
from tradewind.policy.sectors import ALL, SECTIONS
from tradewind.policy.store import QUESTION_KINDS

KIND_LABELS = {
    "finder_search": N_("Product searches"), "finder_pick": N_("Search results opened"),
    "access": N_("Market-access answers"), "cost": N_("Landed-cost answers"),
    "markets": N_("Market-finder runs"), "market_products": N_("Products-for-a-market runs"),
    "requirements": N_("Requirement views"), "watch": N_("Watch lists"),
    "guide": N_("Guide views"), "library": N_("Library searches"),
    "feedback": N_("Feedback messages"),
}
TOPIC_LABELS = {
    "customs": N_("Customs procedures"), "tariffs": N_("Tariffs and duties"),
    "standards": N_("Standards, certificates and inspections"),
    "rules_of_origin": N_("Rules of origin"), "logistics": N_("Transport and logistics"),
    "finance": N_("Finance and payments"), "information": N_("Finding information"),
    "digital": N_("Digital trade"), "other": N_("Other"),
}
USER_TYPE_LABELS = {"business": N_("Business"), "advisor": N_("Advisor"),
                    "public_body": N_("Public body"), "unknown": N_("Not known")}
@dataclass(frozen=True)
class Filters:
    """Period (inclusive days), origin economy and sector (HS section or chapter)."""

    start: date
    end: date
    origin: str = ""
    sector: str = ""

    @property
    def origin_cell(self) -> str:
        return self.origin or ALL

    @property
    def sector_cell(self) -> str:
        return self.sector or ALL

    @property
    def first_month(self) -> date:
        return self.start.replace(day=1)

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "origin": self.origin, "sector": self.sector}


def parse_filters(start: str = "", end: str = "", origin: str = "", sector: str = "",
                  today: date | None = None) -> Filters:
    """Filters from text (forms, API, CLI); the default period is the last 12 months."""
    today = today or datetime.now(UTC).date()
    try:
        end_day = date.fromisoformat(end.strip()) if end.strip() else today
    except ValueError as exc:
        raise InvalidInput(N_("dates must look like 2025-01-31"), field="to") from exc
    try:
        start_day = (date.fromisoformat(start.strip()) if start.strip()
                     else (end_day - timedelta(days=365)).replace(day=1))
    except ValueError as exc:
        raise InvalidInput(N_("dates must look like 2025-01-31"), field="from") from exc
    if start_day > end_day:
        raise ConflictingInput(N_("the period starts after it ends"), field="from")
    if end_day - start_day > timedelta(days=3 * 366):
        raise ConflictingInput(N_("choose a period of at most three years"), field="from")
    origin_code = origin.strip().upper()
    if origin_code and (len(origin_code) != 3 or not origin_code.isalpha()):
        raise InvalidInput(N_("origin must be an ISO3 code such as KEN"), field="origin")
    sector_code = sector.strip().upper()
    if sector_code and sector_code not in SECTIONS and not (
            len(sector_code) == 2 and sector_code.isdigit() and 1 <= int(sector_code) <= 97):
        raise InvalidInput(N_("sector must be an HS section (I to XXI) or a 2-digit chapter"),
                           field="sector")
    return Filters(start_day, end_day, origin_code, sector_code)


@dataclass
class Suppressed:
    """Rows at or above the threshold, and how many were hidden."""

    rows: list[dict[str, Any]]
    hidden: int = 0


def suppress(rows: list[dict[str, Any]], k: int, key: str = "n") -> Suppressed:
    kept = [r for r in rows if int(r[key]) >= k]
    return Suppressed(kept, len(rows) - len(kept))


def _daily_where(f: Filters, kinds: tuple[str, ...] | None = None) -> list[Any]:
    t = policy_daily.c
    where: list[Any] = [t.origin == f.origin_cell, t.sector == f.sector_cell,
                        t.day >= f.start, t.day <= f.end]
    if kinds:
        where.append(t.kind.in_(kinds))
    return where


def _cube(f: Filters, dim: str, *, any_sector: bool = False) -> list[Any]:
    t = policy_cube.c
    return [t.origin == f.origin_cell, t.sector == (ALL if any_sector else f.sector_cell),
            t.dim == dim, t.month >= f.first_month, t.month <= f.end]


def _rows(conn: Connection, stmt: Select[Any]) -> list[dict[str, Any]]:
    """Rows as dicts; PostgreSQL's SUM of BIGINT is NUMERIC, so Decimals become ints."""
    return [{k: int(v) if isinstance(v, Decimal) else v for k, v in r._mapping.items()}
            for r in conn.execute(stmt)]


def totals_by_kind(conn: Connection, f: Filters, k: int) -> Suppressed:
    t = policy_daily.c
    stmt = (select(t.kind, func.sum(t.n).label("n")).where(*_daily_where(f))
            .group_by(t.kind).order_by(func.sum(t.n).desc()))
    return suppress(_rows(conn, stmt), k)


def over_time(conn: Connection, f: Filters, k: int) -> Suppressed:
    """Questions per month (per day when the period is two months or shorter)."""
    t = policy_daily.c
    daily = (f.end - f.start).days <= 62
    if daily:
        bucket: Any = t.day
    elif conn.dialect.name == "sqlite":
        bucket = func.strftime("%Y-%m", t.day)
    else:
        bucket = func.to_char(t.day, "YYYY-MM")
    stmt = (select(bucket.label("period"), func.sum(t.n).label("n"))
            .where(*_daily_where(f, QUESTION_KINDS)).group_by(bucket).order_by(bucket))
    rows = _rows(conn, stmt)
    for r in rows:
        r["period"] = str(r["period"])
    return suppress(rows, k)


def _one_key(conn: Connection, f: Filters, k: int, dim: str, name: str,
             limit: int | None = None, any_sector: bool = False) -> Suppressed:
    t = policy_cube.c
    total = func.sum(t.n)
    stmt = (select(t.key1.label(name), total.label("n"))
            .where(*_cube(f, dim, any_sector=any_sector)).group_by(t.key1)
            .order_by(total.desc(), t.key1))
    if limit:
        # Ordered by count: rows at or above k come first, so HAVING + LIMIT is exact.
        stmt = stmt.having(total >= k).limit(limit)
        return Suppressed(_rows(conn, stmt))
    return suppress(_rows(conn, stmt), k)


def by_dimension(conn: Connection, f: Filters, k: int, dimension: str) -> Suppressed:
    """Questions by language (``lang``) or by user type (``user_type``)."""
    dims = {"lang": "lang", "user_type": "user"}
    if dimension not in dims:
        raise InvalidInput(N_("unknown dimension"))
    return _one_key(conn, f, k, dims[dimension], "key")


def top_products(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    return _one_key(conn, f, k, "product", "hs4", limit)


def top_markets(conn: Connection, f: Filters, k: int, limit: int | None = 20) -> Suppressed:
    return _one_key(conn, f, k, "market", "destination", limit)


def top_pairs(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    t = policy_cube.c
    total = func.sum(t.n)
    stmt = (select(t.key1.label("hs4"), t.key2.label("destination"), total.label("n"))
            .where(*_cube(f, "pair")).group_by(t.key1, t.key2)
            .having(total >= k).order_by(total.desc(), t.key1, t.key2).limit(limit))
    return Suppressed(_rows(conn, stmt))


def barriers(conn: Connection, f: Filters, k: int) -> Suppressed:
    """Feedback messages by barrier topic (feedback has no product: the sector is ignored)."""
    return _one_key(conn, f, k, "topic", "topic", any_sector=True)


def unanswered_searches(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    """Finder questions asked often with no result opened (text only when kept).

    Counted over the period's months for every origin and sector: a search text has neither.
    """
    t = policy_queries.c
    stmt = (select(t.query_hash, func.max(t.query_text).label("text"),
                   func.sum(t.searches).label("n"), func.sum(t.empty).label("empty"),
                   func.sum(t.picks).label("picks"))
            .where(t.month >= f.first_month, t.month <= f.end)
            .group_by(t.query_hash)
            .having(and_(func.sum(t.picks) == 0, func.sum(t.searches) >= k))
            .order_by(func.sum(t.searches).desc(), t.query_hash).limit(limit))
    return Suppressed(_rows(conn, stmt))


def gap_counts(conn: Connection, f: Filters) -> list[dict[str, Any]]:
    """Questions answered "no data", by kind and by the economy lacking the dataset."""
    t = policy_cube.c
    stmt = (select(t.key1.label("kind"), t.key2.label("economy"), func.sum(t.n).label("n"))
            .where(*_cube(f, "gap")).group_by(t.key1, t.key2))
    return _rows(conn, stmt)


@dataclass
class Dashboard:
    filters: Filters
    threshold: int
    totals: Suppressed
    over_time: Suppressed
    products: Suppressed
    markets: Suppressed
    pairs: Suppressed
    unanswered: Suppressed
    barriers: Suppressed
    languages: Suppressed
    user_types: Suppressed
    gaps: list[Any] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"filters": self.filters.query(), "threshold": self.threshold}
        for name in ("totals", "over_time", "products", "markets", "pairs", "unanswered",
                     "barriers", "languages", "user_types"):
            part: Suppressed = getattr(self, name)
            out[name] = {"rows": part.rows, "suppressed_rows": part.hidden}
        out["gaps"] = [asdict(g) for g in self.gaps]
        return out


def dashboard(conn: Connection, f: Filters, k: int, *, public: bool = False) -> Dashboard:
    """Everything the dashboard shows, in about ten indexed aggregate queries."""
    from tradewind.policy.gaps import data_gaps

    unanswered = Suppressed([]) if public else unanswered_searches(conn, f, k)
    return Dashboard(
        filters=f, threshold=k, totals=totals_by_kind(conn, f, k),
        over_time=over_time(conn, f, k), products=top_products(conn, f, k),
        markets=top_markets(conn, f, k, limit=None), pairs=top_pairs(conn, f, k),
        unanswered=unanswered, barriers=barriers(conn, f, k),
        languages=by_dimension(conn, f, k, "lang"),
        user_types=by_dimension(conn, f, k, "user_type"),
        gaps=data_gaps(conn, f, k))

"""Named queries of the policy dashboard; they read only the rollups, never raw events.

Every count is passed through :func:`suppress` with the k-anonymity threshold: rows below it
are removed (their number is reported, not their values), so pages, API, downloads and the
report all show the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, func, select

from tradewind.errors import InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.policy.models import policy_daily, policy_monthly, policy_queries

# Questions about a product and/or market (views of guides and feedback are counted apart).
QUESTION_KINDS = ("finder_search", "access", "cost", "markets", "market_products",
                  "requirements", "watch")
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
# HS sections as chapter ranges (HS 2022).
SECTIONS: dict[str, tuple[int, int]] = {
    "I": (1, 5), "II": (6, 14), "III": (15, 15), "IV": (16, 24), "V": (25, 27),
    "VI": (28, 38), "VII": (39, 40), "VIII": (41, 43), "IX": (44, 46), "X": (47, 49),
    "XI": (50, 63), "XII": (64, 67), "XIII": (68, 70), "XIV": (71, 71), "XV": (72, 83),
    "XVI": (84, 85), "XVII": (86, 89), "XVIII": (90, 92), "XIX": (93, 93), "XX": (94, 96),
    "XXI": (97, 97),
}


@dataclass(frozen=True)
class Filters:
    """Period (inclusive days), origin economy and sector (HS section or chapter)."""

    start: date
    end: date
    origin: str = ""
    sector: str = ""

    @property
    def chapters(self) -> tuple[str, ...]:
        if not self.sector:
            return ()
        if self.sector in SECTIONS:
            low, high = SECTIONS[self.sector]
            return tuple(f"{c:02d}" for c in range(low, high + 1))
        return (self.sector,)

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
        start_day = (date.fromisoformat(start.strip()) if start.strip()
                     else (end_day - timedelta(days=365)).replace(day=1))
    except ValueError as exc:
        raise InvalidInput("dates must look like 2025-01-31") from exc
    if start_day > end_day:
        raise InvalidInput("the period starts after it ends")
    if end_day - start_day > timedelta(days=3 * 366):
        raise InvalidInput("choose a period of at most three years")
    origin_code = origin.strip().upper()
    if origin_code and (len(origin_code) != 3 or not origin_code.isalpha()):
        raise InvalidInput("origin must be an ISO3 code such as KEN")
    sector_code = sector.strip().upper()
    if sector_code and sector_code not in SECTIONS and not (
            len(sector_code) == 2 and sector_code.isdigit() and 1 <= int(sector_code) <= 97):
        raise InvalidInput("sector must be an HS section (I to XXI) or a 2-digit chapter")
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
    where: list[Any] = [t.day >= f.start, t.day <= f.end]
    if kinds:
        where.append(t.kind.in_(kinds))
    if f.origin:
        where.append(t.origin == f.origin)
    if f.chapters:
        where.append(t.hs2.in_(f.chapters))
    return where


def _monthly_where(f: Filters, kinds: tuple[str, ...] | None = None) -> list[Any]:
    t = policy_monthly.c
    where: list[Any] = [t.month >= f.first_month, t.month <= f.end]
    if kinds:
        where.append(t.kind.in_(kinds))
    if f.origin:
        where.append(t.origin == f.origin)
    if f.chapters:
        where.append(func.substr(t.hs4, 1, 2).in_(f.chapters))
    return where


def _rows(conn: Connection, stmt: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(stmt)]


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


def by_dimension(conn: Connection, f: Filters, k: int, dimension: str) -> Suppressed:
    """Questions by language or by user type."""
    if dimension not in ("lang", "user_type"):
        raise InvalidInput("unknown dimension")
    t = policy_daily.c
    column = t[dimension]
    stmt = (select(column.label("key"), func.sum(t.n).label("n"))
            .where(*_daily_where(f, QUESTION_KINDS)).group_by(column)
            .order_by(func.sum(t.n).desc()))
    return suppress(_rows(conn, stmt), k)


def top_products(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    t = policy_monthly.c
    stmt = (select(t.hs4, func.sum(t.n).label("n"))
            .where(*_monthly_where(f, QUESTION_KINDS), t.hs4 != "")
            .group_by(t.hs4).order_by(func.sum(t.n).desc(), t.hs4))
    return _top(conn, stmt, k, limit)


def top_markets(conn: Connection, f: Filters, k: int, limit: int | None = 20) -> Suppressed:
    t = policy_monthly.c
    stmt = (select(t.destination, func.sum(t.n).label("n"))
            .where(*_monthly_where(f, QUESTION_KINDS), t.destination != "")
            .group_by(t.destination).order_by(func.sum(t.n).desc(), t.destination))
    return _top(conn, stmt, k, limit)


def top_pairs(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    t = policy_monthly.c
    stmt = (select(t.hs4, t.destination, func.sum(t.n).label("n"))
            .where(*_monthly_where(f, QUESTION_KINDS), t.hs4 != "", t.destination != "")
            .group_by(t.hs4, t.destination)
            .order_by(func.sum(t.n).desc(), t.hs4, t.destination))
    return _top(conn, stmt, k, limit)


def _top(conn: Connection, stmt: Select[Any], k: int, limit: int | None) -> Suppressed:
    """The first ``limit`` rows at or above ``k`` (ordered by count, so one HAVING does it)."""
    stmt = stmt.having(func.sum(policy_monthly.c.n) >= k)
    if limit:
        stmt = stmt.limit(limit)
    return Suppressed(_rows(conn, stmt))


def barriers(conn: Connection, f: Filters, k: int) -> Suppressed:
    t = policy_monthly.c
    where = [t.month >= f.first_month, t.month <= f.end, t.kind == "feedback"]
    if f.origin:
        where.append(t.origin == f.origin)
    stmt = (select(t.topic, func.sum(t.n).label("n")).where(*where).group_by(t.topic)
            .order_by(func.sum(t.n).desc()))
    return suppress(_rows(conn, stmt), k)


def unanswered_searches(conn: Connection, f: Filters, k: int, limit: int = 20) -> Suppressed:
    """Finder questions asked often with no result opened (text only when kept)."""
    t = policy_queries.c
    stmt = (select(t.query_hash, func.max(t.query_text).label("text"),
                   func.sum(t.searches).label("n"), func.sum(t.empty).label("empty"),
                   func.sum(t.picks).label("picks"))
            .where(t.month >= f.first_month, t.month <= f.end)
            .group_by(t.query_hash)
            .having(and_(func.sum(t.picks) == 0, func.sum(t.searches) >= k))
            .order_by(func.sum(t.searches).desc()).limit(limit))
    return Suppressed(_rows(conn, stmt))


def outcome_counts(conn: Connection, f: Filters, k: int, outcome: str,
                   kinds: tuple[str, ...] = QUESTION_KINDS) -> Suppressed:
    """Questions by kind and destination with a given outcome (e.g. ``no_data``)."""
    t = policy_monthly.c
    stmt = (select(t.kind, t.destination, func.sum(t.n).label("n"))
            .where(*_monthly_where(f, kinds), t.outcome == outcome)
            .group_by(t.kind, t.destination).order_by(func.sum(t.n).desc()))
    return suppress(_rows(conn, stmt), k)


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

"""Named queries over WTO SPS/TBT notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, func, literal, or_, select, union_all

from tradewind.datasets.models import datasets
from tradewind.errors import ConflictingInput, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.notifications.models import (
    notification_countries,
    notification_hs,
    notification_ics,
    notifications,
)

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Notification:
    id: int
    symbol: str
    base_symbol: str
    area: str
    member: str
    kind: str
    distribution_date: date
    comment_deadline: date | None
    proposed_adoption: date | None
    entry_into_force: date | None
    title: str
    description: str
    products_text: str
    objectives: str
    keywords: str
    language: str
    document_url: str
    is_sample: bool
    hs_codes: list[str] = field(default_factory=list)
    hs_inferred: bool = False
    ics_codes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def open_on(self, day: date) -> bool:
        """Is the comment period open on ``day`` (distribution ≤ day ≤ deadline)?"""
        return (self.comment_deadline is not None
                and self.distribution_date <= day <= self.comment_deadline)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items()}
        for key in ("distribution_date", "comment_deadline", "proposed_adoption",
                    "entry_into_force"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def is_sample(self) -> bool:
        return any(n.is_sample for n in self.items)


def _columns() -> list[Any]:
    return [*notifications.c, datasets.c.is_sample]


def _children_query() -> Any:
    """HS codes (with the inferred flag), ICS codes and affected economies of a list of
    notifications, in one UNION ALL statement (built once: SQLAlchemy compiles it once)."""
    ids: Any = bindparam("ids", expanding=True)
    parts = [
        select(literal(0).label("part"), notification_hs.c.notification_id.label("nid"),
               notification_hs.c.hs_code.label("value"), notification_hs.c.inferred.label("flag"))
        .where(notification_hs.c.notification_id.in_(ids)),
        select(literal(1), notification_ics.c.notification_id, notification_ics.c.ics_code,
               literal(False)).where(notification_ics.c.notification_id.in_(ids)),
        select(literal(2), notification_countries.c.notification_id,
               notification_countries.c.economy, literal(False))
        .where(notification_countries.c.notification_id.in_(ids)),
    ]
    query = union_all(*parts).subquery()
    return select(query).order_by(query.c.part, query.c.value)


_CHILDREN = _children_query()


def _load(conn: Connection, rows: list[Any]) -> list[Notification]:
    ids = [r.id for r in rows]
    hs: dict[int, list[tuple[str, bool]]] = {}
    ics: dict[int, list[str]] = {}
    countries: dict[int, list[str]] = {}
    if ids:
        for part, nid, value, flag in conn.execute(_CHILDREN, {"ids": ids}):
            if part == 0:
                hs.setdefault(nid, []).append((value, bool(flag)))
            elif part == 1:
                ics.setdefault(nid, []).append(value)
            else:
                countries.setdefault(nid, []).append(value)
    out = []
    for r in rows:
        codes = hs.get(r.id, [])
        out.append(Notification(
            id=r.id, symbol=r.symbol, base_symbol=r.base_symbol, area=r.area, member=r.member,
            kind=r.kind, distribution_date=r.distribution_date,
            comment_deadline=r.comment_deadline, proposed_adoption=r.proposed_adoption,
            entry_into_force=r.entry_into_force, title=r.title, description=r.description,
            products_text=r.products_text, objectives=r.objectives, keywords=r.keywords,
            language=r.language, document_url=r.document_url, is_sample=bool(r.is_sample),
            hs_codes=[c for c, _ in codes], hs_inferred=any(i for _, i in codes),
            ics_codes=ics.get(r.id, []), countries=countries.get(r.id, [])))
    return out


def _hs_digits(hs: str) -> str:
    digits = "".join(ch for ch in hs if ch.isdigit())
    if not digits or len(digits) > 10 or any(ch not in "0123456789. " for ch in hs.strip()):
        raise InvalidInput(N_("%(hs)r is not an HS code (2–10 digits, e.g. 0901 or 0901.21)"),
                           hs=hs, field="hs")
    return digits


def _hs_match(digits: str) -> Any:
    """An HS line matches when one code is a prefix of the other (heading ↔ subheading)."""
    prefixes = [digits[:n] for n in range(2, len(digits), 2)]
    match = notification_hs.c.hs_code.startswith(digits)
    if prefixes:
        match = or_(match, notification_hs.c.hs_code.in_(prefixes))
    return exists().where(notification_hs.c.notification_id == notifications.c.id, match)


def search_notifications(conn: Connection, *, member: str | None = None,
                         area: str | None = None, hs: str | None = None,
                         ics: str | None = None, text: str | None = None,
                         date_from: date | None = None, date_to: date | None = None,
                         open_on: date | None = None, page: int = 1,
                         per_page: int = 20) -> Page:
    """Notifications matching every filter given, newest distribution first.

    ``hs`` matches by prefix either way (``0901`` finds ``090121`` and a notification
    filed under chapter ``09``); ``open_on`` keeps those whose comment period is open then.
    """
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(N_("page must be at least 1 and per_page between 1 and %(max)s"),
                           max=MAX_PER_PAGE, field="page")
    if date_from and date_to and date_from > date_to:
        raise ConflictingInput(N_("the start date is after the end date"), field="date_from")
    conds: list[Any] = []
    if member:
        conds.append(notifications.c.member == member.strip().upper())
    if area:
        value = area.strip().upper()
        if value not in {"SPS", "TBT"}:
            raise InvalidInput(N_("area must be SPS or TBT, not %(area)r"), area=area,
                               field="area")
        conds.append(notifications.c.area == value)
    if hs:
        conds.append(_hs_match(_hs_digits(hs)))
    if ics:
        conds.append(exists().where(notification_ics.c.notification_id == notifications.c.id,
                                    notification_ics.c.ics_code.startswith(ics.strip())))
    if text and text.strip():
        for word in text.lower().split()[:8]:
            conds.append(or_(*(func.lower(c).contains(word, autoescape=True) for c in (
                notifications.c.title, notifications.c.description,
                notifications.c.products_text, notifications.c.keywords,
                notifications.c.symbol, notifications.c.objectives))))
    if date_from:
        conds.append(notifications.c.distribution_date >= date_from)
    if date_to:
        conds.append(notifications.c.distribution_date <= date_to)
    if open_on:
        conds.append(and_(notifications.c.distribution_date <= open_on,
                          notifications.c.comment_deadline >= open_on))
    where = and_(*conds) if conds else and_(True)
    total = conn.execute(select(func.count()).select_from(notifications).where(where)
                         ).scalar_one()
    rows = conn.execute(
        select(*_columns()).join(datasets, datasets.c.id == notifications.c.dataset_id)
        .where(where)
        .order_by(notifications.c.distribution_date.desc(), notifications.c.symbol)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(_load(conn, list(rows)), int(total), page, per_page)


def get_notification(conn: Connection, symbol: str) -> Notification | None:
    rows = conn.execute(select(*_columns()).join(
        datasets, datasets.c.id == notifications.c.dataset_id).where(
        notifications.c.symbol == symbol)).all()
    found = _load(conn, list(rows))
    return found[0] if found else None


@dataclass(frozen=True)
class ProductNotice:
    notification: Notification
    comment_open: bool
    days_left: int | None  # days until the comment deadline when open


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31,
            31, 30, 31, 30, 31][m - 1]
    return date(y, m, min(day.day, last))


_PRODUCT_QUERIES: dict[tuple[bool, bool], Any] = {}


def _product_query(with_prefixes: bool, bounded: bool) -> Any:
    """Notifications of some members in a period with a code that starts with the product's
    digits (an indexable range) or is one of its prefixes: one statement driven by the HS
    index, the notifications by primary key (built once per shape)."""
    key = (with_prefixes, bounded)
    found = _PRODUCT_QUERIES.get(key)
    if found is not None:
        return found
    col = notification_hs.c.hs_code
    match: Any = col >= bindparam("digits")
    if bounded:
        match = and_(match, col < bindparam("upper"))
    if with_prefixes:
        match = or_(match, col.in_(bindparam("prefixes", expanding=True)))
    found = _PRODUCT_QUERIES[key] = (
        select(*_columns()).join(datasets, datasets.c.id == notifications.c.dataset_id)
        .where(notifications.c.id.in_(select(notification_hs.c.notification_id).where(match)),
               notifications.c.member.in_(bindparam("members", expanding=True)),
               notifications.c.distribution_date >= bindparam("start"),
               notifications.c.distribution_date <= bindparam("day"))
        .order_by(notifications.c.distribution_date.desc(), notifications.c.symbol)
        .limit(bindparam("limit")))
    return found


def notifications_for_product(conn: Connection, *, hs_code: str, member: str | list[str],
                              as_of: date, months: int = 12,
                              limit: int = 50) -> list[ProductNotice]:
    """Notifications by ``member`` (one economy or several, e.g. FRA and EUN) on ``hs_code``
    distributed in the ``months`` before ``as_of`` (open comment periods first, then newest).

    Two statements: the notifications of the members in the period whose codes match (the
    code itself, its prefixes, its subdivisions: an indexed lookup of the HS codes, then the
    notifications by primary key), then their codes and economies."""
    if months < 1:
        raise InvalidInput(N_("months must be at least 1"))
    digits = _hs_digits(hs_code)
    members = [member] if isinstance(member, str) else list(member)
    members = [m.strip().upper() for m in members if m and m.strip()]
    if not members:
        return []
    start = _months_before(as_of, months)
    prefixes = [digits[:n] for n in range(2, len(digits), 2)]
    upper = None if set(digits) == {"9"} else str(int(digits) + 1).zfill(len(digits))
    rows = conn.execute(_product_query(bool(prefixes), upper is not None), {
        "digits": digits, "upper": upper, "prefixes": prefixes, "members": members,
        "start": start, "day": as_of, "limit": min(limit, MAX_PER_PAGE)}).all()
    out = [ProductNotice(n, n.open_on(as_of),
                         (n.comment_deadline - as_of).days
                         if n.open_on(as_of) and n.comment_deadline else None)
           for n in _load(conn, list(rows))]
    return sorted(out, key=lambda p: (not p.comment_open, -p.notification.distribution_date
                                      .toordinal(), p.notification.symbol))


def comment_deadlines(conn: Connection, *, hs: str | None = None, member: str | None = None,
                      since: date | None = None, limit: int = 500) -> list[Notification]:
    """Notifications with a comment deadline (on or after ``since``), for the calendar.

    ``hs`` and ``member`` may each list several values separated by commas (``0901,0902``,
    ``KEN,EUN``): a notification matches one of the products and one of the members."""
    conds: list[Any] = [notifications.c.comment_deadline.is_not(None)]
    if since:
        conds.append(notifications.c.comment_deadline >= since)
    members = [m.strip().upper() for m in (member or "").split(",") if m.strip()]
    if members:
        conds.append(notifications.c.member.in_(members))
    prefixes = [h.strip() for h in (hs or "").split(",") if h.strip()]
    if prefixes:
        conds.append(or_(*(_hs_match(_hs_digits(h)) for h in prefixes)))
    rows = conn.execute(select(*_columns()).join(
        datasets, datasets.c.id == notifications.c.dataset_id).where(and_(*conds))
        .order_by(notifications.c.comment_deadline, notifications.c.symbol).limit(limit)).all()
    return _load(conn, list(rows))

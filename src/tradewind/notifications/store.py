"""Turn raw notification records (from any importer or the SAMPLE) into rows, atomically.

Importers hand over :class:`RawNotification` values (strings as read, with their line/row);
:func:`build` validates them into :class:`NotificationIn` (raising ``ImportFailed`` naming
file, line and field); :func:`store` writes them with provenance and change events in the
caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from tradewind.agreements.economies import economy_code
from tradewind.changes.events import ChangeEvent, record
from tradewind.db.bulk import bulk_insert, reserve_ids
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.i18n import lazy_noop as N_
from tradewind.notifications.models import (
    notification_countries,
    notification_hs,
    notification_ics,
    notifications,
)
from tradewind.notifications.symbols import member_code, parse_symbol

EVENT_KIND = {"regular": "notification.new", "emergency": "notification.new",
              "addendum": "notification.addendum", "revision": "notification.revised",
              "corrigendum": "notification.corrigendum"}
_MONTHS = "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y"
# Infers HS codes from the products text: text → list of 6-digit codes (may be empty).
HsInferrer = Callable[[str], list[str]]


@dataclass
class RawNotification:
    """One record as read: field name → value (str, date, list…), with its position."""

    values: dict[str, Any]
    line: int


@dataclass(frozen=True)
class NotificationIn:
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
    description: str = ""
    products_text: str = ""
    objectives: str = ""
    keywords: str = ""
    language: str = "en"
    document_url: str = ""
    hs_codes: tuple[str, ...] = ()
    hs_inferred: bool = False
    ics_codes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    line: int = 0


def to_date(value: Any, *, file: str, line: int, field: str) -> date | None:
    """A date from a cell/JSON value: date, ISO text, DD/MM/YYYY, '12 March 2024'…"""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # the usual ISO date, without strptime
            return date.fromisoformat(text)
        except ValueError:
            pass
    if not text or text.lower() in {"n/a", "na", "-", "not stated", "none"}:
        return None
    text = text.split("T", 1)[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d-%b-%Y", "%d.%m.%Y", *_MONTHS):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ImportFailed(N_("bad date %(text)r (expected YYYY-MM-DD)"), file=file, line=line,
                       field=field, text=text)


def _list(value: Any) -> list[str]:
    """A list from a JSON list or a text with ; , or newline separators."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value:
            if isinstance(v, dict):
                v = v.get("Code") or v.get("code") or v.get("Name") or v.get("name") or ""
            out.extend(_list(v))
        return out
    return [p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip()]


_HS_DIGITS = re.compile(r"\d{2,10}")


def _hs(value: Any, *, file: str, line: int, field: str) -> list[str]:
    out: list[str] = []
    if isinstance(value, list) and all(isinstance(v, str) and _HS_DIGITS.fullmatch(v)
                                       and not len(v) % 2 for v in value):
        return list(dict.fromkeys(value))  # the usual case: a list of plain codes
    for item in _list(value):
        digits = re.sub(r"[.\s]", "", item.split(" ", 1)[0] if " " in item.strip() else item)
        if not re.fullmatch(r"\d{2,10}", digits) or len(digits) % 2:
            raise ImportFailed(N_("bad HS code %(item)r (expected 2–10 digits, e.g. 0901.21)"),
                               file=file, line=line, field=field, item=item)
        if digits not in out:
            out.append(digits)
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value if _text(v))
    return str(value).strip()


def _url(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        for v in value:
            url = _url(v)
            if url:
                return url
        return ""
    if isinstance(value, dict):
        return _text(value.get("Url") or value.get("URL") or value.get("url")
                     or value.get("Link") or value.get("href"))
    return _text(value)


def build(raw: Sequence[RawNotification], file: str) -> list[NotificationIn]:
    """Validate records; refuse empty input and duplicate symbols."""
    if not raw:
        raise ImportFailed(N_("no notifications in the file (empty)"), file=file)
    seen: dict[str, int] = {}
    out = []
    for rec in raw:
        v, line = rec.values, rec.line
        symbol_text = _text(v.get("symbol"))
        if not symbol_text:
            raise ImportFailed(N_("document symbol missing"), file=file, line=line,
                               field="DocumentSymbol")
        try:
            sym = parse_symbol(symbol_text)
        except InvalidInput as exc:
            raise ImportFailed(N_("%(reason)s"), file=file, line=line, field="DocumentSymbol",
                               reason=exc) from None
        symbol = str(sym)
        if symbol in seen:
            raise ImportFailed(N_("duplicate symbol %(symbol)s (first on line %(first_line)s)"),
                               file=file, line=line, field="DocumentSymbol", symbol=symbol, first_line=seen[symbol])
        seen[symbol] = line
        area = _text(v.get("area")).upper() or sym.area
        if area not in {"SPS", "TBT"} or area != sym.area:
            raise ImportFailed(N_("area %(area)r does not match symbol %(symbol)s "
                               "(expected SPS or TBT)"), file=file, line=line, field="Area", area=area, symbol=symbol)
        member = member_code(sym.member)
        if len(member) != 3:
            try:
                member = economy_code(_text(v.get("member")))
            except InvalidInput:
                raise ImportFailed(N_("unknown notifying member %(member)r"), file=file,
                                   line=line, field="NotifyingMember", member=v.get('member')) from None
        dates = {}
        for key, label in (("distribution_date", "DistributionDate"),
                           ("comment_deadline", "CommentDeadline"),
                           ("proposed_adoption", "ProposedAdoption"),
                           ("entry_into_force", "EntryIntoForce")):
            dates[key] = to_date(v.get(key), file=file, line=line, field=label)
        distributed = dates["distribution_date"]
        if distributed is None:
            raise ImportFailed(N_("distribution date missing"), file=file, line=line,
                               field="DistributionDate")
        title = _text(v.get("title"))
        if not title:
            raise ImportFailed(N_("title missing"), file=file, line=line, field="Title")
        kind = sym.kind
        if kind == "regular" and "emerg" in _text(v.get("type")).lower():
            kind = "emergency"
        countries = []
        for name in _list(v.get("countries")):
            if name.lower() in {"all trading partners", "all members", "all"}:
                continue
            try:
                code = economy_code(name)
            except InvalidInput:
                raise ImportFailed(N_("unknown economy %(name)r"), file=file, line=line,
                                   field="CountriesAffected", name=name) from None
            if code not in countries:
                countries.append(code)
        ics = []
        for code in _list(v.get("ics")):
            if not re.fullmatch(r"\d{2}(\.\d{3}(\.\d{2})?)?", code):
                raise ImportFailed(N_("bad ICS code %(code_text)r (expected e.g. 67.050)"), file=file,
                                   line=line, field="ICSCodes", code_text=code)
            if code not in ics:
                ics.append(code)
        out.append(NotificationIn(
            symbol=symbol, base_symbol=sym.base, area=area, member=member, kind=kind,
            title=title, description=_text(v.get("description")),
            products_text=_text(v.get("products")), objectives=_text(v.get("objectives")),
            keywords=_text(v.get("keywords")), language=(_text(v.get("language")) or "en")[:8],
            document_url=_url(v.get("links")),
            hs_codes=tuple(_hs(v.get("hs"), file=file, line=line, field="HSCodes")),
            ics_codes=tuple(ics), countries=tuple(countries), line=line,
            distribution_date=distributed, comment_deadline=dates["comment_deadline"],
            proposed_adoption=dates["proposed_adoption"],
            entry_into_force=dates["entry_into_force"]))
    return out


def infer_missing(items: Iterable[NotificationIn], infer: HsInferrer | None) -> list[NotificationIn]:
    """Fill HS codes from the products text where none were given (marked inferred)."""
    out = []
    for n in items:
        if not n.hs_codes and infer is not None and (n.products_text or n.title):
            codes = infer(n.products_text or n.title)
            if codes:
                n = NotificationIn(**{**n.__dict__, "hs_codes": tuple(codes),
                                      "hs_inferred": True})
        out.append(n)
    return out


def finder_inferrer(db: Any, limit: int = 3, min_score: float = 0.0) -> HsInferrer:
    """HS codes from the product finder: the best distinct headings' best subheadings."""
    from tradewind.finder import search_products

    def infer(text: str) -> list[str]:
        words = text[:200]
        try:
            result = search_products(db, words, limit=limit)
        except InvalidInput:
            return []
        return [c.code for c in result.candidates[:limit] if c.score > min_score]

    return infer


def existing_symbols(conn: Connection, symbols: Iterable[str]) -> set[str]:
    wanted = list(symbols)
    found: set[str] = set()
    for i in range(0, len(wanted), 5000):
        found |= set(conn.execute(select(notifications.c.symbol).where(
            notifications.c.symbol.in_(wanted[i:i + 5000]))).scalars())
    return found


def store(conn: Connection, items: Sequence[NotificationIn], dataset_id: int, *,
          file: str = "", events: bool = True) -> int:
    """Insert ``items`` (symbols must be new) and record one change event per product."""
    clash = existing_symbols(conn, [n.symbol for n in items])
    if clash:
        first = next(n for n in items if n.symbol in clash)
        raise ImportFailed(N_("symbol %(symbol)s is already in the database"), file=file,
                           line=first.line, field="DocumentSymbol", symbol=first.symbol)
    recorded: list[ChangeEvent] = []
    # Ids reserved first, then one multi-row INSERT per table (SQLite cannot batch
    # INSERT … RETURNING in parameter order).
    ids = reserve_ids(conn, notifications, len(items))
    if items:
        bulk_insert(conn, notifications, [
            {"id": nid, "dataset_id": dataset_id, "symbol": n.symbol,
             "base_symbol": n.base_symbol, "area": n.area, "member": n.member, "kind": n.kind,
             "distribution_date": n.distribution_date, "comment_deadline": n.comment_deadline,
             "proposed_adoption": n.proposed_adoption, "entry_into_force": n.entry_into_force,
             "title": n.title, "description": n.description, "products_text": n.products_text,
             "objectives": n.objectives, "keywords": n.keywords, "language": n.language,
             "document_url": n.document_url} for nid, n in zip(ids, items, strict=True)])
    hs_rows = [{"notification_id": nid, "hs_code": c, "inferred": n.hs_inferred}
               for nid, n in zip(ids, items, strict=True) for c in n.hs_codes]
    ics_rows = [{"notification_id": nid, "ics_code": c}
                for nid, n in zip(ids, items, strict=True) for c in n.ics_codes]
    country_rows = [{"notification_id": nid, "economy": c}
                    for nid, n in zip(ids, items, strict=True) for c in n.countries]
    for table, rows in ((notification_hs, hs_rows), (notification_ics, ics_rows),
                        (notification_countries, country_rows)):
        bulk_insert(conn, table, rows)
    for n in items:
        if events:
            title = f"{n.area} notification {n.symbol}: {n.title}"[:500]
            details = {"area": n.area, "comment_deadline":
                       n.comment_deadline.isoformat() if n.comment_deadline else None,
                       "hs_inferred": n.hs_inferred}
            for code in (n.hs_codes or (None,)):
                recorded.append(ChangeEvent(
                    EVENT_KIND[n.kind], title, market=n.member, hs_code=code,
                    effective_date=n.entry_into_force or n.proposed_adoption,
                    reference=n.symbol, details=details, dataset_id=dataset_id))
    if recorded:
        record(conn, recorded)
    return len(items)


@dataclass(frozen=True)
class NotificationImport:
    dataset_id: int
    notifications: int
    hs_inferred: int
    events: int = 0
    symbols: list[str] = field(default_factory=list)


FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "symbol": ("documentsymbol", "symbol", "docsymbol", "document", "notificationsymbol"),
    "area": ("area", "agreement", "notificationarea"),
    "member": ("notifyingmember", "member", "notifyingmembers", "notifyingmembername"),
    "type": ("notificationtype", "type", "doctype"),
    "distribution_date": ("distributiondate", "dateofdistribution", "date",
                          "documentdate"),
    "comment_deadline": ("commentdeadline", "finaldateforcomments", "commentsdeadline",
                         "deadlineforcomments"),
    "proposed_adoption": ("proposedadoption", "proposeddateofadoption", "dateofadoption",
                          "proposedadoptiondate"),
    "entry_into_force": ("entryintoforce", "proposeddateofentryintoforce",
                         "dateofentryintoforce", "entryintoforcedate"),
    "title": ("title", "titleofthetext", "documenttitle"),
    "description": ("description", "descriptionofcontent", "content"),
    "products": ("products", "productscovered", "productstext", "productdescription"),
    "hs": ("hscodes", "hs", "hscode", "hscodescovered"),
    "ics": ("icscodes", "ics", "icscode"),
    "objectives": ("objectives", "objective", "objectiveandrationale", "objectives/rationale"),
    "keywords": ("keywords", "keyword"),
    "countries": ("countriesaffected", "regionsorcountrieslikelytobeaffected",
                  "affectedcountries", "countries"),
    "links": ("links", "documenturl", "url", "link", "documentlinks"),
    "language": ("language", "languages", "documentlanguage"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}


def norm_key(text: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


_FIELD_CACHE: dict[str, str | None] = {}


def field_for(header: Any) -> str | None:
    if isinstance(header, str):
        found = _FIELD_CACHE.get(header, "")
        if found != "":
            return found
        name = _ALIAS_TO_FIELD.get(norm_key(header))
        if len(_FIELD_CACHE) < 10_000:
            _FIELD_CACHE[header] = name
        return name
    return _ALIAS_TO_FIELD.get(norm_key(header))


def run_import(db: Any, raw: Sequence[RawNotification], *, file: str, source: str,
               name: str, edition: str, licence: str, infer: HsInferrer | None,
               is_sample: bool = False, notes: str = "") -> NotificationImport:
    """Validate, infer missing HS codes, then write everything in one transaction."""
    from tradewind.datasets.queries import record_dataset, set_row_count

    items = infer_missing(build(raw, file), infer)
    with db.transaction() as conn:
        dataset_id = record_dataset(conn, kind="notifications", name=name, source=source,
                                    licence=licence, edition=edition, is_sample=is_sample,
                                    notes=notes)
        count = store(conn, items, dataset_id, file=file)
        set_row_count(conn, dataset_id, count)
    return NotificationImport(
        dataset_id=dataset_id, notifications=count,
        hs_inferred=sum(1 for n in items if n.hs_inferred),
        events=sum(max(1, len(n.hs_codes)) for n in items), symbols=[n.symbol for n in items])

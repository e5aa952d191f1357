"""Per-list feeds behind a secret token: Atom (RFC 4287) of the changes that matched the list,
and iCalendar (RFC 5545) of their upcoming dates (entry into force, comment deadlines, events).

Both read what the listener queued for the list (``watch_outbox``), so a feed shows exactly
the changes the list's e-mails and webhooks carry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import Connection, or_, select

from tradewind.changes.models import change_events
from tradewind.errors import NotFound
from tradewind.settings import Settings
from tradewind.watch import titles
from tradewind.watch.mailer import AlertLine, _line_text
from tradewind.watch.models import watch_lists, watch_outbox, watch_subscribers

FEED_LIMIT = 100
DATE_KINDS = {"notification.deadline": "Comment deadline", "content.event": "Event"}


@dataclass(frozen=True)
class FeedList:
    id: int
    name: str
    feed_token: str
    language: str = "en"  # the owner's: titles of content changes are given in it


def feed_list(conn: Connection, token: str) -> FeedList:
    row = conn.execute(select(watch_lists.c.id, watch_lists.c.name, watch_lists.c.feed_token,
                              watch_subscribers.c.language)
                       .join(watch_subscribers,
                             watch_subscribers.c.id == watch_lists.c.subscriber_id)
                       .where(watch_lists.c.feed_token == token.strip())).first()
    if row is None or not token.strip():
        raise NotFound("no watch-list feed with this token")
    return FeedList(int(row.id), str(row.name), str(row.feed_token), str(row.language))


def _events(conn: Connection, list_id: int, *, upcoming_from: date | None = None,
            limit: int = FEED_LIMIT) -> list[Any]:
    ids = (select(watch_outbox.c.event_id)
           .where(watch_outbox.c.watch_list_id == list_id, watch_outbox.c.purpose == "change")
           .distinct().scalar_subquery())
    query = select(change_events).where(change_events.c.id.in_(ids))
    if upcoming_from is not None:
        # Notifications too: their comment deadline (in the details) may be ahead.
        query = query.where(or_(change_events.c.effective_date >= upcoming_from,
                                change_events.c.kind.like("notification.%"))).order_by(
            change_events.c.effective_date, change_events.c.id)
    else:
        query = query.order_by(change_events.c.id.desc())
    return list(conn.execute(query.limit(limit)))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _text(row: Any, title: str | None = None) -> str:
    return _line_text(AlertLine(title or row.title, row.kind, row.market, row.hs_code,
                                row.effective_date, row.old_value, row.new_value))


def _titles(conn: Connection, rows: list[Any], language: str) -> dict[int, titles.Title]:
    """Content events' titles in ``language`` where translated (the original otherwise)."""
    content = [r for r in rows if str(r.kind).startswith("content.")]
    known = titles.translations(conn, {r.reference for r in content}) if content else {}
    return {r.id: titles.choose(r.title, r.reference, language, known) for r in content}


def atom(conn: Connection, settings: Settings, token: str) -> str:
    """The Atom document of list ``token``'s latest changes (newest first)."""
    wl = feed_list(conn, token)
    base = str(settings.public_url).rstrip("/")
    rows = _events(conn, wl.id)
    updated = max((_aware(r.occurred_at) for r in rows),
                  default=datetime(2000, 1, 1, tzinfo=UTC))
    self_url = f"{base}/watch/feeds/{wl.feed_token}.atom"
    feed_id = "urn:sha256:" + hashlib.sha256(f"tradewind-watch-{wl.id}".encode()).hexdigest()
    shown = _titles(conn, rows, wl.language)
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{escape(wl.language)}">',
             f"<title>{escape('Tradewind: ' + wl.name)}</title>",
             f"<id>{feed_id}</id>", f"<updated>{updated.isoformat()}</updated>",
             f'<link rel="self" href="{escape(self_url)}"/>',
             f'<link rel="alternate" href="{escape(base)}/watch"/>',
             "<author><name>Tradewind</name></author>"]
    for r in rows:
        title = shown.get(r.id)
        lang = (f' xml:lang="{escape(title.language)}"'
                if title is not None and title.language != wl.language else "")
        text = title.text if title is not None else str(r.title)
        parts += ["<entry>", f"<title{lang}>{escape(text)}</title>",
                  f"<id>{feed_id}:event:{r.id}</id>",
                  f"<updated>{_aware(r.occurred_at).isoformat()}</updated>",
                  f'<category term="{escape(str(r.kind))}"/>',
                  f"<summary{lang}>{escape(_text(r, text))}</summary>", "</entry>"]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _ics_escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF + space."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _deadline(row: Any) -> date | None:
    details = row.details if isinstance(row.details, dict) else {}
    text = details.get("comment_deadline") if row.kind.startswith("notification.") else None
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def icalendar(conn: Connection, settings: Settings, token: str,
              today: date | None = None) -> str:
    """The iCalendar document of list ``token``'s dates from ``today`` on (all-day events)."""
    wl = feed_list(conn, token)
    today = today or datetime.now(UTC).date()
    rows = _events(conn, wl.id, upcoming_from=today, limit=FEED_LIMIT * 5)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tradewind//Watch lists//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_ics_escape('Tradewind: ' + wl.name)}"]
    dates: list[tuple[date, str, str, Any]] = []
    for r in rows:
        if r.effective_date is not None and r.effective_date >= today:
            dates.append((r.effective_date, DATE_KINDS.get(r.kind, "Takes effect"), "", r))
        deadline = _deadline(r)
        if deadline is not None and deadline >= today and r.kind != "notification.deadline":
            dates.append((deadline, "Comment deadline", "-deadline", r))
    for day, label, suffix, r in sorted(dates, key=lambda d: (d[0], d[3].id, d[2])):
        lines += ["BEGIN:VEVENT",
                  f"UID:tradewind-event-{r.id}{suffix}-list-{wl.id}@tradewind",
                  f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_ics_escape(f'{label}: {r.title}')}",
                  f"DESCRIPTION:{_ics_escape(_text(r))}",
                  f"CATEGORIES:{_ics_escape(str(r.kind))}", "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)

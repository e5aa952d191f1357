"""iCalendar (RFC 5545) feed of Working Group events, written by hand: text escaping,
line folding at 75 octets and CRLF line ends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from tradewind.i18n import gettext as _
from tradewind.workinggroup.queries import Event


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode("utf-8")) > limit:
            parts.append(current)
            current = ch
            limit = 74  # continuation lines start with one space
        else:
            current += ch
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], host: str, base_url: str = "") -> str:
    """The VCALENDAR document for ``events``; ``host`` makes the UIDs globally unique."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tradewind//Working Group events//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:" + escape_text(_("WTO MSME Working Group – dialogue events"))]
    for e in events:
        end = e.end or (e.start + timedelta(hours=2))
        description = e.agenda
        if e.url:
            description = (description + "\n\n" + e.url).strip()
        lines += ["BEGIN:VEVENT", f"UID:{e.slug}@{host}", f"DTSTAMP:{_utc(e.updated_at)}",
                  f"DTSTART:{_utc(e.start)}", f"DTEND:{_utc(end)}",
                  "SUMMARY:" + escape_text(e.title),
                  "LOCATION:" + escape_text(_("Online") if e.online and not e.place else e.place)]
        if description:
            lines.append("DESCRIPTION:" + escape_text(description))
        if e.url:
            lines.append("URL:" + e.url)
        elif base_url:
            lines.append(f"URL:{base_url}/working-group/events#{e.slug}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""iCalendar (RFC 5545) feed of comment deadlines: one all-day event per notification,
in the same hand-written style as the Working Group feed (escaping, folding, CRLF)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from tradewind.notifications.queries import Notification
from tradewind.workinggroup.ical import escape_text, fold


def _uid(symbol: str, host: str) -> str:
    return "deadline-" + symbol.replace("/", "-").replace(".", "") + "@" + host


def deadlines_calendar(items: Iterable[Notification], host: str, base_url: str = "",
                       now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
             "PRODID:-//Tradewind//SPS-TBT comment deadlines//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH",
             "X-WR-CALNAME:" + escape_text("WTO SPS/TBT comment deadlines")]
    for n in items:
        if n.comment_deadline is None:
            continue
        day = n.comment_deadline
        summary = f"{'SAMPLE – ' if n.is_sample and 'SAMPLE' not in n.title else ''}" \
                  f"Comments due: {n.symbol} – {n.title}"
        description = (f"{n.area} notification by {n.member}, distributed "
                       f"{n.distribution_date.isoformat()}.")
        if n.hs_codes:
            description += " HS: " + ", ".join(n.hs_codes) + "."
        if n.is_sample:
            description += " SAMPLE data."
        lines += ["BEGIN:VEVENT", f"UID:{_uid(n.symbol, host)}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
                  "SUMMARY:" + escape_text(summary), "DESCRIPTION:" + escape_text(description)]
        if n.document_url:
            lines.append("URL:" + n.document_url)
        elif base_url:
            lines.append(f"URL:{base_url}/notifications?text={n.symbol}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

"""iCalendar (RFC 5545) feed of comment deadlines: one all-day event per notification,
in the same hand-written style as the Working Group feed (escaping, folding, CRLF)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from tradewind.i18n import current_language
from tradewind.i18n import gettext as _
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
             "X-WR-CALNAME:" + escape_text(_("WTO SPS/TBT comment deadlines"))]
    language = current_language.get()
    for n in items:
        if n.comment_deadline is None:
            continue
        day = n.comment_deadline
        summary = (("SAMPLE – " if n.is_sample and "SAMPLE" not in n.title else "")
                   + _("Comments due: %(symbol)s – %(title)s", symbol=n.symbol, title=n.title))
        description = _("%(area)s notification by %(member)s, distributed %(date)s.",
                        area=n.area, member=n.member, date=n.distribution_date.isoformat())
        if n.hs_codes:
            description += " " + _("HS: %(codes)s.", codes=", ".join(n.hs_codes))
        if n.is_sample:
            description += " " + _("SAMPLE data.")
        lines += ["BEGIN:VEVENT", f"UID:{_uid(n.symbol, host)}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY;LANGUAGE={language}:" + escape_text(summary),
                  f"DESCRIPTION;LANGUAGE={language}:" + escape_text(description)]
        if n.document_url:
            lines.append("URL:" + n.document_url)
        elif base_url:
            lines.append(f"URL:{base_url}/notifications?text={n.symbol}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)

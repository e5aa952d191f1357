"""iCalendar output: RFC 5545 escaping, folding at 75 octets, CRLF."""

from datetime import UTC, datetime

from tradewind.workinggroup.ical import calendar, escape_text, fold
from tradewind.workinggroup.queries import Event


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_fold_keeps_octets_and_characters() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_calendar_document() -> None:
    event = Event("e1", "Dialogue; small, firms", datetime(2024, 5, 1, 12, tzinfo=UTC), None,
                  "Geneva", False, "Line one\nLine two", "https://example.org/e",
                  datetime(2024, 1, 1, tzinfo=UTC))
    text = calendar([event], "example.org")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "UID:e1@example.org\r\n" in text
    assert "DTSTART:20240501T120000Z\r\n" in text and "DTEND:20240501T140000Z\r\n" in text
    assert "SUMMARY:Dialogue\\; small\\, firms\r\n" in text
    assert "DESCRIPTION:Line one\\nLine two" in text

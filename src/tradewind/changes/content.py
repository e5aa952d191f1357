"""Change events for content (guides, library, glossary, Working Group events).

Editor saves and content-file imports both go through the ``save_*`` functions of the
content features, which call :func:`record_content_change` with the stored values before and
after: an event is recorded only when something a reader sees was added or changed, so a
``content load --replace`` of unchanged files records nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from tradewind.changes.events import ChangeEvent, record

# Content section (what a user watches) → change kind.
SECTIONS: dict[str, str] = {"guides": "content.guide", "library": "content.library",
                            "glossary": "content.glossary", "events": "content.event"}
_IGNORED = frozenset({"updated_at", "updated_by", "translated", "id"})


def _visible(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in _IGNORED}


def record_content_change(conn: Connection, section: str, key: str, title: str,
                          before: dict[str, Any] | None, after: dict[str, Any] | None, *,
                          effective_date: date | None = None) -> bool:
    """Record ``content.*`` for a new or changed entry (in ``conn``'s transaction); False
    when nothing visible changed."""
    old, new = _visible(before), _visible(after)
    if new is None or old == new:
        return False
    action = "new" if old is None else "updated"
    record(conn, [ChangeEvent(
        SECTIONS[section], title[:500], effective_date=effective_date,
        reference=f"{section}/{key}"[:200], details={"section": section, "action": action,
                                                     "key": key},
        old_value=None, new_value=action)])
    return True

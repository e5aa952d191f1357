"""Agreement types and statuses as shown to people, in the interface language.

Importers store these English words (``free trade area``, ``in force``…); pages translate the
known ones at display time and show anything else as stored.
"""

from __future__ import annotations

from tradewind.i18n import gettext
from tradewind.i18n import lazy_noop as N_

KNOWN_WORDS: frozenset[str] = frozenset({
    N_("free trade agreement"), N_("free trade area"), N_("customs union"),
    N_("partial scope agreement"), N_("economic integration agreement"),
    N_("economic partnership agreement"), N_("preferential trade agreement"),
    N_("unilateral preference"), N_("in force"), N_("inactive"), N_("signed"),
    N_("under negotiation"),
})


def agreement_word(value: str | None) -> str:
    """Translate a stored type or status (``"customs union & economic integration agreement"`` too)."""
    if not value:
        return ""
    return " & ".join(gettext(part) if part in KNOWN_WORDS else part
                      for part in value.split(" & "))

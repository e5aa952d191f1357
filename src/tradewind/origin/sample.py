"""A clearly labelled SAMPLE of product-specific rules of origin for the SAMPLE agreements
(``sample:*`` codes, created with the SAMPLE tariffs), so the origin check has a rule to use
when the user picks an agreement and a product.

The rules are written in the checkable notation and are typical of each agreement's style
(change of chapter for agricultural goods, change of heading or a maximum of
non-originating materials for manufactures, regional value content for the Asian and
Latin-American agreements), but they are NOT the legal text: every row belongs to a dataset
marked SAMPLE, and pages and JSON say so.  A real table imported with ``tradewind import
origin-rules-csv`` replaces an agreement's SAMPLE rules.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from tradewind.agreements.models import agreements, product_specific_rules
from tradewind.bootstrap import Report
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.settings import Settings

SAMPLE_NAME = "SAMPLE product-specific rules of origin"

_EPA = {"01": "WO", "03": "WO", "07": "WO", "08": "WO", "09": "CC", "0901": "CTH",
        "0902": "CTH", "16": "CC", "17": "CC", "18": "CTH", "20": "CTH", "22": "CTH",
        "39": "CTH or MaxNOM 50%", "44": "CTH", "61": "CTH", "62": "CTH", "64": "CTH",
        "84": "CTH or MaxNOM 50%", "85": "CTH or MaxNOM 50%", "94": "CTH or MaxNOM 50%"}
_FTA = {**_EPA, "61": "CTH", "84": "CTH or MaxNOM 50%", "87": "MaxNOM 45%",
        "8703": "MaxNOM 45%"}
_RVC35 = {"09": "CC", "0901": "CTSH and RVC 35% build-up", "61": "CC",
          "84": "CTSH and RVC 35% build-up", "85": "CTSH and RVC 35% build-up",
          "94": "CTSH and RVC 35% build-up"}
RULES: dict[str, dict[str, str]] = {
    "eu-ken": _EPA, "uk-ken": _EPA, "eu-uk": _FTA, "eu-jpn": _FTA, "uk-jpn": _FTA,
    "eu-gsp": {**_EPA, "61": "CTH and MaxNOM 70%"},
    "eu-eba": {**_EPA, "61": "CTH", "84": "MaxNOM 70%", "85": "MaxNOM 70%"},
    "uk-dcts": {**_EPA, "61": "CTH and MaxNOM 70%"},
    "uk-dcts-ldc": {**_EPA, "84": "MaxNOM 75%", "85": "MaxNOM 75%"},
    "jp-in": _RVC35, "jp-gsp-ldc": {"09": "CC", "61": "CC", "84": "MaxNOM 60%"},
    "in-dftp": {"09": "CTSH and RVC 30%", "61": "CTSH and RVC 30%",
                "84": "CTSH and RVC 30%"},
    "usmca": {"09": "CC", "61": "CC", "84": "CTH or RVC 60%", "87": "RVC 75%"},
    "agoa": {"09": "RVC 35%", "61": "CC", "84": "RVC 35%"},
    "eac": {"09": "CTH", "61": "CTH", "84": "CTH or MaxNOM 60%"},
    "mercosur": {"09": "CTH or RVC 60%", "61": "CTH or RVC 60%", "84": "CTH or RVC 60%"},
    "in-mercosur": {"09": "CTH and RVC 30%", "84": "CTH and RVC 30%"},
}


def load_sample_rules(conn: Connection) -> int:
    """Write the SAMPLE rules for SAMPLE agreements that have no rules yet (idempotent)."""
    if conn.execute(select(datasets.c.id).where(
            datasets.c.name == SAMPLE_NAME, datasets.c.is_sample.is_(True))).first():
        return 0
    ids = {r.code.removeprefix("sample:"): r.id for r in conn.execute(
        select(agreements.c.id, agreements.c.code).where(agreements.c.code.like("sample:%")))}
    with_rules = set(conn.execute(select(product_specific_rules.c.agreement_id).distinct())
                     .scalars())
    wanted = [(ids[key], code, rule) for key, rules in RULES.items()
              if key in ids and ids[key] not in with_rules for code, rule in rules.items()]
    if not wanted:
        return 0
    ds = record_dataset(conn, kind="origin-rules", name=SAMPLE_NAME,
                        source="Tradewind SAMPLE: typical rules, NOT the legal text",
                        licence="CC0-1.0", edition="SAMPLE", is_sample=True,
                        notes="Generated at init for the SAMPLE agreements; import the real "
                              "tables with `tradewind import origin-rules-csv`.")
    conn.execute(insert(product_specific_rules), [
        {"agreement_id": a, "hs_code": code, "rule_text": rule, "dataset_id": ds,
         "legal_text": "", "legal_reference": "", "notes": "SAMPLE rule, not legal advice."}
        for a, code, rule in wanted])
    set_row_count(conn, ds, len(wanted))
    return len(wanted)


def init_sample_origin_rules(db: Database, settings: Settings, report: Report) -> None:
    """Init step: SAMPLE product-specific rules when samples are on."""
    if not settings.load_samples:
        return
    with db.transaction() as conn:
        if not conn.execute(select(func.count()).select_from(agreements)).scalar_one():
            return
        written = load_sample_rules(conn)
    if written:
        report(f"  {written} SAMPLE product-specific rules of origin loaded (labelled SAMPLE)")

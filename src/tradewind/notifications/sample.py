"""A small, deterministic SAMPLE of SPS/TBT notifications for the demo members.

Invented for the demo (labelled SAMPLE everywhere; no WTO text is reproduced).  Loaded by
``tradewind init`` when samples are on and no notifications are loaded yet.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from tradewind.bootstrap import Report
from tradewind.db import Database
from tradewind.notifications.models import notifications
from tradewind.notifications.store import NotificationImport, RawNotification, run_import
from tradewind.settings import Settings

ANCHOR = date(2026, 11, 2)
# (symbol, days after ANCHOR distributed, comment days, title, products, HS, ICS, objectives)
_ROWS: tuple[tuple[str, int, int | None, str, str, str, str, str], ...] = (
    ("G/SPS/N/EU/9001", -150, 60, "SAMPLE – maximum residue levels for certain pesticides",
     "Coffee, tea and spices", "0901;0902;0904", "", "Food safety"),
    ("G/SPS/N/EU/9001/Add.1", -20, None, "SAMPLE – adoption of the residue levels",
     "Coffee, tea and spices", "0901;0902;0904", "", "Food safety"),
    ("G/TBT/N/EU/9002", 10, 60, "SAMPLE – labelling of cut flowers and plants",
     "Cut flowers and buds", "0603", "65.020", "Consumer information"),
    ("G/SPS/N/USA/9003", -60, 60, "SAMPLE – import requirements for fresh avocados",
     "Fresh avocados", "080440", "", "Plant protection"),
    ("G/TBT/N/USA/9004", 5, 60, "SAMPLE – energy efficiency of small electric motors",
     "Electric motors", "8501", "29.160", "Protection of the environment"),
    ("G/SPS/N/GBR/9005", -5, 60, "SAMPLE – plant health controls on cut roses",
     "Roses, cut flowers", "060311", "", "Plant protection"),
    ("G/TBT/N/GBR/9006", -200, 60, "SAMPLE – marking of toys",
     "Toys", "9503", "97.200", "Consumer safety"),
    ("G/SPS/N/KEN/9007", -30, 60, "SAMPLE – aflatoxin limits in maize and groundnuts",
     "Maize, groundnuts", "1005;1202", "67.060", "Food safety"),
    ("G/SPS/N/KEN/9007/Rev.1", 15, 60, "SAMPLE – revised aflatoxin limits",
     "Maize, groundnuts", "1005;1202", "67.060", "Food safety"),
    ("G/TBT/N/IND/9008", -90, 60, "SAMPLE – quality control order for cotton textiles",
     "Woven fabrics of cotton", "5208", "59.080", "Quality requirements"),
    ("G/SPS/N/IND/9009", -10, 45, "SAMPLE – phytosanitary requirements for apples",
     "Fresh apples", "080810", "", "Plant protection"),
    ("G/TBT/N/BRA/9010", -40, 60, "SAMPLE – labelling of packaged coffee",
     "Roasted coffee", "090121", "67.140", "Consumer information"),
    ("G/TBT/N/BRA/9010/Corr.1", -35, None, "SAMPLE – correction to the coffee labelling",
     "Roasted coffee", "090121", "67.140", "Consumer information"),
    ("G/SPS/N/JPN/9011", 0, 60, "SAMPLE – residue standards for tea",
     "Green tea", "0902", "", "Food safety"),
    ("G/TBT/N/JPN/9012", -120, 60, "SAMPLE – safety of lithium-ion batteries",
     "Lithium-ion accumulators", "850760", "29.220", "Consumer safety"),
)


def sample_records() -> list[RawNotification]:
    out = []
    for i, (symbol, offset, comment, title, products, hs, ics, objectives) in enumerate(_ROWS):
        distributed = ANCHOR + timedelta(days=offset)
        values: dict[str, Any] = {
            "symbol": symbol, "distribution_date": distributed, "title": title,
            "description": f"SAMPLE notification invented for the demo: {title[9:]}.",
            "products": products, "hs": hs, "ics": ics, "objectives": objectives,
            "keywords": "SAMPLE", "language": "en",
            "comment_deadline": distributed + timedelta(days=comment) if comment else None,
            "proposed_adoption": distributed + timedelta(days=120),
            "entry_into_force": distributed + timedelta(days=180),
        }
        out.append(RawNotification(values, i + 1))
    return out


def load_sample(db: Database) -> NotificationImport | None:
    with db.connect() as conn:
        if conn.execute(select(func.count()).select_from(notifications)).scalar_one():
            return None
    return run_import(db, sample_records(), file="SAMPLE", source="tradewind-sample",
                      name="SAMPLE SPS/TBT notifications", edition="SAMPLE",
                      licence="Generated sample (CC0)", infer=None, is_sample=True,
                      notes="Invented notifications for the demo; import real ones with "
                            "`tradewind import notifications FILE`.")


def init_sample_notifications(db: Database, settings: Settings, report: Report) -> None:
    """Init step: load the SAMPLE when samples are on and no notifications are loaded."""
    if not settings.load_samples:
        return
    result = load_sample(db)
    if result:
        report(f"  {result.notifications} SAMPLE SPS/TBT notifications loaded (labelled SAMPLE)")

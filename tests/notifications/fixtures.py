"""Crafted notification fixtures (no real WTO data), as JSON records and as an .xlsx export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from tradewind.changes.models import change_events
from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.notifications import models as m

RECORDS: list[dict[str, Any]] = [
    {"DocumentSymbol": "G/SPS/N/EU/712", "Area": "SPS", "NotifyingMember": "European Union",
     "DistributionDate": "2026-03-01", "CommentDeadline": "2026-04-30",
     "ProposedAdoption": "2026-06-01", "EntryIntoForce": "2026-09-01",
     "Title": "Maximum residue levels for a fungicide", "Description": "Lowers MRLs.",
     "Products": "Coffee beans, tea", "HSCodes": ["0901.21", "0902"],
     "ICSCodes": ["67.140"], "Objectives": "Food safety", "Keywords": "pesticide; MRL",
     "CountriesAffected": "All trading partners", "Links": [{"Url": "https://example.org/712"}],
     "Language": "en"},
    {"DocumentSymbol": "G/SPS/N/EU/712/Add.1", "Area": "SPS",
     "NotifyingMember": "European Union", "DistributionDate": "2026-07-15",
     "Title": "Adoption of the MRLs", "HSCodes": "0901.21", "Products": "Coffee"},
    {"DocumentSymbol": "G/TBT/N/USA/1964", "Area": "TBT",
     "NotifyingMember": "United States of America", "DistributionDate": "15/05/2026",
     "CommentDeadline": "14 July 2026", "Title": "Energy labelling of motors",
     "Products": "Electric motors", "HSCodes": "8501", "ICSCodes": "29.160",
     "CountriesAffected": ["Kenya", "Brazil"]},
    {"DocumentSymbol": "G/TBT/N/KEN/123", "Area": "TBT", "NotifyingMember": "Kenya",
     "DistributionDate": "2026-05-20", "CommentDeadline": "2026-07-19",
     "Title": "Standard for roasted coffee", "Products": "roasted coffee beans",
     "HSCodes": []},
]


def write_json(path: Path, records: list[dict[str, Any]] | None = None,
               wrapper: str | None = None) -> Path:
    data: Any = RECORDS if records is None else records
    if wrapper:
        data = {wrapper: data, "total": len(data)}
    path.write_text(json.dumps(data, indent=2), "utf-8")
    return path


XLSX_HEADER = ["Document symbol", "Notifying Member", "Area", "Distribution date",
               "Final date for comments", "Title", "Products covered", "HS codes", "ICS codes",
               "Objectives", "Keywords", "Countries affected", "Document URL", "Language"]


def write_xlsx(path: Path, rows: list[list[Any]] | None = None,
               header: list[str] | None = None, banner: bool = True) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if banner:
        sheet.append(["WTO ePing export"])
        sheet.append([])
    sheet.append(header or XLSX_HEADER)
    for row in rows if rows is not None else [
        ["G/SPS/N/EU/712", "European Union", "SPS", date(2026, 3, 1), date(2026, 4, 30),
         "Maximum residue levels", "Coffee", "0901.21; 0902", "67.140", "Food safety", "",
         "", "https://example.org/712", "en"],
        ["G/TBT/N/BRA/1500/Corr.1", "Brazil", "TBT", "2026-04-02", None, "Correction",
         "Cut flowers", "0603", "", "", "", "", "", "pt"],
        ["G/TBT/N/JPN/77", "Japan", "TBT", date(2026, 5, 1), date(2026, 6, 30),
         "Batteries safety", "lithium-ion batteries", None, "", "", "", "", "", "en"],
    ]:
        sheet.append(row)
    book.save(path)
    return path


def fake_infer(text: str) -> list[str]:
    """Stands in for the product finder on an empty database."""
    text = text.lower()
    if "coffee" in text:
        return ["090121"]
    if "batter" in text:
        return ["850760"]
    return []


def counts(db: Database) -> dict[str, int]:
    tables = [datasets, change_events, m.notifications, m.notification_hs, m.notification_ics,
              m.notification_countries]
    with db.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables}

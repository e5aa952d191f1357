"""CEPII GeoDist ``dist_cepii.csv``: bilateral distances, contiguity, languages, colonial ties.

``distance_km`` is the population-weighted distance ``distw`` (what gravity models use),
falling back to ``dist`` (between the main cities) where GeoDist leaves distw as ``.``.
GeoDist's old codes are reconciled to ISO 3166 (ROM→ROU, ZAR→COD, TMP→TLS, PAL→PSE,
YUG→SRB…); codes that match nothing are reported, and when two source codes end up as the
same ISO pair the first is kept and the clash reported.  Importing replaces every pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, update

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.csvread import Progress, parse_float, read_rows
from tradewind.flows.economies import from_alpha3
from tradewind.flows.models import country_pairs
from tradewind.i18n import lazy_noop as N_

COLUMNS = ["iso_o", "iso_d", "contig", "comlang_off", "comlang_ethno", "colony", "comcol",
           "dist", "distw"]
# GeoDist's own codes.  Careful: in GeoDist "COD" is the Republic of the Congo
# (Brazzaville, a former French colony; ISO COG) and "ZAR" is the DR Congo (ISO COD).
GEODIST_CODES = {"COD": "COG", "ZAR": "COD", "ROM": "ROU", "TMP": "TLS", "PAL": "PSE",
                 "YUG": "SRB"}
FLAGS = {"contig": "contiguous", "comlang_off": "common_official_language",
         "comlang_ethno": "common_language", "colony": "colonial_link",
         "comcol": "common_colonizer"}


@dataclass
class GeoDistImportResult:
    dataset_id: int
    pairs: int
    economies: int
    distw_missing: int
    unmatched: dict[str, int] = field(default_factory=dict)  # source code → rows dropped
    clashes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"dataset_id": self.dataset_id, "pairs": self.pairs,
                "economies": self.economies, "distw_missing": self.distw_missing,
                "unmatched": self.unmatched, "clashes": self.clashes}

    def notes(self) -> str:
        text = (f"{self.pairs} pairs of {self.economies} economies; distance_km = distw "
                f"(population-weighted), dist where distw is missing ({self.distw_missing} "
                "pairs).")
        if self.unmatched:
            text += " Codes not matched to ISO 3166 (rows dropped): " + ", ".join(
                f"{c} ({n} rows)" for c, n in sorted(self.unmatched.items())) + "."
        if self.clashes:
            text += " Pairs given twice after reconciliation (first kept): " + \
                ", ".join(self.clashes[:20]) + "."
        return text


def _flag(row: dict[str, str], column: str, path: Path, line: int) -> bool:
    value = row[column].strip()
    if value not in ("0", "1"):
        raise ImportFailed(N_("%(value)r is not 0 or 1"), file=str(path), line=line, field=column, value=value)
    return value == "1"


def import_geodist(db: Database, path: Path, *, is_sample: bool = False,
                   progress: Progress | None = None) -> GeoDistImportResult:
    path = Path(path)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    raw_seen: dict[tuple[str, str], int] = {}
    unmatched: dict[str, int] = {}
    clashes: list[str] = []
    distw_missing = 0
    for line, row in read_rows(path, COLUMNS, progress=progress):
        raw = (row["iso_o"].strip().upper(), row["iso_d"].strip().upper())
        if raw in raw_seen:
            raise ImportFailed(N_("duplicate pair %(raw)s-%(raw2)s (first on line "
                               "%(first_line)s)"), file=str(path), line=line, field="iso_d", raw=raw[0], raw2=raw[1], first_line=raw_seen[raw])
        raw_seen[raw] = line
        flags = {target: _flag(row, column, path, line) for column, target in FLAGS.items()}
        dist = parse_float(row["dist"], path=path, line=line, field="dist")
        distw = parse_float(row["distw"], path=path, line=line, field="distw", allow_blank=True)
        if distw is None:
            distw_missing += 1
        distance = distw if distw is not None else dist
        if distance is None or distance < 0:
            raise ImportFailed(N_("distance is negative"), file=str(path), line=line, field="dist")
        origin, destination = (from_alpha3(GEODIST_CODES.get(c, c)) for c in raw)
        if origin is None or destination is None:
            for code, iso in zip(raw, (origin, destination), strict=True):
                if iso is None:
                    unmatched[code] = unmatched.get(code, 0) + 1
            continue
        key = (origin, destination)
        if key in rows:
            clashes.append(f"{raw[0]}-{raw[1]}→{origin}-{destination}")
            continue
        rows[key] = {"origin": origin, "destination": destination, "distance_km": distance,
                     **flags}
    if not rows:
        raise ImportFailed(N_("no pairs found in the file"), file=str(path), line=2)
    with db.transaction() as conn:
        dataset_id = record_dataset(
            conn, kind="geography", name=f"CEPII GeoDist ({path.name})",
            source=f"CEPII GeoDist, file {path.name} (Mayer & Zignago 2011)",
            licence="CEPII terms (Etalab Open Licence 2.0)", edition="GeoDist",
            is_sample=is_sample)
        conn.execute(delete(country_pairs))
        values = list(rows.values())
        for start in range(0, len(values), 5000):
            conn.execute(insert(country_pairs),
                         [{**r, "dataset_id": dataset_id} for r in values[start:start + 5000]])
        result = GeoDistImportResult(
            dataset_id=dataset_id, pairs=len(values),
            economies=len({k[0] for k in rows} | {k[1] for k in rows}),
            distw_missing=distw_missing, unmatched=unmatched, clashes=clashes)
        conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(
            row_count=result.pairs, notes=result.notes()))
    return result

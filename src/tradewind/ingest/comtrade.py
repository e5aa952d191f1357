"""UN Comtrade CSV (bulk files and API exports of the v1 "get" endpoint, comtradeplus).

Columns as Comtrade publishes them: ``typeCode, freqCode, refPeriodId, refYear, refMonth,
period, reporterCode, reporterISO, reporterDesc, flowCode, flowDesc, partnerCode,
partnerISO, partnerDesc, partner2Code, …, classificationCode, …, cmdCode, cmdDesc, aggrLevel,
isLeaf, customsCode, customsDesc, mosCode, motCode, motDesc, qtyUnitCode, qtyUnitAbbr, qty,
…, netWgt, …, cifvalue, fobvalue, primaryValue, legacyEstimationFlag, isReported,
isAggregate``.  Only refYear/period, reporterCode, flowCode, partnerCode, cmdCode and
primaryValue are required.

What is kept (documented in docs/data-import.md):
* annual data only (``freqCode`` A; monthly files are refused rather than summed silently);
* one flow direction: by default IMPORTS (``flowCode`` M, valued CIF by the importer, the
  usual choice for mirror statistics) stored as importer = reporter, exporter = partner;
  ``flow="X"`` keeps exports instead (exporter = reporter).  Re-imports/re-exports skipped;
* totals only: partner ``0`` (World), second partners other than 0, customs procedures
  other than C00 and transport modes other than 0 are skipped and counted;
* six-digit commodity codes only; ``classificationCode`` H0…H6 gives the HS edition
  (H6 = HS 2022), mapped to HS 2022 with the same split rule as BACI;
* value = ``primaryValue`` (USD), quantity = ``netWgt`` (kg).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlalchemy import update

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.flows.csvread import parse_float, read_rows
from tradewind.flows.economies import economy_id, from_un_numeric
from tradewind.flows.hsmap import HsMapper, build_mapper
from tradewind.flows.load import (
    MISSING_QUANTITY,
    FlowChunk,
    FlowLoader,
    import_transaction,
)
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest.baci import FlowImportResult, UnmatchedCountry, record_notes

REQUIRED = ["reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue"]
CLASSIFICATIONS = {"H0": "HS1992", "H1": "HS1996", "H2": "HS2002", "H3": "HS2007",
                   "H4": "HS2012", "H5": "HS2017", "H6": "HS2022"}
BATCH = 200_000


def _year(row: dict[str, str], path: Path, line: int) -> int:
    for column in ("refYear", "period", "refPeriodId"):
        text = row.get(column, "").strip()
        if text:
            digits = text[:4]
            if digits.isdigit() and 1900 <= int(digits) <= 2100:
                return int(digits)
            raise ImportFailed(N_("%(text)r is not a year"), file=str(path), line=line,
                               field=column, text=text)
    raise ImportFailed(N_("no year (refYear or period)"), file=str(path), line=line,
                       field="refYear")


def _key(year: int, reporter: int, partner: int, cmd: int) -> int:
    return (((year - 1900) * 1000 + reporter) * 1000 + partner) * 1_000_000 + cmd


def _check_duplicates(path: Path, keys: array[int]) -> None:
    """Refuse a file that gives one (year, reporter, partner, commodity) twice, naming both
    lines (found by re-reading the file, on this error path only)."""
    if not keys:
        return
    ordered = np.sort(np.frombuffer(keys, dtype=np.int64))
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if not same.size:
        return
    wanted = int(ordered[same[0]])
    lines = []
    for line, row in read_rows(path, REQUIRED):
        try:
            key = _key(int(row.get("refYear", "") or row.get("period", "")[:4]),
                       int(row["reporterCode"]), int(row["partnerCode"]), int(row["cmdCode"]))
        except ValueError:
            continue
        if key == wanted:
            lines.append(line)
    raise ImportFailed(N_("duplicate row: same year, reporter, partner and commodity on lines "
                       "%(lines)s"), file=str(path),
                       line=lines[-1] if lines else None, field="cmdCode", lines=", ".join(map(str, lines)))


def import_comtrade(db: Database, path: Path, *, flow: str = "M", edition: str | None = None,
                    is_sample: bool = False, progress: Callable[[int], None] | None = None
                    ) -> FlowImportResult:
    """Import one Comtrade CSV atomically; returns what was loaded and what did not match."""
    path = Path(path)
    flow = flow.strip().upper()
    if flow not in ("M", "X"):
        raise ImportFailed(N_("flow must be M (imports) or X (exports), not %(flow)r"), flow=flow)
    loader: FlowLoader | None = None
    with import_transaction(db) as conn:
        try:
            dataset_id = record_dataset(
                conn, kind="flows", name=f"UN Comtrade ({path.name})",
                source=f"UN Comtrade, file {path.name}; "
                       f"{'imports as reported by importers' if flow == 'M' else 'exports as reported by exporters'}",
                licence="UN Comtrade terms of use", edition="HS (see notes)",
                is_sample=is_sample)
            mappers: dict[str, HsMapper] = {}
            loader = FlowLoader(conn, dataset_id=dataset_id, is_sample=is_sample,
                                source_edition="HS2022")
            unmatched: dict[str, UnmatchedCountry] = {}
            skipped: dict[str, int] = {}
            keys = array("q")  # 8 bytes a row: duplicates are found at the end, by sorting
            batches: dict[str, list[list[int]]] = {}
            rows_read = 0
            editions: set[str] = set()

            def flush(ed: str) -> None:
                cols = batches.pop(ed, None)
                if not cols or not cols[0]:
                    return
                t, imp, exp, k, v, q = (np.asarray(c, dtype=np.int64) for c in cols)
                hs, v, q, (t, imp, exp) = mappers[ed].map(k, v, q, t, imp, exp)
                assert loader is not None
                loader.add(FlowChunk(year=t, hs6=hs, importer=imp, exporter=exp,
                                     value_usd=v, quantity=q))

            for line, row in read_rows(path, REQUIRED, progress=progress):
                rows_read += 1
                freq = row.get("freqCode", "A").strip().upper() or "A"
                if freq != "A":
                    raise ImportFailed(N_("monthly data (freqCode M): download annual data, "
                                       "Tradewind stores yearly flows"), file=str(path),
                                       line=line, field="freqCode")
                code = row["flowCode"].strip().upper()
                if code != flow:
                    skipped[f"flowCode {code}"] = skipped.get(f"flowCode {code}", 0) + 1
                    continue
                reasons = [name for name, ok in (
                    ("partner World (0)", row["partnerCode"].strip() not in ("0", "")),
                    ("partner2Code not 0", row.get("partner2Code", "0").strip() in ("0", "")),
                    ("customsCode not C00", row.get("customsCode", "C00").strip().upper()
                     in ("C00", "")),
                    ("motCode not 0", row.get("motCode", "0").strip() in ("0", "")),
                ) if not ok]
                cmd = row["cmdCode"].strip()
                if not reasons and not (cmd.isdigit() and len(cmd) == 6):
                    reasons = ["cmdCode not six digits"]
                if reasons:
                    skipped[reasons[0]] = skipped.get(reasons[0], 0) + 1
                    continue
                year = _year(row, path, line)
                classification = row.get("classificationCode", "").strip().upper()
                ed = edition or CLASSIFICATIONS.get(classification)
                if ed is None:
                    raise ImportFailed(N_("unknown classificationCode %(classification)r "
                                       "(expected H0…H6); pass the HS edition explicitly"),
                                       file=str(path), line=line, field="classificationCode", classification=classification)
                if ed not in mappers:
                    mappers[ed] = build_mapper(conn, ed)
                ed = mappers[ed].edition
                editions.add(ed)
                codes = []
                for side in ("reporter", "partner"):
                    raw = row[f"{side}Code"].strip()
                    if not raw.isdigit():
                        raise ImportFailed(N_("%(raw)r is not a numeric country code"),
                                           file=str(path), line=line, field=f"{side}Code", raw=raw)
                    iso3 = from_un_numeric(int(raw), row.get(f"{side}ISO", "").strip())
                    codes.append(iso3)
                    if iso3 is None:
                        entry = unmatched.setdefault(raw, UnmatchedCountry(
                            raw, row.get(f"{side}Desc", "").strip() or "unknown code"))
                        entry.rows += 1
                value = parse_float(row["primaryValue"], path=path, line=line,
                                    field="primaryValue")
                assert value is not None
                if value < 0:
                    raise ImportFailed(N_("negative value %(primaryvalue)r"),
                                       file=str(path), line=line, field="primaryValue", primaryvalue=row['primaryValue'])
                if None in codes:
                    for raw_code in (row["reporterCode"].strip(), row["partnerCode"].strip()):
                        if raw_code in unmatched:
                            unmatched[raw_code].value_usd += round(value)
                    continue
                weight = parse_float(row.get("netWgt", ""), path=path, line=line,
                                     field="netWgt", allow_blank=True)
                reporter, partner = (economy_id(c) for c in codes if c is not None)
                importer, exporter = (reporter, partner) if flow == "M" else (partner, reporter)
                keys.append(_key(year, int(row["reporterCode"]), int(row["partnerCode"]),
                                 int(cmd)))
                cols = batches.setdefault(ed, [[], [], [], [], [], []])
                for target, item in zip(cols, (year, importer, exporter, int(cmd),
                                               round(value),
                                               MISSING_QUANTITY if weight is None or weight < 0
                                               else round(weight)), strict=True):
                    target.append(item)
                if len(cols[0]) >= BATCH:
                    flush(ed)
            for ed in list(batches):
                flush(ed)
            _check_duplicates(path, keys)
            if loader.stats.staged_rows == 0:
                raise ImportFailed(N_("no six-digit import flows between two countries in the "
                                      "file (skipped: %(skipped)s)") if flow == "M" else
                                   N_("no six-digit export flows between two countries in the "
                                      "file (skipped: %(skipped)s)"),
                                   file=str(path), skipped=skipped)
            stats = loader.finish(merge=True)
            source_edition = "+".join(sorted(editions))
            split_rows = sum(m.split_rows for m in mappers.values())
            unmapped: dict[str, dict[str, int]] = {}
            for m in mappers.values():
                for c, u in m.unmapped.items():
                    unmapped[f"{c:06d}"] = {"rows": u.rows, "value_usd": u.value_usd}
            result = FlowImportResult(
                dataset_id=dataset_id, file=str(path), source_edition=source_edition,
                years=stats.years, rows_read=rows_read, rows_loaded=stats.flow_rows,
                value_usd=stats.value_usd,
                unmatched_countries=sorted(unmatched.values(), key=lambda u: -u.value_usd),
                unmapped_codes=unmapped, split_rows=split_rows, skipped=skipped)
            record_notes(conn, result)
            conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(
                edition=source_edition))
            return result
        except BaseException:
            if loader is not None:
                loader.abort()
            raise


def comtrade_fixture_header() -> list[str]:
    """The column order of Comtrade's v1 API/bulk CSV (used by tests and documentation)."""
    return ["typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO", "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code", "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification", "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc", "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty", "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue", "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate"]


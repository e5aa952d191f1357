"""World Bank indicator CSV (``Country Name,Country Code,Year,Value``): GDP, population….

The indicator code (``NY.GDP.MKTP.CD``, ``SP.POP.TOTL``) is given by the operator or guessed
from the file name (gdp → GDP in current USD, population/pop → total population).  Rows for
aggregates ("World" WLD, regions such as "Sub-Saharan Africa" SSF, income groups such as
LMC) are recognised by their World Bank code and stored in ``indicator_aggregates``, never
as economies; codes that are neither an economy nor a known aggregate are reported.
Blank values (no data that year) are skipped and counted.  Importing an indicator replaces
every earlier value of that indicator, atomically.
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
from tradewind.flows.models import indicator_aggregates, indicators
from tradewind.i18n import lazy_noop as N_

GDP = "NY.GDP.MKTP.CD"
POPULATION = "SP.POP.TOTL"
COLUMNS = ["Country Name", "Country Code", "Year", "Value"]

# World Bank aggregate codes (regions, income and lending groups, demographic groups…).
WB_AGGREGATES = frozenset(["AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS", "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "INX", "LAC", "LCN", "LDC", "LIC", "LMC", "LMY", "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA", "SSF", "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD"])


@dataclass
class IndicatorImportResult:
    dataset_id: int
    indicator: str
    economies: int
    aggregates: int
    values: int
    blank_values: int
    years: tuple[int, int] | None
    unmatched: dict[str, str] = field(default_factory=dict)  # code → name

    def as_dict(self) -> dict[str, Any]:
        return {"dataset_id": self.dataset_id, "indicator": self.indicator,
                "economies": self.economies, "aggregates": self.aggregates,
                "values": self.values, "blank_values": self.blank_values,
                "years": list(self.years) if self.years else None,
                "unmatched": self.unmatched}

    def notes(self) -> str:
        text = (f"{self.indicator}: {self.values} values for {self.economies} economies and "
                f"{self.aggregates} aggregates; {self.blank_values} blank values skipped.")
        if self.unmatched:
            text += " Codes not matched to ISO 3166 nor to a World Bank aggregate (dropped): " \
                + ", ".join(f"{c} {n}" for c, n in sorted(self.unmatched.items())) + "."
        return text


def guess_indicator(path: Path) -> str | None:
    name = path.name.lower()
    if "gdp" in name:
        return GDP
    if "pop" in name:
        return POPULATION
    return None


def import_worldbank(db: Database, path: Path, *, indicator: str | None = None,
                     is_sample: bool = False, progress: Progress | None = None
                     ) -> IndicatorImportResult:
    """Import one indicator file; returns counts and the codes that did not match."""
    path = Path(path)
    code = (indicator or guess_indicator(path) or "").strip()
    if not code:
        raise ImportFailed(N_("cannot tell which indicator this file holds; pass it, e.g. "
                           "--indicator %(gdp)s"), file=str(path), gdp=GDP)
    economy_rows: list[dict[str, Any]] = []
    aggregate_rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], int] = {}
    unmatched: dict[str, str] = {}
    blank = 0
    years: list[int] = []
    for line, row in read_rows(path, COLUMNS, progress=progress):
        raw_code = row["Country Code"].strip().upper()
        name = row["Country Name"].strip()
        try:
            year = int(row["Year"].strip())
        except ValueError:
            raise ImportFailed(N_("%(text)r is not a year"), file=str(path), line=line,
                               field="Year", text=row['Year']) from None
        if not 1900 <= year <= 2100:
            raise ImportFailed(N_("year %(year)s is out of range"), file=str(path), line=line,
                               field="Year", year=year)
        if (raw_code, year) in seen:
            raise ImportFailed(N_("duplicate row for %(raw_code)s %(year)s (first on line "
                               "%(first_line)s)"), file=str(path), line=line,
                               field="Country Code", raw_code=raw_code, year=year, first_line=seen[raw_code, year])
        seen[(raw_code, year)] = line
        value = parse_float(row["Value"], path=path, line=line, field="Value",
                            allow_blank=True)
        if value is None:
            blank += 1
            continue
        years.append(year)
        if raw_code in WB_AGGREGATES:
            aggregate_rows.append({"indicator": code, "code": raw_code, "name": name[:120],
                                   "year": year, "value": value})
            continue
        iso3 = from_alpha3(raw_code) if len(raw_code) == 3 else None
        if iso3 is None:
            unmatched[raw_code] = name
            continue
        economy_rows.append({"indicator": code, "iso3": iso3, "year": year, "value": value})
    if not economy_rows and not aggregate_rows:
        raise ImportFailed(N_("no values found in the file"), file=str(path), line=2)
    # Two source codes for one economy would collide on the primary key: refuse clearly.
    keys: dict[tuple[str, int], int] = {}
    for r in economy_rows:
        keys[(r["iso3"], r["year"])] = keys.get((r["iso3"], r["year"]), 0) + 1
    clash = next((k for k, n in keys.items() if n > 1), None)
    if clash:
        raise ImportFailed(N_("two codes in the file stand for %(clash)s in %(clash2)s"),
                           file=str(path), field="Country Code", clash=clash[0], clash2=clash[1])
    with db.transaction() as conn:
        dataset_id = record_dataset(
            conn, kind="indicators", name=f"World Bank {code} ({path.name})",
            source=f"World Bank World Development Indicators, file {path.name}",
            licence="CC BY 4.0 (World Bank)", edition=code, is_sample=is_sample)
        conn.execute(delete(indicators).where(indicators.c.indicator == code))
        conn.execute(delete(indicator_aggregates).where(indicator_aggregates.c.indicator == code))
        for rows, table in ((economy_rows, indicators), (aggregate_rows, indicator_aggregates)):
            for start in range(0, len(rows), 5000):
                chunk = [{**r, "dataset_id": dataset_id} for r in rows[start:start + 5000]]
                conn.execute(insert(table), chunk)
        result = IndicatorImportResult(
            dataset_id=dataset_id, indicator=code,
            economies=len({r["iso3"] for r in economy_rows}),
            aggregates=len({r["code"] for r in aggregate_rows}),
            values=len(economy_rows) + len(aggregate_rows), blank_values=blank,
            years=(min(years), max(years)) if years else None, unmatched=unmatched)
        conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(
            row_count=result.values, notes=result.notes()))
    return result

"""Every importer of an operator's file, with small valid inputs built in code: those of
``tradewind.ingest`` and the few that live with their feature (``OUTSIDE_INGEST``: rules of
origin, exchange rates, finder confirmations).

The fuzz tests (``test_fuzz_importers``) break these inputs in every way a real file can be
broken; the SIGKILL tests (``test_kill_importers``) load an old and a new version and kill the
process in the middle.  A test fails when an ``import_*`` entry point has no entry here, so a
new importer cannot go without its broken-file and kill cases.

Each entry gives the reference data the import needs (``setup``), two valid versions of its
input (``write(folder, version)``: 0 = the old data, 1 = the new data; the first file is the
main one) and how to call it (``run``).  This module is also imported by the child process
of the kill tests, so it only builds files and calls the library.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tradewind.db import Database

Writer = Callable[[Path, int], list[Path]]
Runner = Callable[[Database, list[Path]], object]


@dataclass(frozen=True)
class Importer:
    """One ``import_*`` entry point: ``name`` is ``module.function``."""

    name: str
    kind: str  # format of the main file: csv, json, xml or xlsx
    write: Writer
    run: Runner
    setup: Callable[[Database], None] = lambda db: None

    @property
    def id(self) -> str:
        return self.name


# -- reference data -------------------------------------------------------------------------
def reference(db: Database) -> None:
    from tests.tariffs.util import load_reference

    load_reference(db)


def hs2022(db: Database) -> None:
    from tests.flows.helpers import with_hs2022

    with_hs2022(db)


def groups(db: Database) -> None:
    from tradewind.agreements.init import load_groups

    with db.transaction() as conn:
        load_groups(conn)


def ntm_concordance(db: Database) -> None:
    from tests.ingest.test_trains_ntm import _concordance

    _concordance(db)


def _text(path: Path, text: str) -> list[Path]:
    path.write_text(text, encoding="utf-8")
    return [path]


def _rows(rows: Sequence[str], version: int) -> list[str]:
    """Version 1 (the new data) drops the first row, so old and new data differ."""
    return list(rows) if version == 0 else list(rows[1:])


# -- writers --------------------------------------------------------------------------------
def w_baci(folder: Path, version: int) -> list[Path]:
    from tests.flows.helpers import write_baci

    body = ["2021,4,842,90111,1.5,2\n", "2021,251,842,90111,0.25,1\n",
            "2021,710,276,90121,7,\n"]
    flows, codes = write_baci(folder, "".join(_rows(body, version)))
    return [flows, codes]


def w_comtrade(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_comtrade import row, write

    rows = [row("842", "231", "090111", "1500000.4", weight="250000"),
            row("842", "404", "090111", "900000", weight=""),
            row("251", "404", "090121", "77")]
    return [write(folder, rows if version == 0 else rows[1:])]


def w_desta(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_desta import DYADS, HEADER, ROWS

    main = folder / "desta.csv"
    rows = ROWS if version == 0 else ROWS[:-2] + ROWS[-1:]  # the dyads name the first one
    main.write_text("\ufeff" + HEADER + "\n".join(rows) + "\n", "utf-8")
    dyads = folder / "dyads.csv"
    dyads.write_text("\ufeff" + DYADS, "utf-8")
    return [main, dyads]


def w_geodist(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_geodist import HEADER

    rows = ["FRA,DEU,1,0,0,0,0,0,0,0,880,880,850,840", "KEN,UGA,1,1,1,1,0,0,0,0,500,500,.,480",
            "USA,CAN,1,1,1,0,0,0,0,0,700,733,740,720"]
    return _text(folder / "dist_cepii.csv", HEADER + "\n".join(_rows(rows, version)) + "\n")


def w_concordance(folder: Path, version: int) -> list[Path]:
    from tests.ingest.hs_workbooks import PAIRS, make_workbook

    pairs = PAIRS if version == 0 else [(a, b, "1:1") for a, b, _r in PAIRS[:1]]
    conversion = None if version == 0 else [("010121", "010121")]
    return [make_workbook(folder / "HS2022toHS2017ConversionAndCorrelationTables.xlsx",
                          pairs=list(pairs), conversion=conversion)]


def w_network(folder: Path, version: int) -> list[Path]:
    from tests.network.test_network_csv import GOOD

    lines = GOOD.splitlines()
    if version == 1:
        lines[1] = lines[1].replace("Loans for exporters.", "Loans and guarantees.")
    return _text(folder / "orgs.csv", "\n".join(lines) + "\n")


def w_nomenclature(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_nomenclature_csv import GOOD, SECTIONS

    text = GOOD if version == 0 else GOOD.replace("I,010129,Horses; live; other,0101,6\n", "")
    main = _text(folder / "hs2017.csv", text)[0]
    return [main, _text(folder / "sections.csv", SECTIONS)[0]]


def w_hs_descriptions(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_hs_descriptions_csv import FRENCH

    text = FRENCH if version == 0 else FRENCH.replace("II,090121,Café torréfié,0901,6\n", "")
    return _text(folder / "hs2022_fr.csv", text)


def w_procedures(folder: Path, version: int) -> list[Path]:
    template = (Path(__file__).resolve().parents[2] / "src/tradewind/procedures/template.csv")
    lines = template.read_text("utf-8").splitlines()
    body = [line for line in lines[1:] if line.strip()]
    keep = body if version == 0 else body[:-1] or body
    return _text(folder / "proc.csv", "\n".join([lines[0], *keep]) + "\n")


def w_requirements(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_requirements_csv import GOOD, HEADER

    return _text(folder / "req.csv", HEADER + "".join(r + "\n" for r in _rows(GOOD, version)))


def w_rulings_eu(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_rulings_eu import GOOD

    head, _, rest = GOOD.partition("\n")
    _first, _, others = rest.partition("\nFRBTI")
    return _text(folder / "ebti.csv", GOOD if version == 0 else head + "\nFRBTI" + others)


def w_rulings_us(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_rulings_us import RULINGS

    return _text(folder / "cross.json", json.dumps({"rulings": _rows_any(RULINGS, version)}))


def _rows_any(rows: Sequence[Any], version: int) -> list[Any]:
    return list(rows) if version == 0 else list(rows[1:])


def w_search_references(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_search_references import GOOD

    items = list(GOOD.items())
    return _text(folder / "refs.json", json.dumps(dict(_rows_any(items, version)), indent=2))


def w_tariff_csv(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_tariff_csv import HEADER, ROWS

    rows = [r for r in ROWS if "EU-Kenya" not in r]  # no agreement needed
    return _text(folder / "schedule.csv", HEADER + "\n".join(_rows(rows, version)) + "\n")


def w_taxes_csv(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_tariff_csv import TAXES

    head, *rows = TAXES.splitlines()
    return _text(folder / "taxes.csv", "\n".join([head, *_rows(rows, version)]) + "\n")


def w_trains_ntm(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_trains_ntm import HEADER, ROWS

    return _text(folder / "ntm.csv", HEADER + "\n".join(_rows(ROWS, version)) + "\n")


def w_uk_tariff(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_uk_tariff import recorded_response

    doc = recorded_response()
    if version == 1:
        doc["included"] = [i for i in doc["included"] if i.get("id") != "20000003"]
        measures = doc["data"]["relationships"]["import_measures"]["data"] \
            if "import_measures" in doc["data"].get("relationships", {}) else None
        if measures is not None:
            doc["data"]["relationships"]["import_measures"]["data"] = [
                m for m in measures if m.get("id") != "20000003"]
    return _text(folder / "0901210000.json", json.dumps(doc))


def w_us_tariff(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_us_tariff import PRODUCTS, _write

    sub = folder / "us"
    products = PRODUCTS if version == 0 else PRODUCTS.replace(
        '"0902100090","0.064","6.4%","","0","Other"\n', "")
    _write(sub, products=products)
    return [sub / "products_raw.csv", sub / "chapter99_raw.csv", sub / "s301_product_lists.csv"]


def w_wits(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_wits_trains import QUERY_HEADER, QUERY_ROWS

    return _text(folder / "wits.csv",
                 QUERY_HEADER + "\n".join(_rows(QUERY_ROWS, version)) + "\n")


def w_worldbank(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_worldbank import HEADER

    rows = ["Kenya,KEN,2020,100.5", "World,WLD,2020,1000", "Peru,PER,2021,7"]
    return _text(folder / "gdp.csv", HEADER + "\n".join(_rows(rows, version)) + "\n")


def w_notifications_json(folder: Path, version: int) -> list[Path]:
    from tests.notifications.fixtures import RECORDS, write_json

    # notifications are only ever added: the new data are other notifications
    return [write_json(folder / "n.json", RECORDS[:2] if version == 0 else RECORDS[2:])]


def w_notifications_xlsx(folder: Path, version: int) -> list[Path]:
    from tests.notifications.fixtures import write_xlsx

    rows: list[list[Any]] = [
        ["G/SPS/N/EU/712", "European Union", "SPS", date(2026, 3, 1), date(2026, 4, 30),
         "Maximum residue levels", "Coffee", "0901.21; 0902", "67.140", "Food safety", "",
         "", "https://example.org/712", "en"],
        ["G/TBT/N/JPN/77", "Japan", "TBT", date(2026, 5, 1), date(2026, 6, 30),
         "Batteries safety", "lithium-ion batteries", None, "", "", "", "", "", "en"],
    ]
    return [write_xlsx(folder / "n.xlsx", rows[version:version + 1])]


def _rta_rows(version: int) -> list[list[str]]:
    from tests.ingest.test_wto_rta import ROWS

    return _rows_any(ROWS, version)


def w_wto_rta(folder: Path, version: int) -> list[Path]:
    from tests.ingest.test_wto_rta import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rta_rows(version))
    return _text(folder / "AllRTAs.csv", out.getvalue())


def w_wto_rta_xlsx(folder: Path, version: int) -> list[Path]:
    from openpyxl import Workbook

    from tests.ingest.test_wto_rta import COLUMNS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "AllRTAs"
    sheet.append(COLUMNS)
    for row in _rta_rows(version):
        sheet.append(row)
    path = folder / "AllRTAs.xlsx"
    book.save(path)
    return [path]


def agreement(db: Database) -> None:
    from tests.agreements.test_rules_csv import _agreement

    _agreement(db)


def w_origin_rules(folder: Path, version: int) -> list[Path]:
    from tests.agreements.test_rules_csv import NOTES

    # one agreement: the new data change its general rule
    return _text(folder / "notes.csv", NOTES.replace("(Annex 3-B)", f"(Annex 3-B v{version})"))


def w_product_rules(folder: Path, version: int) -> list[Path]:
    from tests.agreements.test_rules_csv import PSR

    header, *rows = PSR.splitlines()
    return _text(folder / "psr.csv", "\n".join([header, *_rows(rows, version)]) + "\n")


def w_confirmations(folder: Path, version: int) -> list[Path]:
    from tests.finder.test_confirmations import GOOD_ROW, HEADER

    rows = [GOOD_ROW, GOOD_ROW.replace("wallet,420232", "zebu leather wallet,420232"),
            GOOD_ROW.replace("wallet,420232", "roasted coffee beans,090121")]
    return _text(folder / "confirmations.csv",
                 "\n".join([HEADER, *_rows(rows, version)]) + "\n")


def w_fx_csv(folder: Path, version: int) -> list[Path]:
    # the new data give other rates for the same days (an import replaces its source's rates)
    rows = [f"2024-01-05,KES,{160.5 + version}", f"2024-01-04,KES,{160 + version}",
            f"2024-01-05,INR,{83.1 + version}"]
    return _text(folder / "rates.csv", "date,currency,rate_per_usd\n" + "\n".join(rows) + "\n")


def w_fx_ecb(folder: Path, version: int) -> list[Path]:
    from tests.fx.test_fx import ECB_HIST

    return _text(folder / "eurofxref-hist.xml",
                 ECB_HIST if version == 0 else ECB_HIST.replace("1.0921", "1.0999"))


# -- runners --------------------------------------------------------------------------------
def _infer(text: str) -> list[str]:
    from tests.notifications.fixtures import fake_infer

    return fake_infer(text)


def _mod(name: str) -> Any:
    """The importer module, imported only when used (the kill tests' child loads one)."""
    return importlib.import_module(f"tradewind.ingest.{name}")


def _lib(name: str) -> Any:
    """A feature module outside ``tradewind.ingest`` (``OUTSIDE_INGEST``)."""
    return importlib.import_module(f"tradewind.{name}")


def _runners() -> dict[str, Runner]:
    return {
        "agreements.rules_csv.import_origin_rules":
            lambda db, p: _lib("agreements.rules_csv").import_origin_rules(db, p[0]),
        "agreements.rules_csv.import_product_rules":
            lambda db, p: _lib("agreements.rules_csv").import_product_rules(db, p[0]),
        "finder.confirmations.import_csv":
            lambda db, p: _lib("finder.confirmations").import_csv(db, p[0]),
        "fx.importers.import_fx_csv": lambda db, p: _lib("fx.importers").import_fx_csv(
            db, p[0], source="test rates"),
        "fx.importers.import_ecb_xml": lambda db, p: _lib("fx.importers").import_ecb_xml(db, p[0]),
        "baci.import_baci": lambda db, p: _mod("baci").import_baci(db, p[0], p[1]),
        "comtrade.import_comtrade": lambda db, p: _mod("comtrade").import_comtrade(db, p[0]),
        "desta.import_desta": lambda db, p: _mod("desta").import_desta(db, p[0], p[1]),
        "geodist.import_geodist": lambda db, p: _mod("geodist").import_geodist(db, p[0]),
        "hs_concordance.import_concordance":
            lambda db, p: _mod("hs_concordance").import_concordance(db, p[0]),
        "hs_descriptions_csv.import_descriptions":
            lambda db, p: _mod("hs_descriptions_csv").import_descriptions(db, p[0], lang="fr"),
        "network_csv.import_network": lambda db, p: _mod("network_csv").import_network(db, p[0]),
        "nomenclature_csv.import_nomenclature": lambda db, p: _mod("nomenclature_csv").
            import_nomenclature(db, p[0], edition="HS2017", sections_path=p[1]),
        "procedures_csv.import_procedures_csv":
            lambda db, p: _mod("procedures_csv").import_procedures_csv(db, p[0]),
        "requirements_csv.import_requirements_csv":
            lambda db, p: _mod("requirements_csv").import_requirements_csv(db, p[0]),
        "rulings_eu.import_rulings_eu": lambda db, p: _mod("rulings_eu").import_rulings_eu(db, p[0]),
        "rulings_us.import_rulings_us": lambda db, p: _mod("rulings_us").import_rulings_us(db, p[0]),
        "search_references.import_search_references":
            lambda db, p: _mod("search_references").import_search_references(db, p[0]),
        "tariff_csv.import_tariff_csv": lambda db, p: _mod("tariff_csv").import_tariff_csv(db, p[0]),
        "tariff_csv.import_taxes_csv": lambda db, p: _mod("tariff_csv").import_taxes_csv(db, p[0]),
        "trains_ntm.import_trains_ntm": lambda db, p: _mod("trains_ntm").import_trains_ntm(db, p[0]),
        "uk_tariff.import_uk_tariff": lambda db, p: _mod("uk_tariff").import_uk_tariff(db, p),
        "us_tariff.import_us_tariff": lambda db, p: _mod("us_tariff").import_us_tariff(db, p[0].parent),
        "wits_trains.import_wits": lambda db, p: _mod("wits_trains").import_wits(db, p[0]),
        "worldbank.import_worldbank": lambda db, p: _mod("worldbank").import_worldbank(db, p[0]),
        "wto_notifications_json.import_wto_notifications_json":
            lambda db, p: _mod("wto_notifications_json").import_wto_notifications_json(
                db, p[0], infer=_infer),
        "wto_notifications_xlsx.import_wto_notifications_xlsx":
            lambda db, p: _mod("wto_notifications_xlsx").import_wto_notifications_xlsx(
                db, p[0], infer=_infer),
        "wto_rta.import_wto_rta": lambda db, p: _mod("wto_rta").import_wto_rta(db, p[0]),
    }


_SPECS: list[tuple[str, str, Writer, Callable[[Database], None]]] = [
    ("baci.import_baci", "csv", w_baci, hs2022),
    ("comtrade.import_comtrade", "csv", w_comtrade, hs2022),
    ("desta.import_desta", "csv", w_desta, reference),
    ("geodist.import_geodist", "csv", w_geodist, lambda db: None),
    ("hs_concordance.import_concordance", "xlsx", w_concordance, lambda db: None),
    ("hs_descriptions_csv.import_descriptions", "csv", w_hs_descriptions, hs2022),
    ("network_csv.import_network", "csv", w_network, lambda db: None),
    ("nomenclature_csv.import_nomenclature", "csv", w_nomenclature, hs2022),
    ("procedures_csv.import_procedures_csv", "csv", w_procedures, groups),
    ("requirements_csv.import_requirements_csv", "csv", w_requirements, lambda db: None),
    ("rulings_eu.import_rulings_eu", "csv", w_rulings_eu, hs2022),
    ("rulings_us.import_rulings_us", "json", w_rulings_us, hs2022),
    ("search_references.import_search_references", "json", w_search_references, hs2022),
    ("tariff_csv.import_tariff_csv", "csv", w_tariff_csv, reference),
    ("tariff_csv.import_taxes_csv", "csv", w_taxes_csv, reference),
    ("trains_ntm.import_trains_ntm", "csv", w_trains_ntm, ntm_concordance),
    ("uk_tariff.import_uk_tariff", "json", w_uk_tariff, reference),
    ("us_tariff.import_us_tariff", "csv", w_us_tariff, reference),
    ("wits_trains.import_wits", "csv", w_wits, reference),
    ("worldbank.import_worldbank", "csv", w_worldbank, lambda db: None),
    ("wto_notifications_json.import_wto_notifications_json", "json", w_notifications_json,
     lambda db: None),
    ("wto_notifications_xlsx.import_wto_notifications_xlsx", "xlsx", w_notifications_xlsx,
     lambda db: None),
    ("wto_rta.import_wto_rta", "csv", w_wto_rta, reference),
    # -- outside tradewind.ingest --
    ("agreements.rules_csv.import_origin_rules", "csv", w_origin_rules, agreement),
    ("agreements.rules_csv.import_product_rules", "csv", w_product_rules, agreement),
    ("finder.confirmations.import_csv", "csv", w_confirmations, hs2022),
    ("fx.importers.import_fx_csv", "csv", w_fx_csv, lambda db: None),
    ("fx.importers.import_ecb_xml", "xml", w_fx_ecb, lambda db: None),
]

#: Importers of an operator's file that live with their feature, not in ``tradewind.ingest``
#: (``tradewind import origin-rules|product-rules|fx-csv|fx-ecb|confirmations``).
OUTSIDE_INGEST = ("agreements.rules_csv", "finder.confirmations", "fx.importers")


def importers() -> list[Importer]:
    """Every entry point, plus the spreadsheet layout of the WTO RTA importer."""
    runs = _runners()
    found = [Importer(name, kind, write, runs[name], setup)
             for name, kind, write, setup in _SPECS]
    found.append(Importer("wto_rta.import_wto_rta[xlsx]", "xlsx", w_wto_rta_xlsx,
                          runs["wto_rta.import_wto_rta"], reference))
    return found


def by_id(ident: str) -> Importer:
    return next(i for i in importers() if i.id == ident)

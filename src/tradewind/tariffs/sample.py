"""A deterministic, clearly-labelled SAMPLE of tariff schedules, agreements, taxes and FX rates.

Until an operator imports real schedules, ``tradewind init`` loads this so that every tariff
page works.  Every row hangs off datasets marked ``is_sample=True``, so pages show a SAMPLE
banner and API responses carry ``"sample": true``.  The figures look plausible (rates drawn
per product from typical bands of each economy, real agreement names, standard VAT rates)
but they are NOT the real tariffs: agreement names carry "(SAMPLE)".

Deterministic: rates come from a CRC32 of (economy, HS6), never from a random generator.
An economy that already has a real (non-sample) schedule gets no sample schedule.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Table, select

from tradewind.agreements.queries import is_one_way_type
from tradewind.agreements.store import PartyIn, create_agreement, set_origin_rules
from tradewind.bootstrap import Report
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.fx.importers import store_sample_rates
from tradewind.nomenclature.models import hs_codes
from tradewind.settings import Settings
from tradewind.tariffs.models import (
    additional_duties,
    additional_duty_origins,
    additional_duty_products,
    domestic_taxes,
    tariff_lines,
    tariff_rates,
    tariff_schedules,
)
from tradewind.tariffs.store import (
    RateIn,
    create_schedule,
    duty_columns,
    insert_rows,
)

SAMPLE_NAME = "SAMPLE tariff schedules"
SAMPLE_SOURCE = "Tradewind SAMPLE generator: plausible but NOT real tariffs"
SAMPLE_LICENCE = "CC0-1.0"
SAMPLE_FROM = date(2020, 1, 1)
EDITION = "HS2022"

AGRI = range(1, 25)


@dataclass(frozen=True)
class SampleEconomy:
    code: str
    name: str
    nomenclature: str
    currency: str
    agri: tuple[str, ...]  # MFN duty texts for chapters 01-24
    industrial: tuple[str, ...]  # MFN duty texts for chapters 25-97
    valid_from: date = SAMPLE_FROM


ECONOMIES: tuple[SampleEconomy, ...] = (
    SampleEconomy("USA", "United States (SAMPLE)", "HTS", "USD",
                  ("Free", "2.8%", "6.4%", "1.5¢/kg", "3.4% + 1.2¢/kg", "10%", "4.4¢/kg"),
                  ("Free", "Free", "2.5%", "3.9%", "4.4%", "6.5%", "5.7%")),
    SampleEconomy("EUN", "European Union (SAMPLE)", "CN", "EUR",
                  ("Free", "5.5%", "12.8%", "€ 12.80/100 kg/net", "9% + € 24.20/100 kg/net",
                   "17.3%"),
                  ("Free", "1.7%", "2.7%", "4%", "6.5%", "12%")),
    SampleEconomy("GBR", "United Kingdom (SAMPLE)", "UKGT", "GBP",
                  ("Free", "4%", "8%", "12%", "£ 10.50/100 kg", "16%"),
                  ("Free", "Free", "2%", "4%", "6%", "12%"),
                  date(2021, 1, 1)),  # the UK Global Tariff; before, the EU's applied
    SampleEconomy("KEN", "Kenya — EAC CET (SAMPLE)", "EAC CET", "KES",
                  ("Free", "10%", "25%", "35%"), ("Free", "10%", "25%")),
    SampleEconomy("IND", "India (SAMPLE)", "ITC-HS", "INR",
                  ("30%", "30%", "40%", "100%", "20%"), ("7.5%", "10%", "10%", "15%", "20%")),
    SampleEconomy("BRA", "Brazil — Mercosur CET (SAMPLE)", "NCM", "BRL",
                  ("Free", "8%", "10%", "12%", "14%"), ("Free", "2%", "12%", "14%", "18%")),
    SampleEconomy("JPN", "Japan (SAMPLE)", "JPTS", "JPY",
                  ("Free", "6%", "12.8%", "21.3%", "¥ 23/kg"), ("Free", "Free", "Free", "3.9%")),
)


@dataclass(frozen=True)
class SampleAgreement:
    key: str
    name: str
    type: str
    entry_into_force: date
    parties: tuple[str, ...]
    grants: tuple[tuple[str, str], ...]  # (importing economy, "free" | "half" | "minus")
    share: int  # percent of dutiable lines covered
    general_rule: str
    proof: str
    url: str
    excluded_chapters: tuple[str, ...] = ()  # never covered (EBA: arms and ammunition)


def sample_parties(agreement: SampleAgreement) -> list[PartyIn]:
    """Parties with their roles: a one-way scheme's first party grants it, the rest receive it."""
    if not is_one_way_type(agreement.type):
        return [PartyIn(p) for p in agreement.parties]
    grantor, *beneficiaries = agreement.parties
    return [PartyIn(grantor, role="grantor"),
            *(PartyIn(p, role="beneficiary") for p in beneficiaries)]


#: Least-developed countries (UN list) among the SAMPLE's origins: they receive the duty-free
#: quota-free schemes of the demo markets below (EBA, DCTS Comprehensive Preferences, Japan's
#: and India's LDC schemes).  A subset of the UN list, enough to demonstrate the schemes.
LDC_SAMPLE: tuple[str, ...] = ("BGD", "KHM", "NPL", "ETH", "MDG", "UGA", "TZA", "RWA", "BDI",
                               "SSD", "MOZ", "SEN", "MLI", "MWI", "ZMB", "HTI")

AGREEMENTS: tuple[SampleAgreement, ...] = (
    SampleAgreement("usmca", "United States–Mexico–Canada Agreement (USMCA) (SAMPLE)",
                    "free trade agreement", date(2020, 7, 1), ("USA", "MEX", "CAN"),
                    (("USA", "free"),), 40,
                    "Goods wholly obtained or meeting product-specific rules (tariff shift or "
                    "regional value content).",
                    "A certification of origin by the importer, exporter or producer.",
                    "https://ustr.gov/trade-agreements/free-trade-agreements/"
                    "united-states-mexico-canada-agreement"),
    SampleAgreement("agoa", "African Growth and Opportunity Act (AGOA) (SAMPLE)",
                    "unilateral preference", date(2000, 10, 1),
                    ("USA", "KEN", "GHA", "ETH", "MDG", "NGA", "UGA", "TZA", "RWA"),
                    (("USA", "free"),), 35,
                    "At least 35% of the value added in one or more beneficiary countries; "
                    "shipped directly to the United States.",
                    "Origin documentation kept by the importer; textile visa for apparel.",
                    "https://agoa.info/"),
    SampleAgreement("eu-ken", "EU–Kenya Economic Partnership Agreement (SAMPLE)",
                    "economic partnership agreement", date(2024, 7, 1), ("EUN", "KEN"),
                    (("EUN", "free"), ("KEN", "half")), 45,
                    "Wholly obtained goods or sufficient processing under the product-specific "
                    "rules; cumulation with other EPA countries.",
                    "EUR.1 movement certificate or a statement on origin by a registered "
                    "exporter (REX).",
                    "https://policy.trade.ec.europa.eu/"),
    SampleAgreement("eu-jpn", "EU–Japan Economic Partnership Agreement (SAMPLE)",
                    "free trade agreement", date(2019, 2, 1), ("EUN", "JPN"),
                    (("EUN", "free"), ("JPN", "free")), 30,
                    "Product-specific rules; full cumulation between the parties.",
                    "A statement on origin by the exporter or the importer's knowledge.",
                    "https://policy.trade.ec.europa.eu/"),
    SampleAgreement("eu-uk", "EU–UK Trade and Cooperation Agreement (SAMPLE)",
                    "free trade agreement", date(2021, 1, 1), ("EUN", "GBR"),
                    (("EUN", "free"), ("GBR", "free")), 35,
                    "Zero tariffs only for goods originating in the EU or the UK under the "
                    "product-specific rules; bilateral cumulation.",
                    "A statement on origin on the invoice, or the importer's knowledge.",
                    "https://www.gov.uk/government/collections/"
                    "uk-eu-trade-and-cooperation-agreement"),
    SampleAgreement("eu-gsp", "EU Generalised Scheme of Preferences (GSP) (SAMPLE)",
                    "unilateral preference", date(2014, 1, 1), ("EUN", "IND", "NGA", "GHA"),
                    (("EUN", "minus"),), 30,
                    "Wholly obtained or sufficiently processed in the beneficiary country.",
                    "A statement on origin by an exporter registered in the REX system.",
                    "https://policy.trade.ec.europa.eu/"),
    SampleAgreement("eu-eba",
                    "EU Everything But Arms (EBA) for least-developed countries (SAMPLE)",
                    "unilateral preference", date(2001, 3, 5), ("EUN", *LDC_SAMPLE),
                    (("EUN", "free"),), 100,
                    "GSP rules of origin: wholly obtained, or sufficiently processed in the "
                    "least-developed country (lower value-added thresholds than the standard "
                    "GSP); cumulation with other GSP beneficiaries, Norway, Switzerland and "
                    "Türkiye.",
                    "A statement on origin by an exporter registered in the REX system.",
                    "https://trade.ec.europa.eu/access-to-markets/en/content/"
                    "everything-arms-eba", excluded_chapters=("93",)),
    SampleAgreement("uk-ken", "UK–Kenya Economic Partnership Agreement (SAMPLE)",
                    "economic partnership agreement", date(2021, 3, 1), ("GBR", "KEN"),
                    (("GBR", "free"),), 45,
                    "Wholly obtained goods or sufficient processing; cumulation with EPA "
                    "countries and the EU.",
                    "EUR.1 movement certificate or an origin declaration.",
                    "https://www.gov.uk/government/collections/uk-kenya-economic-partnership-"
                    "agreement"),
    SampleAgreement("uk-dcts", "UK Developing Countries Trading Scheme (DCTS) (SAMPLE)",
                    "unilateral preference", date(2023, 6, 19), ("GBR", "IND", "NGA", "GHA"),
                    (("GBR", "minus"),), 30,
                    "Wholly obtained or sufficiently processed; cumulation with other "
                    "beneficiaries, the UK and the EU.",
                    "A statement on origin by a registered exporter.",
                    "https://www.gov.uk/government/collections/"
                    "developing-countries-trading-scheme"),
    SampleAgreement("uk-dcts-ldc",
                    "UK DCTS Comprehensive Preferences for least-developed countries (SAMPLE)",
                    "unilateral preference", date(2023, 6, 19), ("GBR", *LDC_SAMPLE),
                    (("GBR", "free"),), 100,
                    "Wholly obtained or sufficiently processed, with relaxed rules for "
                    "least-developed countries; cumulation with other beneficiaries, the UK "
                    "and the EU.",
                    "A statement on origin by a registered exporter.",
                    "https://www.gov.uk/government/collections/"
                    "developing-countries-trading-scheme", excluded_chapters=("93",)),
    SampleAgreement("uk-jpn", "UK–Japan Comprehensive Economic Partnership Agreement (SAMPLE)",
                    "free trade agreement", date(2021, 1, 1), ("GBR", "JPN"),
                    (("GBR", "free"), ("JPN", "free")), 30,
                    "Product-specific rules; bilateral and extended cumulation with the EU.",
                    "A statement on origin or the importer's knowledge.",
                    "https://www.gov.uk/government/collections/uk-japan-comprehensive-economic-"
                    "partnership-agreement"),
    SampleAgreement("jp-in", "Japan–India Comprehensive Economic Partnership Agreement (SAMPLE)",
                    "free trade agreement", date(2011, 8, 1), ("JPN", "IND"),
                    (("JPN", "free"), ("IND", "half")), 30,
                    "Regional value content of 35% and a change of tariff subheading.",
                    "A certificate of origin issued by the exporting country's authority.",
                    "https://www.mofa.go.jp/"),
    SampleAgreement("jp-gsp-ldc",
                    "Japan GSP duty-free treatment for least-developed countries (SAMPLE)",
                    "unilateral preference", date(2007, 4, 1), ("JPN", *LDC_SAMPLE),
                    (("JPN", "free"),), 98,
                    "Wholly produced, or sufficiently worked under Japan's GSP list rules; "
                    "shipped directly to Japan.",
                    "A GSP certificate of origin (Form A) issued by the exporting country, or "
                    "a self-declaration where accepted.",
                    "https://www.customs.go.jp/english/index.htm"),
    SampleAgreement("in-dftp",
                    "India Duty Free Tariff Preference scheme for LDCs (SAMPLE)",
                    "unilateral preference", date(2008, 8, 13), ("IND", *LDC_SAMPLE),
                    (("IND", "free"),), 95,
                    "Wholly obtained, or a change of tariff subheading with 30% value added in "
                    "the least-developed country.",
                    "A certificate of origin issued by an authority of the exporting country.",
                    "https://commerce.gov.in/"),
    SampleAgreement("eac", "East African Community Customs Union (SAMPLE)", "customs union",
                    date(2005, 1, 1), ("KEN", "UGA", "TZA", "RWA", "BDI", "SSD"),
                    (("KEN", "free"),), 50,
                    "EAC rules of origin: wholly produced or 35% value added in the partner "
                    "states.", "An EAC certificate of origin.", "https://www.eac.int/"),
    SampleAgreement("mercosur", "MERCOSUR (SAMPLE)", "customs union", date(1991, 11, 29),
                    ("BRA", "ARG", "URY", "PRY"), (("BRA", "free"),), 50,
                    "MERCOSUR origin regime: change of tariff heading or 60% regional content.",
                    "A MERCOSUR certificate of origin.", "https://www.mercosur.int/"),
    SampleAgreement("in-mercosur", "India–MERCOSUR Preferential Trade Agreement (SAMPLE)",
                    "partial scope agreement", date(2009, 6, 1),
                    ("IND", "BRA", "ARG", "URY", "PRY"), (("BRA", "half"), ("IND", "half")), 15,
                    "Change of tariff heading and 30% value added, on listed products only.",
                    "A certificate of origin from an authorised body.",
                    "https://commerce.gov.in/"),
)

# Standard VAT/GST rates (SAMPLE: check the real rate before relying on it).
VAT: dict[str, tuple[str, str, str]] = {
    "GBR": ("VAT", "Import VAT", "20%"), "KEN": ("VAT", "VAT", "16%"),
    "IND": ("GST", "Integrated GST (IGST)", "18%"), "BRA": ("VAT", "ICMS (state VAT)", "18%"),
    "JPN": ("consumption", "Consumption tax", "10%"),
    "AUT": ("VAT", "VAT", "20%"), "BEL": ("VAT", "VAT", "21%"), "BGR": ("VAT", "VAT", "20%"),
    "HRV": ("VAT", "VAT", "25%"), "CYP": ("VAT", "VAT", "19%"), "CZE": ("VAT", "VAT", "21%"),
    "DNK": ("VAT", "VAT", "25%"), "EST": ("VAT", "VAT", "22%"), "FIN": ("VAT", "VAT", "24%"),
    "FRA": ("VAT", "TVA", "20%"), "DEU": ("VAT", "Einfuhrumsatzsteuer (import VAT)", "19%"),
    "GRC": ("VAT", "VAT", "24%"), "HUN": ("VAT", "VAT", "27%"), "IRL": ("VAT", "VAT", "23%"),
    "ITA": ("VAT", "IVA", "22%"), "LVA": ("VAT", "VAT", "21%"), "LTU": ("VAT", "VAT", "21%"),
    "LUX": ("VAT", "VAT", "17%"), "MLT": ("VAT", "VAT", "18%"), "NLD": ("VAT", "BTW", "21%"),
    "POL": ("VAT", "VAT", "23%"), "PRT": ("VAT", "IVA", "23%"), "ROU": ("VAT", "VAT", "19%"),
    "SVK": ("VAT", "VAT", "20%"), "SVN": ("VAT", "VAT", "22%"), "ESP": ("VAT", "IVA", "21%"),
    "SWE": ("VAT", "VAT", "25%"),
}
OTHER_TAXES: tuple[tuple[str, str, str, str, str | None, str], ...] = (
    # economy, kind, name, rate text, hs prefix, base
    ("USA", "other", "Merchandise Processing Fee", "0.3464%", None,
     "the customs value (a minimum and maximum per entry apply)"),
    ("KEN", "other", "Import Declaration Fee", "2.5%", None, "the customs value"),
    ("KEN", "other", "Railway Development Levy", "2%", None, "the customs value"),
    ("BRA", "other", "IPI (tax on industrial products)", "10%", None,
     "the customs value plus import duty"),
    ("BRA", "other", "PIS/COFINS-Import", "11.75%", None, "the customs value"),
    ("GBR", "excise", "Spirits duty", "£ 31.64/l alc", "2208", "litres of pure alcohol"),
    ("KEN", "excise", "Excise duty on spirits", "35%", "2208", "the customs value plus duty"),
)

FX_PER_USD: dict[str, float] = {
    "EUR": 0.92, "GBP": 0.79, "KES": 129.0, "INR": 83.5, "BRL": 5.4, "JPY": 150.0,
    "CNY": 7.2, "CAD": 1.36, "MXN": 17.1, "ZAR": 18.6, "GHS": 12.5, "NGN": 1500.0,
    "CHF": 0.88, "AUD": 1.52,
}


def _h(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode())


def _pick(options: tuple[str, ...], *key: str) -> str:
    return options[_h(*key) % len(options)]


def _preference_text(mfn: str, mode: str) -> str | None:
    """The preferential rate derived from an MFN text (None: no preference on this line)."""
    if mfn == "Free":
        return None
    if mode == "free":
        return "Free"
    if not mfn.endswith("%") or "+" in mfn:
        return "Free" if mode == "minus" else None
    pct = float(mfn.rstrip("%"))
    value = pct / 2 if mode == "half" else max(pct - 3.5, 0.0)
    if value == 0:
        return "Free"
    return f"{value:g}%"


def _sample_exists(conn: Connection) -> bool:
    return conn.execute(select(datasets.c.id).where(
        datasets.c.kind == "tariff", datasets.c.is_sample.is_(True),
        datasets.c.name == SAMPLE_NAME)).first() is not None


def _real_economies(conn: Connection) -> set[str]:
    rows = conn.execute(
        select(tariff_schedules.c.economy)
        .join(datasets, datasets.c.id == tariff_schedules.c.dataset_id)
        .where(datasets.c.is_sample.is_(False)))
    return {r[0] for r in rows}


def load_sample(db: Database, report: Report = lambda _m: None) -> int:
    """Write the SAMPLE in one transaction; returns the number of tariff rates written."""
    with db.transaction() as conn:
        if _sample_exists(conn):
            return 0
        hs6 = [(r.code, r.description) for r in conn.execute(
            select(hs_codes.c.code, hs_codes.c.description)
            .where(hs_codes.c.edition == EDITION, hs_codes.c.level == 6)
            .order_by(hs_codes.c.code))]
        if not hs6:
            report("  no HS 2022 codes loaded: SAMPLE tariffs skipped")
            return 0
        skip = _real_economies(conn)
        ds = record_dataset(conn, kind="tariff", name=SAMPLE_NAME, source=SAMPLE_SOURCE,
                            licence=SAMPLE_LICENCE, edition="SAMPLE-2020", is_sample=True,
                            notes="Generated at init because no real schedule was imported. "
                                  "Replace with `tradewind import …`.")
        agreement_ids: dict[str, int] = {}
        for a in AGREEMENTS:
            agreement_ids[a.key] = create_agreement(
                conn, code=f"sample:{a.key}", name=a.name, type=a.type, status="in force",
                parties=sample_parties(a), coverage="goods",
                entry_into_force=a.entry_into_force, legal_text_url=a.url, source="sample",
                notes="SAMPLE agreement record for demonstration.", dataset_id=ds)
            set_origin_rules(conn, agreement_ids[a.key], general_rule=a.general_rule,
                             cumulation="", proof_of_origin=a.proof, legal_text_url=a.url,
                             notes="SAMPLE summary, not legal advice.")
        total = 0
        for economy in ECONOMIES:
            if economy.code in skip:
                report(f"  {economy.code}: a real schedule exists, no SAMPLE")
                continue
            total += _write_schedule(conn, economy, hs6, ds, agreement_ids)
        _write_additional(conn, hs6, ds, skip)
        _write_taxes(conn, ds)
        set_row_count(conn, ds, total)
    return total


def fast_insert(conn: Connection, table: Table, columns: Sequence[str],
                rows: Sequence[tuple[Any, ...]]) -> None:
    """``executemany`` through the driver: the SAMPLE must load in well under 5 seconds.

    SQLAlchemy's per-row parameter processing costs more than the insert itself for the
    ~65 000 SAMPLE rows, so callers pass ready tuples (JSON already dumped, dates through
    :func:`_sql_date`).
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # COPY is several times faster than executemany on PostgreSQL.
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['?'] * len(columns))})")
    for start in range(0, len(rows), 10000):
        conn.exec_driver_sql(sql, list(rows[start:start + 10000]))  # type: ignore[arg-type]


def _sql_date(conn: Connection, value: date | None) -> Any:
    """Dates as SQLAlchemy stores them: ISO text on SQLite, ``date`` for PostgreSQL."""
    if value is None or conn.dialect.name != "sqlite":
        return value
    return value.isoformat()


_DUTY_CACHE: dict[tuple[str, str], tuple[str, str | None, bool, float | None]] = {}


def _duty_values(text: str, currency: str) -> tuple[str, str | None, bool, float | None]:
    key = (text, currency)
    if key not in _DUTY_CACHE:
        cols = duty_columns(text, currency)
        data = cols["duty_json"]
        _DUTY_CACHE[key] = (text, json.dumps(data) if data is not None else None,
                            cols["parse_ok"], cols["ad_valorem"])
    return _DUTY_CACHE[key]


def _write_schedule(conn: Connection, economy: SampleEconomy, hs6: list[tuple[str, str]],
                    ds: int, agreement_ids: dict[str, int]) -> int:
    sid = create_schedule(conn, economy=economy.code, name=economy.name,
                          nomenclature=economy.nomenclature, national_digits=8,
                          currency=economy.currency, source_format="sample", dataset_id=ds,
                          valid_from=economy.valid_from)
    fast_insert(conn, tariff_lines,
                ("schedule_id", "national_code", "hs6", "description", "unit"),
                [(sid, code + "00", code, description, "kg") for code, description in hs6])
    ids = dict(conn.execute(select(tariff_lines.c.national_code, tariff_lines.c.id)
                            .where(tariff_lines.c.schedule_id == sid)).all())
    rates: list[RateIn] = []
    grants = [(a, mode) for a in AGREEMENTS for imp, mode in a.grants if imp == economy.code]
    for code, _description in hs6:
        national = code + "00"
        chapter = int(code[:2])
        bands = economy.agri if chapter in AGRI else economy.industrial
        mfn = _pick(bands, economy.code, code)
        if economy.code == "USA" and code == "240120":
            mfn = "350% (see additional U.S. note 5 to chapter 24)"  # shows an unread text
        rates.append(RateIn(national, "mfn", mfn, valid_from=SAMPLE_FROM))
        for agreement, mode in grants:
            if (_h(agreement.key, code) % 100 >= agreement.share
                    or code[:2] in agreement.excluded_chapters):
                continue
            pref = _preference_text(mfn, mode)
            if pref is not None:
                rates.append(RateIn(national, "preferential", pref, scheme=agreement.name,
                                    agreement_id=agreement_ids[agreement.key],
                                    valid_from=agreement.entry_into_force))
    if economy.code == "USA":
        rates += [RateIn("17011400", "quota_in", "1.4606¢/kg", scheme="Raw cane sugar TRQ",
                         quota_volume=1117195, quota_unit="t", valid_from=SAMPLE_FROM),
                  RateIn("17011400", "quota_out", "33.87¢/kg", scheme="Raw cane sugar TRQ",
                         valid_from=SAMPLE_FROM)]
    if economy.code == "EUN":
        rates += [RateIn("02013000", "quota_in", "20%", scheme="High-quality beef TRQ",
                         quota_volume=45000, quota_unit="t", valid_from=SAMPLE_FROM),
                  RateIn("02013000", "quota_out", "12.8% + € 303.40/100 kg/net",
                         scheme="High-quality beef TRQ", valid_from=SAMPLE_FROM)]
    columns = ("line_id", "schedule_id", "hs6", "rate_type", "agreement_id", "scheme",
               "origin", "quota_volume", "quota_unit", "valid_from", "valid_to",
               "duty_text", "duty_json", "parse_ok", "ad_valorem")
    fast_insert(conn, tariff_rates, columns, [
        (ids[r.national_code], sid, r.national_code[:6], r.rate_type, r.agreement_id,
         r.scheme, r.origin, r.quota_volume, r.quota_unit, _sql_date(conn, r.valid_from),
         _sql_date(conn, r.valid_to), *_duty_values(r.duty_text, economy.currency))
        for r in rates])
    return len(rates)


def _write_additional(conn: Connection, hs6: list[tuple[str, str]], ds: int,
                      skip: set[str]) -> None:
    if "USA" in skip:
        return
    measures = [
        ("9903.88.03", "section_301", "SAMPLE: Section 301 duties on listed products of China",
         "25%", "only", ["CHN"], ("84", "85")),
        ("9903.81.90", "section_232", "SAMPLE: Section 232 duties on steel articles",
         "25%", "all", [], ("72", "73")),
        ("9903.01.25", "ieepa_reciprocal", "SAMPLE: baseline reciprocal duty (IEEPA)", "10%",
         "all_except", ["CAN", "MEX"], ()),
    ]
    for heading, authority, description, text, mode, origins, chapters in measures:
        row = {"economy": "USA", "heading": heading, "authority": authority,
               "description": description, "origin_mode": mode,
               "product_scope": "listed" if chapters else "all",
               "valid_from": date(2025, 4, 5) if authority == "ieepa_reciprocal" else SAMPLE_FROM,
               "valid_to": None, "dataset_id": ds, **duty_columns(text, "USD")}
        row.pop("ad_valorem")
        duty_id = int(conn.execute(additional_duties.insert().values(**row))
                      .inserted_primary_key[0])  # type: ignore[index]
        if origins:
            insert_rows(conn, additional_duty_origins,
                        [{"duty_id": duty_id, "origin": o} for o in origins])
        if chapters:
            insert_rows(conn, additional_duty_products, [
                {"duty_id": duty_id, "product_code": code + "00", "hs6": code}
                for code, _d in hs6 if code[:2] in chapters])


def _write_taxes(conn: Connection, ds: int) -> None:
    rows: list[tuple[str, str, str, str, str | None, str]] = []
    for economy, (kind, name, rate) in VAT.items():
        rows.append((economy, kind, name, rate, None,
                     "the customs value plus duties and excise"))
    rows += list(OTHER_TAXES)
    payload = []
    for economy, kind, name, rate, prefix, base in rows:
        cols = duty_columns(rate, "GBP" if economy == "GBR" else "USD")
        payload.append({"economy": economy, "kind": kind, "name": f"{name} (SAMPLE)",
                        "rate_text": rate, "duty_json": cols["duty_json"],
                        "parse_ok": cols["parse_ok"], "hs_prefix": prefix, "base": base,
                        "valid_from": SAMPLE_FROM, "valid_to": None, "dataset_id": ds})
    insert_rows(conn, domestic_taxes, payload)


def sample_fx_rows() -> list[tuple[str, str, float, date]]:
    """Weekly SAMPLE rates per USD, 2020–2030, wobbling deterministically around a level."""
    rows: list[tuple[str, str, float, date]] = []
    day = date(2020, 1, 6)
    end = date(2030, 12, 30)
    while day <= end:
        for currency, level in FX_PER_USD.items():
            wobble = (_h(currency, day.isoformat()) % 200 - 100) / 5000  # ±2 %
            rows.append(("USD", currency, round(level * (1 + wobble), 6), day))
        day += timedelta(days=7)
    return rows


def _fx_sample_needed(conn: Connection) -> bool:
    return conn.execute(select(datasets.c.id).where(datasets.c.kind == "fx")).first() is None


def init_sample_tariffs(db: Database, settings: Settings, report: Report) -> None:
    """Init step: load the SAMPLE when ``load_samples`` is on and it is not loaded yet."""
    if not settings.load_samples:
        return
    written = load_sample(db, report)
    if written:
        report(f"  {written} SAMPLE tariff rates loaded (labelled SAMPLE)")
    with db.connect() as conn:
        needed = _fx_sample_needed(conn)
    if needed:
        result = store_sample_rates(db, sample_fx_rows(),
                                    notes="Generated at init; import real rates with "
                                          "`tradewind import fx-ecb` or `fx-csv`.")
        report(f"  {result.rows} SAMPLE exchange rates loaded")

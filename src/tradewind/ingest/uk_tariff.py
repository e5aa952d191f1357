"""Importer for saved UK Trade Tariff API commodity responses (JSON:API).

A response of ``GET https://www.trade-tariff.service.gov.uk/api/v2/commodities/{10 digits}``
(saved by ``tradewind fetch uk-tariff``) has ``data`` (type ``commodity``: attributes
``goods_nomenclature_item_id``, ``description``, ``formatted_description``…; relationships
``import_measures``) and ``included``: ``measure`` (attributes ``effective_start_date``,
``effective_end_date``, ``import``, ``vat``, ``excise``; relationships ``measure_type``,
``duty_expression``, ``geographical_area``, ``excluded_countries``, ``order_number``,
``additional_code``), ``measure_type`` (``description``), ``duty_expression`` (``base``,
``formatted_base``, ``verbose_duty``), ``geographical_area`` (``description``,
``geographical_area_id``; relationship ``children_geographical_areas``), ``order_number``
(``number``; relationship ``definition``) and ``definition`` (``initial_volume``,
``measurement_unit``).

Measure types used (others are counted and skipped):

* 103 third-country duty → ``mfn``;
* 142 tariff preference, 145 preferential suspension → ``preferential``;
* 143 preferential tariff quota, 122/123 non-preferential tariff quota → ``quota_in``;
* 551–554, 695, 696 anti-dumping/countervailing/additional duties → ``additional``;
* 305 VAT, 306 excise → domestic taxes.

Geographical groups are expanded to their member countries (minus excluded countries);
``1011`` ERGA OMNES without exclusions means every origin.  A third-country duty restricted
to some origins (group 1080 Channel Islands, or ERGA OMNES with exclusions) is stored as a
preference for those origins so that it never replaces the general MFN rate.  All files go into one GBR schedule (UK Global
Tariff, GBP), replacing the previous UK API import.  Atomic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Connection, delete, select

from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset, set_row_count
from tradewind.db import Database
from tradewind.errors import ImportFailed
from tradewind.i18n import lazy_noop as N_
from tradewind.ingest import rawfile
from tradewind.tariffs.models import domestic_taxes, tariff_schedules
from tradewind.tariffs.store import (
    LineIn,
    RateIn,
    create_schedule,
    duty_columns,
    insert_rows,
    write_lines,
    write_rates,
)

SOURCE_FORMAT = "uk-api"
ERGA_OMNES = "1011"
MFN_TYPES = {"103"}
PREF_TYPES = {"142", "145"}
QUOTA_TYPES = {"143", "122", "123"}
ADDITIONAL_TYPES = {"551", "552", "553", "554", "695", "696"}
VAT_TYPES = {"305"}
EXCISE_TYPES = {"306"}


@dataclass
class UkTariffImport:
    dataset_id: int
    commodities: int
    rates: int
    taxes: int
    skipped: Counter[str] = field(default_factory=Counter)


def _date(text: Any) -> date | None:
    if not text:
        return None
    return date.fromisoformat(str(text)[:10])


class _Doc:
    """Index of a JSON:API document's included resources by (type, id)."""

    def __init__(self, doc: dict[str, Any], name: str) -> None:
        self.name = name
        data = doc.get("data")
        if not isinstance(data, dict) or data.get("type") != "commodity":
            raise ImportFailed(N_("not a UK Trade Tariff commodity response ('data' of type "
                               "'commodity' missing)"), file=name)
        self.data = data
        included = doc.get("included", [])
        if not isinstance(included, list):
            raise ImportFailed(N_("'included' must be a list"), file=name)
        self.index: dict[tuple[str, str], dict[str, Any]] = {}
        for item in included:
            if not isinstance(item, dict) or "type" not in item or "id" not in item:
                raise ImportFailed(N_("an included resource has no type or id"), file=name)
            self.index[(str(item["type"]), str(item["id"]))] = item

    def related(self, resource: dict[str, Any], rel: str) -> list[dict[str, Any]]:
        link = (resource.get("relationships") or {}).get(rel) or {}
        data = link.get("data")
        if data is None:
            return []
        refs = data if isinstance(data, list) else [data]
        out = []
        for ref in refs:
            key = (str(ref.get("type")), str(ref.get("id")))
            if key not in self.index:
                raise ImportFailed(N_("%(type)s %(id)s refers to "
                                   "%(key)s %(key2)s, which is not in 'included'"),
                                   file=self.name, type=resource.get('type'), id=resource.get('id'), key=key[0], key2=key[1])
            out.append(self.index[key])
        return out

    def one(self, resource: dict[str, Any], rel: str) -> dict[str, Any] | None:
        items = self.related(resource, rel)
        return items[0] if items else None


def _iso3(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return str(country.alpha_3) if country else None


def _origins(doc: _Doc, measure: dict[str, Any]) -> list[str | None] | None:
    """ISO3 origins of a measure; [None] = every origin; None = cannot tell (skip)."""
    area = doc.one(measure, "geographical_area")
    if area is None:
        return None
    area_id = str((area.get("attributes") or {}).get("geographical_area_id") or area["id"])
    excluded = {str((e.get("attributes") or {}).get("geographical_area_id") or e["id"])
                for e in doc.related(measure, "excluded_countries")}
    if area_id == ERGA_OMNES and not excluded:
        return [None]
    iso3 = _iso3(area_id)
    if iso3:
        return [iso3]
    children = doc.related(area, "children_geographical_areas")
    members = []
    for child in children:
        child_id = str((child.get("attributes") or {}).get("geographical_area_id")
                       or child["id"])
        if child_id in excluded:
            continue
        code = _iso3(child_id)
        if code:
            members.append(code)
    return list(dict.fromkeys(members)) or None


def _duty_text(doc: _Doc, measure: dict[str, Any]) -> str:
    expr = doc.one(measure, "duty_expression")
    if expr is None:
        return ""
    attrs = expr.get("attributes") or {}
    text = attrs.get("base") or attrs.get("verbose_duty") or ""
    return re.sub(r"<[^>]+>", "", str(text)).strip()


def _load(path: Path) -> dict[str, Any]:
    text = rawfile.read_text(path)
    if not text.strip():
        raise ImportFailed(N_("the file is empty"), file=str(path), line=1)
    doc = rawfile.parse_json(text, str(path))
    if not isinstance(doc, dict):
        raise ImportFailed(N_("a JSON object was expected"), file=str(path), line=1)
    return doc


def _parse(path: Path) -> dict[str, Any]:
    doc = _Doc(_load(path), str(path))
    attrs = doc.data.get("attributes") or {}
    code = str(attrs.get("goods_nomenclature_item_id") or doc.data.get("id") or "")
    if not re.fullmatch(r"\d{10}", code):
        raise ImportFailed(N_("commodity code %(code_text)r is not 10 digits"), file=str(path),
                           field="goods_nomenclature_item_id", code_text=code)
    description = str(attrs.get("description") or attrs.get("formatted_description") or "")
    description = re.sub(r"<[^>]+>", "", description).strip()
    rates: list[dict[str, Any]] = []
    taxes: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    for measure in doc.related(doc.data, "import_measures"):
        m_attrs = measure.get("attributes") or {}
        mtype = doc.one(measure, "measure_type")
        if mtype is None:
            raise ImportFailed(N_("measure %(id)s has no measure_type"),
                               file=str(path), id=measure.get('id'))
        type_id = str(mtype["id"])
        type_name = str((mtype.get("attributes") or {}).get("description") or type_id)
        start, end = _date(m_attrs.get("effective_start_date")), _date(
            m_attrs.get("effective_end_date"))
        text = _duty_text(doc, measure)
        if type_id in VAT_TYPES or type_id in EXCISE_TYPES:
            taxes.append({"kind": "VAT" if type_id in VAT_TYPES else "excise",
                          "name": type_name, "rate": text, "start": start, "end": end})
            continue
        if type_id in MFN_TYPES:
            rate_type = "mfn"
        elif type_id in PREF_TYPES:
            rate_type = "preferential"
        elif type_id in QUOTA_TYPES:
            rate_type = "quota_in"
        elif type_id in ADDITIONAL_TYPES:
            rate_type = "additional"
        else:
            skipped[f"{type_id} {type_name}"] += 1
            continue
        if doc.related(measure, "additional_code") and rate_type == "mfn":
            skipped["MFN measures with additional codes"] += 1
            continue
        origins = _origins(doc, measure)
        if rate_type == "mfn" and origins != [None]:
            # a third-country duty for some origins only (e.g. 1080 Channel Islands, or
            # ERGA OMNES with exclusions) works as a preference for those origins
            rate_type = "preferential"
        if origins is None:
            skipped["measures for areas whose members are not listed"] += 1
            continue
        area = doc.one(measure, "geographical_area")
        area_name = str(((area or {}).get("attributes") or {}).get("description") or "")
        volume = unit = None
        scheme = area_name if rate_type != "mfn" else ""
        order = doc.one(measure, "order_number")
        if order is not None:
            number = str((order.get("attributes") or {}).get("number") or order["id"])
            scheme = f"quota {number}" + (f" ({area_name})" if area_name else "")
            definition = doc.one(order, "definition")
            if definition is not None:
                d_attrs = definition.get("attributes") or {}
                if d_attrs.get("initial_volume") not in (None, ""):
                    try:
                        volume = float(d_attrs["initial_volume"])
                    except (TypeError, ValueError):
                        raise ImportFailed(
                            N_("quota %(number)s: bad initial_volume %(initial_volume)r"),
                            file=str(path), number=number, initial_volume=d_attrs['initial_volume']) from None
                unit = d_attrs.get("measurement_unit") or None
            if rate_type == "preferential":
                rate_type = "quota_in"
        if rate_type == "additional" and type_name:
            scheme = type_name + (f" ({area_name})" if area_name else "")
        for origin in origins:
            rates.append({"rate_type": rate_type, "origin": origin, "scheme": scheme[:120],
                          "duty": text, "start": start, "end": end, "volume": volume,
                          "unit": unit})
    return {"code": code, "description": description, "rates": rates, "taxes": taxes,
            "skipped": skipped}


def _replace(conn: Connection) -> None:
    old = [r[0] for r in conn.execute(select(tariff_schedules.c.dataset_id).where(
        tariff_schedules.c.economy == "GBR",
        tariff_schedules.c.source_format == SOURCE_FORMAT))]
    if old:
        conn.execute(delete(domestic_taxes).where(domestic_taxes.c.dataset_id.in_(old)))
        conn.execute(delete(tariff_schedules).where(tariff_schedules.c.dataset_id.in_(old)))
        conn.execute(delete(datasets).where(datasets.c.id.in_(old)))


def import_uk_tariff(db: Database, paths: Iterable[Path]) -> UkTariffImport:
    """Import saved commodity responses (files, or folders of ``*.json``) as one schedule."""
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.glob("*.json")) if p.is_dir() else [p]
    if not files:
        raise ImportFailed(N_("no UK Trade Tariff JSON files given"))
    parsed = [_parse(f) for f in files]
    seen: dict[str, Path] = {}
    for f, item in zip(files, parsed, strict=True):
        if item["code"] in seen:
            raise ImportFailed(N_("commodity %(code_text)s also in %(first_line)s"),
                               file=str(f), code_text=item['code'], first_line=seen[item['code']])
        seen[item["code"]] = f
    skipped: Counter[str] = Counter()
    with db.transaction() as conn:
        _replace(conn)
        dataset_id = record_dataset(
            conn, kind="tariff", name="UK Global Tariff (Trade Tariff API)",
            source="HM Revenue & Customs, UK Trade Tariff API v2 "
                   "(https://www.trade-tariff.service.gov.uk/api/v2/commodities/…)",
            licence="Open Government Licence v3.0", edition=date.today().isoformat(),
            notes=f"{len(files)} commodity responses")
        schedule_id = create_schedule(
            conn, economy="GBR", name="UK Global Tariff", nomenclature="UKGT",
            national_digits=10, currency="GBP", source_format=SOURCE_FORMAT,
            dataset_id=dataset_id)
        ids = write_lines(conn, schedule_id, [
            LineIn(item["code"], item["code"][:6], item["description"]) for item in parsed])
        rates = [RateIn(item["code"], r["rate_type"], r["duty"], scheme=r["scheme"],
                        origin=r["origin"], quota_volume=r["volume"], quota_unit=r["unit"],
                        valid_from=r["start"], valid_to=r["end"])
                 for item in parsed for r in item["rates"]]
        written = write_rates(conn, schedule_id, ids, rates, currency="GBP", source="UK API")
        tax_rows = []
        tax_seen: set[tuple[Any, ...]] = set()
        for item in parsed:
            skipped.update(item["skipped"])
            for t in item["taxes"]:
                key = (t["kind"], t["rate"], t["start"], item["code"])
                if key in tax_seen:
                    continue
                tax_seen.add(key)
                columns = duty_columns(t["rate"], "GBP")
                tax_rows.append({
                    "economy": "GBR", "kind": t["kind"], "name": t["name"],
                    "rate_text": t["rate"], "duty_json": columns["duty_json"],
                    "parse_ok": columns["parse_ok"], "hs_prefix": item["code"],
                    "base": "customs value + duty + excise" if t["kind"] == "VAT" else "",
                    "valid_from": t["start"], "valid_to": t["end"],
                    "dataset_id": dataset_id})
        insert_rows(conn, domestic_taxes, tax_rows)
        set_row_count(conn, dataset_id, written + len(tax_rows))
    return UkTariffImport(dataset_id, len(parsed), written, len(tax_rows), skipped)

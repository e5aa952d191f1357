"""UK Trade Tariff API: a recorded commodity response built from the documented JSON:API schema."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.tariffs.util import load_reference, table_counts
from tradewind.db import Database
from tradewind.errors import ImportFailed, InvalidInput
from tradewind.fetch.uk_tariff import commodity_url, fetch_commodity
from tradewind.ingest.uk_tariff import import_uk_tariff
from tradewind.tariffs import queries as q


def _rel(kind: str, ident: str) -> dict[str, Any]:
    return {"data": {"id": ident, "type": kind}}


def _measure(ident: str, mtype: str, duty: str, area: str, **extra: Any) -> dict[str, Any]:
    relationships = {"measure_type": _rel("measure_type", mtype),
                     "duty_expression": _rel("duty_expression", f"{ident}-duty_expression"),
                     "geographical_area": _rel("geographical_area", area),
                     "excluded_countries": {"data": []}, "additional_code": {"data": None},
                     "footnotes": {"data": []}}
    relationships.update(extra)
    return {"id": ident, "type": "measure",
            "attributes": {"id": int(ident), "origin": "uk", "import": True, "excise": False,
                           "vat": mtype == "305", "effective_start_date":
                               "2021-01-01T00:00:00.000Z", "effective_end_date": None},
            "relationships": relationships}


def _duty(ident: str, base: str) -> dict[str, Any]:
    return {"id": f"{ident}-duty_expression", "type": "duty_expression",
            "attributes": {"base": base, "formatted_base": f"<span>{base}</span>",
                           "verbose_duty": base}}


def recorded_response() -> dict[str, Any]:
    """GET /api/v2/commodities/0901210000, shaped like the live API (trimmed)."""
    measures = [
        _measure("20000001", "103", "", "1011"),
        _measure("20000002", "142", "", "1032"),
        _measure("20000003", "142", "", "KE"),
        _measure("20000004", "143", "", "BR", order_number=_rel("order_number", "051234")),
        _measure("20000005", "305", "", "1011"),
        _measure("20000006", "277", "", "1011"),  # import control: not a duty
        _measure("20000007", "552", "", "CN"),
        _measure("20000008", "103", "", "1080"),  # third-country duty for Jersey/Guernsey
    ]
    duties = {"20000001": "7.50 %", "20000002": "0.00 %", "20000003": "0.00 %",
              "20000004": "2.00 % + 12.00 GBP / 100 kg", "20000005": "20.00 %",
              "20000006": "", "20000007": "35.00 %", "20000008": "0.00 %"}
    included: list[dict[str, Any]] = [*measures, *(_duty(k, v) for k, v in duties.items())]
    included += [
        {"id": "103", "type": "measure_type", "attributes": {
            "description": "Third country duty", "measure_type_series_id": "C"}},
        {"id": "142", "type": "measure_type", "attributes": {
            "description": "Tariff preference", "measure_type_series_id": "C"}},
        {"id": "143", "type": "measure_type", "attributes": {
            "description": "Preferential tariff quota", "measure_type_series_id": "C"}},
        {"id": "305", "type": "measure_type", "attributes": {
            "description": "Value added tax", "measure_type_series_id": "P"}},
        {"id": "277", "type": "measure_type", "attributes": {
            "description": "Import prohibition", "measure_type_series_id": "A"}},
        {"id": "552", "type": "measure_type", "attributes": {
            "description": "Definitive anti-dumping duty", "measure_type_series_id": "D"}},
        {"id": "1011", "type": "geographical_area", "attributes": {
            "id": "1011", "description": "ERGA OMNES", "geographical_area_id": "1011"},
         "relationships": {"children_geographical_areas": {"data": []}}},
        {"id": "1032", "type": "geographical_area", "attributes": {
            "id": "1032", "description": "UK-Japan CEPA", "geographical_area_id": "1032"},
         "relationships": {"children_geographical_areas": {"data": [
             {"id": "JP", "type": "geographical_area"}]}}},
        {"id": "1080", "type": "geographical_area", "attributes": {
            "id": "1080", "description": "UK-CD Customs Union", "geographical_area_id": "1080"},
         "relationships": {"children_geographical_areas": {"data": [
             {"id": "JE", "type": "geographical_area"}, {"id": "GG", "type": "geographical_area"}]}}},
        {"id": "JE", "type": "geographical_area", "attributes": {
            "id": "JE", "description": "Jersey", "geographical_area_id": "JE"}},
        {"id": "GG", "type": "geographical_area", "attributes": {
            "id": "GG", "description": "Guernsey", "geographical_area_id": "GG"}},
        {"id": "JP", "type": "geographical_area", "attributes": {
            "id": "JP", "description": "Japan", "geographical_area_id": "JP"}},
        {"id": "KE", "type": "geographical_area", "attributes": {
            "id": "KE", "description": "Kenya", "geographical_area_id": "KE"}},
        {"id": "BR", "type": "geographical_area", "attributes": {
            "id": "BR", "description": "Brazil", "geographical_area_id": "BR"}},
        {"id": "CN", "type": "geographical_area", "attributes": {
            "id": "CN", "description": "China", "geographical_area_id": "CN"}},
        {"id": "051234", "type": "order_number", "attributes": {"number": "051234"},
         "relationships": {"definition": _rel("definition", "051234-def")}},
        {"id": "051234-def", "type": "definition", "attributes": {
            "initial_volume": "5000.0", "measurement_unit": "Kilogram (kg)",
            "validity_start_date": "2024-01-01T00:00:00.000Z"}},
    ]
    return {
        "data": {
            "id": "27623", "type": "commodity",
            "attributes": {"producline_suffix": "80", "description": "Not decaffeinated",
                           "number_indents": 3, "goods_nomenclature_item_id": "0901210000",
                           "formatted_description": "Not decaffeinated",
                           "validity_start_date": "1972-01-01T00:00:00.000Z",
                           "validity_end_date": None, "declarable": True},
            "relationships": {"import_measures": {"data": [
                {"id": m["id"], "type": "measure"} for m in measures]},
                "export_measures": {"data": []}},
        },
        "included": included,
    }


def _save(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_import_recorded_response(db: Database, tmp_path: Path) -> None:
    load_reference(db)
    folder = tmp_path / "uk"
    folder.mkdir()
    _save(folder / "0901210000.json", recorded_response())
    result = import_uk_tariff(db, [folder])
    assert (result.commodities, result.rates, result.taxes) == (1, 7, 1)
    assert result.skipped == {"277 Import prohibition": 1}
    day = date(2024, 6, 1)
    with db.connect() as conn:
        mfn = q.mfn_rates(conn, "GBR", "090121", day)
        assert [(r.national_code, r.duty.formatted()) for r in mfn] == [("0901210000", "7.5%")]
        japan = q.preferential_rates(conn, "GBR", "090121", "JPN", day)
        assert [(r.scheme, r.duty.formatted()) for r in japan] == [("UK-Japan CEPA", "0%")]
        assert q.preferential_rates(conn, "GBR", "090121", "USA", day) == []
        # A third-country duty limited to the Channel Islands never replaces the MFN rate.
        assert [(r.scheme, r.duty.formatted()) for r in q.preferential_rates(
            conn, "GBR", "090121", "JEY", day)] == [("UK-CD Customs Union", "0%")]
        brazil = q.quotas(conn, "GBR", "090121", "BRA", day)
        assert [(r.quota_volume, r.quota_unit, r.duty.formatted()) for r in brazil] == [
            (5000.0, "Kilogram (kg)", "2% + 12 GBP/100 kg")]
        assert [d.duty.formatted() for d in q.additional_duties(conn, "GBR", "090121", "CHN",
                                                                day)] == ["35%"]
        vat = q.domestic_taxes(conn, "GBR", "090121", day)
        assert [(t.kind, t.duty.formatted()) for t in vat] == [("VAT", "20%")]
        assert q.schedule_provenance(conn, "GBR", day)[0].provenance.licence.startswith(
            "Open Government")
    before = table_counts(db)
    import_uk_tariff(db, [folder / "0901210000.json"])
    assert table_counts(db) == before


def _broken(mutate: Any) -> dict[str, Any]:
    doc = copy.deepcopy(recorded_response())
    mutate(doc)
    return doc


BROKEN = [
    (lambda d: d.update(data={"type": "heading", "id": "1"}), "not a UK Trade Tariff commodity"),
    (lambda d: d["included"].pop(0), "which is not in 'included'"),
    (lambda d: d["data"]["attributes"].update(goods_nomenclature_item_id="09012100"),
     "is not 10 digits"),
    (lambda d: d["included"][-1]["attributes"].update(initial_volume="lots"),
     "bad initial_volume"),
]


@pytest.mark.parametrize(("mutate", "problem"), BROKEN)
def test_broken_responses(db: Database, tmp_path: Path, mutate: Any, problem: str) -> None:
    load_reference(db)
    import_uk_tariff(db, [_save(tmp_path / "good.json", recorded_response())])
    before = table_counts(db)
    with pytest.raises(ImportFailed) as info:
        import_uk_tariff(db, [_save(tmp_path / "bad.json", _broken(mutate))])
    assert "bad.json" in str(info.value) and problem in str(info.value)
    assert table_counts(db) == before


def test_truncated_json_names_the_line(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    text = json.dumps(recorded_response(), indent=1)
    path.write_text(text[: len(text) // 2], "utf-8")
    with pytest.raises(ImportFailed, match="not valid JSON") as info:
        import_uk_tariff(db, [path])
    assert info.value.line and info.value.line > 1
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(ImportFailed, match="UTF-16"):
        import_uk_tariff(db, [path])
    assert table_counts(db)["tariff_schedules"] == 0


def test_fetch_saves_the_response_without_network(tmp_path: Path) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/0901210000"):
            return httpx.Response(200, json=recorded_response())
        return httpx.Response(404, json={"errors": [{"detail": "not found"}]})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    path = fetch_commodity("0901.21.00.00", tmp_path, client=client)
    assert path.name == "0901210000.json"
    assert json.loads(path.read_text("utf-8"))["data"]["type"] == "commodity"
    assert seen == ["https://www.trade-tariff.service.gov.uk/api/v2/commodities/0901210000"]
    with pytest.raises(InvalidInput, match="404"):
        fetch_commodity("0901219999", tmp_path, client=client)
    with pytest.raises(InvalidInput):
        commodity_url("0901")

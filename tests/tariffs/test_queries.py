"""Named tariff queries: dates, origins through groups and agreements, customs unions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests.tariffs.util import load_reference
from tradewind.agreements.queries import agreements_between
from tradewind.agreements.store import PartyIn, create_agreement
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.tariffs import queries as q
from tradewind.tariffs.models import (
    additional_duties,
    additional_duty_origins,
    additional_duty_products,
    domestic_taxes,
    tariff_lines,
    valuation_bases,
)
from tradewind.tariffs.store import (
    LineIn,
    RateIn,
    create_schedule,
    duty_columns,
    insert_rows,
    write_lines,
    write_rates,
)

D2024 = date(2024, 6, 1)


def _build(db: Database) -> dict[str, int]:
    load_reference(db)
    with db.transaction() as conn:
        ds = record_dataset(conn, kind="tariff", name="test EU schedule", source="tests",
                            licence="none", edition="2024")
        epa = create_agreement(
            conn, code="test:eu-ken", name="EU–Kenya EPA", type="free trade area",
            status="in force", parties=["EUN", "KEN"], entry_into_force=date(2024, 7, 1))
        eu_jpn = create_agreement(
            conn, code="test:eu-jpn", name="EU–Japan EPA", type="free trade area",
            status="in force", parties=["EUN", "JPN"], entry_into_force=date(2019, 2, 1))
        sid = create_schedule(conn, economy="EUN", name="EU CN", nomenclature="CN",
                              national_digits=8, currency="EUR", source_format="csv",
                              dataset_id=ds)
        ids = write_lines(conn, sid, [
            LineIn("09012100", "090121", "Roasted coffee, not decaffeinated"),
            LineIn("09012200", "090122", "Roasted coffee, decaffeinated"),
            LineIn("17011300", "170113", "Cane sugar"),
            LineIn("61091000", "610910", "T-shirts of cotton", valid_to=date(2020, 12, 31)),
        ])
        write_rates(conn, sid, ids, [
            RateIn("09012100", "mfn", "7.5%", valid_to=date(2023, 12, 31)),
            RateIn("09012100", "mfn", "7.5%", valid_from=date(2024, 1, 1)),
            RateIn("09012200", "mfn", "9%"),
            RateIn("17011300", "mfn", "339 EUR/1000 kg"),
            RateIn("61091000", "mfn", "12%"),
            RateIn("09012100", "preferential", "Free", scheme="EU–Kenya EPA",
                   agreement_id=epa),
            RateIn("09012100", "preferential", "Free", scheme="EU–Japan EPA",
                   agreement_id=eu_jpn),
            RateIn("09012100", "preferential", "2.6%", scheme="GSP", origin="IND"),
            RateIn("17011300", "quota_in", "98 EUR/1000 kg", scheme="quota 09.4320",
                   origin="BRA", quota_volume=334054, quota_unit="t"),
            RateIn("17011300", "quota_out", "339 EUR/1000 kg", scheme="quota 09.4320",
                   quota_volume=334054, quota_unit="t"),
        ], currency="EUR")
        us = create_schedule(conn, economy="USA", name="US", nomenclature="HTS",
                             national_digits=10, currency="USD", source_format="csv",
                             dataset_id=ds)
        us_ids = write_lines(conn, us, [LineIn("0901210000", "090121", "Roasted coffee")])
        write_rates(conn, us, us_ids, [RateIn("0901210000", "mfn", "Free")])
        duty = duty_columns("25%", "USD")
        insert_rows(conn, additional_duties, [
            {"economy": "USA", "heading": "9903.88.03", "authority": "section_301",
             "description": "China list 3", "duty_text": "+ 25%", "duty_json": duty["duty_json"],
             "parse_ok": True, "origin_mode": "only", "product_scope": "listed",
             "valid_from": date(2018, 9, 24), "valid_to": None, "dataset_id": ds},
            {"economy": "USA", "heading": "9903.01.25", "authority": "ieepa",
             "description": "reciprocal", "duty_text": "+ 10%",
             "duty_json": duty_columns("10%", "USD")["duty_json"], "parse_ok": True,
             "origin_mode": "all_except", "product_scope": "all",
             "valid_from": date(2025, 4, 5), "valid_to": None, "dataset_id": ds},
        ])
        ids_by_heading = dict(conn.execute(select(additional_duties.c.heading,
                                                  additional_duties.c.id)).all())
        insert_rows(conn, additional_duty_origins, [
            {"duty_id": ids_by_heading["9903.88.03"], "origin": "CHN"},
            {"duty_id": ids_by_heading["9903.01.25"], "origin": "CAN"}])
        insert_rows(conn, additional_duty_products, [
            {"duty_id": ids_by_heading["9903.88.03"], "product_code": "09012100",
             "hs6": "090121"}])
        vat = duty_columns("20%", "EUR")
        insert_rows(conn, domestic_taxes, [
            {"economy": "FRA", "kind": "VAT", "name": "TVA", "rate_text": "20%",
             "duty_json": vat["duty_json"], "parse_ok": True, "hs_prefix": None,
             "base": "customs value + duty", "valid_from": None, "valid_to": None,
             "dataset_id": ds},
            {"economy": "FRA", "kind": "VAT", "name": "TVA taux réduit", "rate_text": "5.5%",
             "duty_json": duty_columns("5.5%", "EUR")["duty_json"], "parse_ok": True,
             "hs_prefix": "0901", "base": "customs value + duty", "valid_from": None,
             "valid_to": None, "dataset_id": ds}])
        insert_rows(conn, valuation_bases, [{"economy": "JPN", "basis": "CIF",
                                             "note": "Customs Tariff Law", "dataset_id": ds}])
    return {"epa": epa, "eu_jpn": eu_jpn}


def test_member_state_uses_customs_union_schedule(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        rates = q.mfn_rates(conn, "FRA", "090121", D2024)
        assert [(r.national_code, r.duty.text) for r in rates] == [("09012100", "7.5%")]
        assert rates[0].economy == "EUN"
        assert q.schedule_for(conn, "FRA", D2024).economy == "EUN"  # type: ignore[union-attr]
        # The UK left the customs union at the end of 2020.
        assert q.mfn_rates(conn, "GBR", "090121", date(2020, 6, 1))
        assert q.mfn_rates(conn, "GBR", "090121", date(2021, 6, 1)) == []
        # Croatia joined on 2013-07-01.
        assert q.mfn_rates(conn, "HRV", "090122", date(2013, 6, 30)) == []
        assert q.mfn_rates(conn, "HRV", "090122", date(2013, 7, 1))[0].duty.text == "9%"
        # Nothing for an economy without a schedule, and nothing invented.
        assert q.mfn_rates(conn, "KEN", "090121", D2024) == []
        assert q.schedule_provenance(conn, "KEN", D2024) == []


def test_line_validity_dates(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        assert q.mfn_rates(conn, "DEU", "610910", date(2020, 1, 1))[0].duty.text == "12%"
        assert q.mfn_rates(conn, "DEU", "610910", date(2021, 1, 1)) == []


def test_preferences_follow_agreement_dates_and_groups(db: Database) -> None:
    ids = _build(db)
    with db.connect() as conn:
        # The test EPA enters into force on 2024-07-01.
        assert q.preferential_rates(conn, "FRA", "090121", "KEN", D2024) == []
        kenya = q.preferential_rates(conn, "FRA", "090121", "KEN", date(2024, 7, 1))
        assert [(r.agreement_id, r.duty.text, r.via) for r in kenya] == [
            (ids["epa"], "Free", "KEN")]
        india = q.preferential_rates(conn, "ITA", "090121", "IND", D2024)
        assert [(r.scheme, r.duty.text) for r in india] == [("GSP", "2.6%")]
        assert q.preferential_rates(conn, "ITA", "090121", "BRA", D2024) == []
        japan = q.preferential_rates(conn, "FRA", "090121", "JPN", D2024)
        assert [r.agreement_id for r in japan] == [ids["eu_jpn"]]


def test_preferences_through_a_group_party(db: Database) -> None:
    """A preference under an agreement whose party is a group applies to its members."""
    load_reference(db)
    with db.transaction() as conn:
        ds = record_dataset(conn, kind="tariff", name="JP", source="t", licence="t",
                            edition="t")
        epa = create_agreement(conn, code="t:jp-eu", name="Japan–EU EPA", type="FTA",
                               status="in force", parties=["EUN", PartyIn("JPN")],
                               entry_into_force=date(2019, 2, 1))
        sid = create_schedule(conn, economy="JPN", name="JP", nomenclature="JP",
                              national_digits=9, currency="JPY", source_format="csv",
                              dataset_id=ds)
        ids = write_lines(conn, sid, [LineIn("220421000", "220421", "Wine")])
        write_rates(conn, sid, ids, [
            RateIn("220421000", "mfn", "15%"),
            RateIn("220421000", "preferential", "Free", agreement_id=epa, scheme="EPA")],
            currency="JPY")
    with db.connect() as conn:
        assert [r.via for r in q.preferential_rates(conn, "JPN", "220421", "FRA", D2024)] \
            == ["EUN"]
        assert q.preferential_rates(conn, "JPN", "220421", "GBR", D2024) == []
        assert q.preferential_rates(conn, "JPN", "220421", "GBR", date(2020, 6, 1))


def test_quotas(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        brazil = q.quotas(conn, "FRA", "170113", "BRA", D2024)
        assert {(r.rate_type, r.quota_volume, r.quota_unit) for r in brazil} == {
            ("quota_in", 334054.0, "t"), ("quota_out", 334054.0, "t")}
        assert [r.rate_type for r in q.quotas(conn, "FRA", "170113", "IND", D2024)] == [
            "quota_out"]
        assert len(q.quotas(conn, "FRA", "170113", None, D2024)) == 2


def test_additional_duties_by_origin_product_and_date(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        china = q.additional_duties(conn, "USA", "090121", "CHN", date(2025, 6, 1))
        assert sorted(d.heading for d in china) == ["9903.01.25", "9903.88.03"]
        listed = next(d for d in china if d.heading == "9903.88.03")
        assert listed.product_codes == ("09012100",)
        assert listed.duty.ad_valorem_percent == Decimal(25)
        # Before the reciprocal duty started, only the section 301 duty applies.
        assert [d.heading for d in q.additional_duties(conn, "USA", "090121", "CHN",
                                                       date(2024, 1, 1))] == ["9903.88.03"]
        # Canada is excepted from the "all_except" duty; Kenya is not listed for 301.
        assert q.additional_duties(conn, "USA", "090121", "CAN", date(2025, 6, 1)) == []
        assert [d.heading for d in q.additional_duties(conn, "USA", "090121", "KEN",
                                                       date(2025, 6, 1))] == ["9903.01.25"]
        # Product not listed: only the all-products duty.
        assert [d.heading for d in q.additional_duties(conn, "USA", "090122", "CHN",
                                                       date(2025, 6, 1))] == ["9903.01.25"]


def test_domestic_taxes_most_specific_first(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        taxes = q.domestic_taxes(conn, "FRA", "090121", D2024)
        assert [(t.name, t.duty.text) for t in taxes] == [("TVA taux réduit", "5.5%"),
                                                          ("TVA", "20%")]
        assert [t.name for t in q.domestic_taxes(conn, "FRA", "610910", D2024)] == ["TVA"]
        assert q.domestic_taxes(conn, "KEN", "090121", D2024) == []


def test_valuation_basis(db: Database) -> None:
    _build(db)
    with db.connect() as conn:
        assert q.valuation_basis(conn, "USA").basis == "FOB"
        assert q.valuation_basis(conn, "CAN").source == "default"
        assert q.valuation_basis(conn, "JPN").source == "data"
        fra = q.valuation_basis(conn, "FRA", D2024)
        assert (fra.basis, fra.source) == ("CIF", "schedule")
        assert q.valuation_basis(conn, "KEN").basis == "CIF"


def test_schedule_provenance_prefers_real_over_sample(db: Database) -> None:
    _build(db)
    with db.transaction() as conn:
        sample = record_dataset(conn, kind="tariff", name="SAMPLE EU", source="sample",
                                licence="none", edition="sample", is_sample=True)
        create_schedule(conn, economy="EUN", name="SAMPLE", nomenclature="HS",
                        national_digits=6, currency="EUR", source_format="sample",
                        dataset_id=sample)
    with db.connect() as conn:
        provenance = q.schedule_provenance(conn, "FRA", D2024)
        assert [p.provenance.is_sample for p in provenance] == [False, True]
        assert provenance[0].provenance.name == "test EU schedule"
        assert q.tariff_lines_for(conn, "FRA", "090121", D2024)[0].national_code == "09012100"


def _signed_only_preference(db: Database) -> int:
    """A preference under an agreement signed but with no date of entry into force."""
    with db.transaction() as conn:
        signed = create_agreement(
            conn, code="test:eu-bra", name="EU–Mercosur (signed)", type="free trade area",
            status="signed", parties=["EUN", "BRA"])
        sid, line_id = conn.execute(
            select(tariff_lines.c.schedule_id, tariff_lines.c.id)
            .where(tariff_lines.c.national_code == "17011300")).one()
        write_rates(conn, sid, {"17011300": line_id}, [
            RateIn("17011300", "preferential", "Free", scheme="EU–Mercosur",
                   agreement_id=signed)], currency="EUR")
    return signed


def test_rates_for_bundle_matches_the_separate_queries(db: Database) -> None:
    ids = _build(db)
    signed = _signed_only_preference(db)
    with db.connect() as conn:
        for destination, hs6, origin, day in [
                ("FRA", "090121", "KEN", date(2024, 7, 1)), ("ITA", "090121", "IND", D2024),
                ("FRA", "170113", "BRA", D2024), ("USA", "090121", "CHN", date(2025, 6, 1)),
                ("KEN", "090121", "FRA", D2024), ("GBR", "090121", "JPN", date(2021, 6, 1)),
                ("FRA", "610910", "KEN", D2024), ("FRA", "610910", "KEN", date(2020, 6, 1)),
                ("DEU", "090121", "JPN", D2024), ("CHE", "090121", "KEN", D2024)]:
            bundle = q.rates_for(conn, destination, hs6, origin, day)
            if bundle.schedule is not None:  # the schedule's dataset comes first
                used = q.schedule_provenance(conn, destination, day)[0]
                assert used.schedule == bundle.schedule
                assert used.provenance == bundle.provenance[0]
            assert sorted((x.agreement.id, x.party_a, x.party_b) for x in bundle.links) == \
                sorted((x.agreement.id, x.party_a, x.party_b)
                       for x in agreements_between(conn, origin, destination, day))
            assert set(bundle.agreements) == {r.agreement_id for r in bundle.preferential
                                              if r.agreement_id is not None}
            assert signed not in bundle.agreements
            assert bundle.schedule == q.schedule_for(conn, destination, day)
            assert bundle.mfn == q.mfn_rates(conn, destination, hs6, day)
            assert bundle.preferential == q.preferential_rates(conn, destination, hs6, origin,
                                                               day)
            assert bundle.quotas == q.quotas(conn, destination, hs6, origin, day)
            assert bundle.additional == q.additional_duties(conn, destination, hs6, origin,
                                                            day)
            assert bundle.taxes == q.domestic_taxes(conn, destination, hs6, day)
            assert bundle.valuation == q.valuation_basis(conn, destination, day)
            # Passing the schedule skips its lookup and gives the same answer.
            assert q.mfn_rates(conn, destination, hs6, day, schedule=bundle.schedule) \
                == bundle.mfn
        # A line that expired has no rates; the EPA counts only from its entry into force.
        assert q.rates_for(conn, "FRA", "610910", "KEN", D2024).mfn == []
        assert len(q.rates_for(conn, "FRA", "610910", "KEN", date(2020, 6, 1)).mfn) == 1
        assert ids["eu_jpn"] in q.rates_for(conn, "DEU", "090121", "JPN", D2024).agreements
        with_epa = q.rates_for(conn, "FRA", "090121", "KEN", date(2024, 7, 1))
        assert set(with_epa.agreements) == {ids["epa"]}
        assert q.rates_for(conn, "FRA", "090121", "KEN", D2024).agreements == {}
        assert q.rates_for(conn, "CHE", "090121", "KEN", D2024).schedule is None

"""Notifications surfaces over the initialised database (SAMPLE): API, page, iCalendar."""

from __future__ import annotations

from typing import Any

import pytest

from tradewind.db import Database
from tradewind.notifications.store import finder_inferrer


def test_api_search_and_paging(client: Any) -> None:
    r = client.get("/api/v1/notifications", params={"member": "KEN"})
    assert r.status_code == 200
    body = r.json()
    assert body["sample"] is True and body["total"] == 2
    assert {i["symbol"] for i in body["items"]} == {"G/SPS/N/KEN/9007",
                                                     "G/SPS/N/KEN/9007/Rev.1"}
    assert any(p["is_sample"] for p in body["provenance"])
    paged = client.get("/api/v1/notifications", params={"per_page": 4, "page": 2}).json()
    assert (paged["total"], paged["pages"], len(paged["items"])) == (15, 4, 4)
    coffee = client.get("/api/v1/notifications", params={"hs": "0901.21"}).json()
    assert {i["symbol"] for i in coffee["items"]} >= {"G/TBT/N/BRA/9010", "G/SPS/N/EU/9001"}


@pytest.mark.parametrize("params", [{"area": "XYZ"}, {"hs": "coffee"}, {"page": "0"},
                                    {"per_page": "101"}, {"open_on": "2026-13-01"},
                                    {"page": "x"}])
def test_api_bad_input_is_422(client: Any, params: dict[str, str]) -> None:
    r = client.get("/api/v1/notifications", params=params)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_api_declares_422(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "422" in spec["paths"]["/api/v1/notifications"]["get"]["responses"]


def test_page(client: Any) -> None:
    r = client.get("/notifications", params={"member": "EUN", "hs": "0901"})
    assert r.status_code == 200
    assert "SAMPLE" in r.text and "G/SPS/N/EU/9001/Add.1" in r.text
    assert "/notifications/deadlines.ics?hs=0901&amp;member=EUN" in r.text
    paged = client.get("/notifications", params={"text": "SAMPLE", "page": "2",
                                                     "per_page": "5"})
    assert paged.status_code == 200 and 'rel="prev"' in paged.text and 'rel="next"' in paged.text
    assert "Page 2 of 3" in paged.text and "per_page=5" in paged.text
    today = client.get("/notifications", params={"open": "1"})
    assert today.status_code == 200 and 'name="open" type="checkbox" value="1" checked' in today.text
    bad = client.get("/notifications", params={"date_from": "yesterday"})
    assert bad.status_code == 422 and "not a date" in bad.text


def test_deadlines_calendar(client: Any) -> None:
    r = client.get("/notifications/deadlines.ics", params={"member": "KEN"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    text = r.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2
    assert "UID:deadline-G-SPS-N-KEN-9007@" in text
    assert "DTSTART;VALUE=DATE:" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert client.get("/notifications/deadlines.ics", params={"hs": "x"}).status_code == 422


def test_finder_inference_on_initialised_db(hs_db: Database) -> None:
    codes = finder_inferrer(hs_db)("roasted coffee beans")
    assert codes and codes[0].startswith("0901")


def test_deadlines_calendar_filters_by_product_and_member(client: Any) -> None:
    both = client.get("/notifications/deadlines.ics", params={"member": "KEN,EUN",
                                                              "hs": "0901,0902"})
    assert both.status_code == 200
    kenya = client.get("/notifications/deadlines.ics", params={"member": "Kenya"}).text
    assert kenya == client.get("/notifications/deadlines.ics", params={"member": "KEN"}).text
    for event in kenya.split("BEGIN:VEVENT")[1:]:
        assert "notification by KEN" in event
    # France also gets the EU's notifications
    france = client.get("/notifications/deadlines.ics", params={"member": "FRA"}).text
    eu = client.get("/notifications/deadlines.ics", params={"member": "EUN"}).text
    assert france.count("BEGIN:VEVENT") == eu.count("BEGIN:VEVENT")
    unknown = client.get("/notifications/deadlines.ics", params={"member": "Atlantis"})
    assert unknown.status_code == 422
    assert client.get("/notifications/deadlines.ics",
                      params={"product": "0901", "upcoming": "1"}).status_code == 200

"""SVG charts: well-formed XML, accessible names, escaped text, correct geometry."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tradewind.charts.svg import (
    SCALE,
    choropleth,
    nice_ceiling,
    score_colour,
    share_bars,
    short_number,
    trend_chart,
    world,
)

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_short_number_and_axis() -> None:
    assert short_number(0) == "0"
    assert short_number(1234) == "1.23k"
    assert short_number(5_600_000) == "5.6M"
    assert short_number(7.1e9) == "7.1bn"
    assert short_number(-2500) == "-2.5k"
    assert nice_ceiling(2.3e6) == 2.5e6
    assert nice_ceiling(101) == 200
    assert nice_ceiling(0) == 1.0


def test_trend_chart_bars_and_accessible_name() -> None:
    svg = trend_chart("t1", [(2019, 100.0), (2020, 200.0)], "Imports <of> coffee", "A & B",
                      highlight=[(2020, 50.0)], highlight_label="Kenya")
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t1-title t1-desc"
    assert root.find("s:title", NS).text == "Imports <of> coffee"  # escaped, then parsed back
    bars = root.findall("s:rect", NS)
    heights = [float(b.get("height")) for b in bars if b.find("s:title", NS) is not None]
    # Axis maximum is nice_ceiling(200) = 200, so the 2020 bar fills the plot (212 px) and the
    # 2019 bar half of it.
    assert heights == [pytest.approx(106.0), pytest.approx(212.0)]
    assert len(root.findall("s:circle", NS)) == 1


def test_empty_charts_say_no_data() -> None:
    assert "No data" in trend_chart("e", [], "t", "d")
    assert "No data" in share_bars("e2", [], "t", "d")


def test_share_bars_scale_to_the_largest_and_highlight() -> None:
    root = _parse(share_bars("b", [("Brazil", 0.5), ("Ethiopia", 0.25)], "t", "d",
                             highlight="Ethiopia"))
    rects = root.findall(".//s:rect", NS)
    assert float(rects[0].get("width")) == pytest.approx(2 * float(rects[1].get("width")))
    assert rects[0].get("fill") != rects[1].get("fill")
    assert "50.0%" in ET.tostring(root, encoding="unicode")


def test_score_colour_bins() -> None:
    assert score_colour(None) not in SCALE
    assert score_colour(0) == SCALE[0] and score_colour(19.9) == SCALE[0]
    assert score_colour(20) == SCALE[1] and score_colour(100) == SCALE[-1]


def test_world_geometry_is_small_and_iso3_keyed() -> None:
    geo = world()
    assert len(geo["paths"]) > 170
    assert {"DEU", "BRA", "ETH", "ZAF", "USA", "CHN"} <= set(geo["paths"])
    assert "ATA" not in geo["paths"]
    assert all(len(k) == 3 and k.isupper() for k in geo["paths"])


def test_choropleth_colours_links_and_outline() -> None:
    svg = choropleth("m", {"DEU": 90.0, "BRA": 10.0}, "Scores", "desc",
                     name=lambda iso3: {"DEU": "Germany"}.get(iso3, iso3),
                     link=lambda iso3: f"/stats/x?market={iso3}&a=1", highlight="ETH")
    root = _parse(svg)
    assert root.get("role") == "group"  # it holds links, so it is not an img
    links = root.findall(".//s:a", NS)
    assert len(links) == 2  # only scored countries are links
    assert {a.get("href") for a in links} == {"/stats/x?market=DEU&a=1",
                                              "/stats/x?market=BRA&a=1"}
    fills = {a.get("aria-label"): a.find("s:path", NS).get("fill") for a in links}
    assert fills["Germany: 90"] == SCALE[-1]
    assert "&amp;a=1" in svg  # attribute escaped in the markup
    assert any(p.get("stroke-width") == "2" for p in root.iter("{http://www.w3.org/2000/svg}path"))
    assert len(svg) < 150_000

"""The TopoJSON → ISO3 SVG-path converter on a tiny hand-made topology."""

from __future__ import annotations

import pytest

from tradewind.charts.worldgeo import convert, decode_arcs, ring_points, unwrap

TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1.0, 1.0], "translate": [-10.0, -10.0]},
    # Arc 0 is a square drawn with delta-encoded, quantised points; arc 1 a second shape.
    "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]],
             [[20, 20], [5, 0], [0, 5], [-5, -5]]],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0]], "id": "276", "properties": {"name": "Germany"}},
        {"type": "MultiPolygon", "arcs": [[[1]], [[~0]]], "id": "231",
         "properties": {"name": "Ethiopia"}},
        {"type": "Polygon", "arcs": [[0]], "id": "010", "properties": {"name": "Antarctica"}},
        {"type": "Polygon", "arcs": [[1]], "properties": {"name": "Kosovo"}},
        {"type": "Polygon", "arcs": [[1]], "id": "999", "properties": {"name": "Nowhere"}},
    ]}},
}


def test_decode_arcs_undoes_delta_and_quantisation() -> None:
    arcs = decode_arcs(TOPOLOGY)
    assert arcs[0] == [(-10, -10), (0, -10), (0, 0), (-10, 0), (-10, -10)]
    assert arcs[1][0] == (10, 10)


def test_negative_arc_index_is_reversed() -> None:
    arcs = decode_arcs(TOPOLOGY)
    assert ring_points([~0], arcs) == list(reversed(arcs[0]))


def test_unwrap_keeps_antimeridian_rings_in_one_piece() -> None:
    ring = [(179.0, 60.0), (-179.0, 60.0), (-179.0, 62.0), (179.0, 62.0)]
    lons = [lon for lon, _lat in unwrap(ring)]
    assert max(lons) - min(lons) == pytest.approx(2.0)


def test_convert_keys_by_iso3_and_reports_unmatched() -> None:
    result = convert(TOPOLOGY)
    assert set(result["paths"]) == {"DEU", "ETH", "XKX"}
    assert result["paths"]["DEU"].startswith("M") and result["paths"]["DEU"].endswith("Z")
    assert result["paths"]["ETH"].count("M") == 2  # both polygons of the MultiPolygon
    assert result["unmatched"] == ["999 Nowhere"]
    assert result["names"]["DEU"] == "Germany"

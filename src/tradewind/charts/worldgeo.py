"""Converts a TopoJSON world (npm ``world-atlas``) into the compact ISO3-keyed SVG paths we ship.

Run once by a developer, offline, on a file obtained with ``npm pack world-atlas``::

    python -m tradewind.charts.worldgeo /tmp/package/countries-110m.json \
        src/tradewind/charts/data/world-110m.json

The output maps ISO 3166 alpha-3 codes to SVG path data already projected (Natural Earth I
projection, Antarctica dropped) into a fixed view box, so that drawing a choropleth at request
time is string concatenation only.  Nothing here runs when the site serves pages.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pycountry

WIDTH = 960.0
# Names the source leaves without a numeric id; mapped by hand to ISO3 (Kosovo's XKX is the
# user-assigned code the World Bank and most trade sources use).
UNNUMBERED = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM"}
DROPPED = {"ATA"}  # Antarctica: no trade, and it takes a third of the picture


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Absolute (lon, lat) points of every arc (undoing quantisation and delta encoding)."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        points: list[tuple[float, float]] = []
        if transform:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Join a ring's arcs; a negative index ``~i`` means arc ``i`` reversed."""
    out: list[tuple[float, float]] = []
    for index in ring:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        out.extend(points if not out else points[1:])
    return out


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al. 2011 polynomial), unit sphere."""
    lam = math.radians(lon)
    phi = math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def _bounds() -> tuple[float, float, float, float]:
    x_max, _ = natural_earth(180.0, 0.0)
    _, y_top = natural_earth(0.0, 84.0)
    _, y_bottom = natural_earth(0.0, -58.0)
    return -x_max, x_max, y_bottom, y_top


def project(lon: float, lat: float) -> tuple[float, float]:
    """Screen coordinates in a ``WIDTH``-wide view box (y grows downwards)."""
    x0, x1, _y0, y1 = _bounds()
    x, y = natural_earth(lon, lat)
    scale = WIDTH / (x1 - x0)
    return (x - x0) * scale, (y1 - y) * scale


def view_height() -> float:
    x0, x1, y0, y1 = _bounds()
    return round((y1 - y0) * WIDTH / (x1 - x0), 1)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep a ring that crosses the antimeridian in one piece (longitudes may pass ±180).

    Without this, Russia and Fiji draw a stripe across the whole map; with it, the few
    points beyond the edge fall outside the view box and are clipped.
    """
    out: list[tuple[float, float]] = []
    offset = 0.0
    for i, (lon, lat) in enumerate(points):
        if i:
            previous = points[i - 1][0]
            if lon - previous > 180:
                offset -= 360
            elif previous - lon > 180:
                offset += 360
        out.append((lon + offset, lat))
    mean = sum(p[0] for p in out) / max(len(out), 1)
    if mean > 180:
        out = [(lon - 360, lat) for lon, lat in out]
    elif mean < -180:
        out = [(lon + 360, lat) for lon, lat in out]
    return out


def ring_path(points: list[tuple[float, float]]) -> str:
    """SVG path data of one closed ring at 1 px precision (the map is 960 px wide), repeated points dropped."""
    parts: list[str] = []
    last: tuple[float, float] | None = None
    for lon, lat in unwrap(points):
        x, y = project(lon, lat)
        here = (float(round(x)), float(round(y)))
        if here == last:
            continue
        parts.append(f"{here[0]:g},{here[1]:g}")
        last = here
    if len(parts) < 3:
        return ""
    return "M" + "L".join(parts) + "Z"


def iso3_of(geometry: dict[str, Any]) -> str | None:
    """ISO3 for a geometry's numeric id (or its name when it has none)."""
    ident = geometry.get("id")
    name = (geometry.get("properties") or {}).get("name", "")
    if ident is None:
        return UNNUMBERED.get(name)
    country = pycountry.countries.get(numeric=str(ident).zfill(3))
    return str(country.alpha_3) if country else None


def convert(topology: dict[str, Any], object_name: str = "countries") -> dict[str, Any]:
    """The compact map: ``{"width", "height", "paths": {ISO3: path}, "names": {ISO3: name}}``."""
    arcs = decode_arcs(topology)
    paths: dict[str, str] = {}
    names: dict[str, str] = {}
    unmatched: list[str] = []
    for geometry in topology["objects"][object_name]["geometries"]:
        iso3 = iso3_of(geometry)
        name = (geometry.get("properties") or {}).get("name", "")
        if iso3 is None:
            unmatched.append(f"{geometry.get('id')} {name}")
            continue
        if iso3 in DROPPED:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        data = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons
                       for ring in polygon)
        if data:
            # Disputed pieces without their own ISO code join their ISO3 country's shape.
            paths[iso3] = paths.get(iso3, "") + data
            names.setdefault(iso3, name)
    return {"width": WIDTH, "height": view_height(), "paths": dict(sorted(paths.items())),
            "names": dict(sorted(names.items())), "unmatched": unmatched}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m tradewind.charts.worldgeo COUNTRIES_TOPOJSON OUT_JSON")
        return 2
    topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    result = convert(topology)
    result["source"] = ("world-atlas (npm) countries-110m.json, Natural Earth 1:110m; "
                        "ISC licence, Copyright 2013-2019 Michael Bostock; Natural Earth is "
                        "public domain. Converted by tradewind.charts.worldgeo.")
    Path(argv[1]).write_text(json.dumps(result, separators=(",", ":")), encoding="utf-8")
    print(f"{len(result['paths'])} countries, unmatched: {result['unmatched']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Server-rendered SVG charts: light, no JavaScript, accessible.

Each chart is an inline ``<svg role="img">`` with a ``<title>`` and ``<desc>`` referenced by
``aria-labelledby``; pages put a data table next to it for screen readers and for people who
prefer numbers.  Text passed in is escaped here; callers pass already-translated strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from tradewind.i18n import gettext as _

WORLD_FILE = Path(__file__).parent / "data" / "world-110m.json"
# Sequential, colour-blind-safe blues (light → dark) for scores 0–20, 20–40 … 80–100.
SCALE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e9e9e9"
BAR = "#2c6e9b"
HIGHLIGHT = "#d9822b"


def short_number(value: float) -> str:
    """Compact human figure: 1 234 → "1.2k", 5 600 000 → "5.6M", 7.1e9 → "7.1bn"."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for limit, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if v >= limit:
            return f"{sign}{v / limit:.3g}{suffix}"
    return f"{sign}{v:.3g}" if v else "0"


def nice_ceiling(value: float) -> float:
    """The smallest 1/2/2.5/5 × 10^n at or above ``value`` (axis maximum)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10 ** exponent
        if candidate >= value * (1 - 1e-12):
            return float(candidate)
    return float(10 ** (exponent + 1))


def _open(ident: str, width: float, height: float, title: str, desc: str,
          extra_class: str = "", role: str = "img") -> list[str]:
    """Opening tag with title and description; ``role="group"`` when the chart holds links
    (an ``img`` must not contain interactive elements)."""
    classes = f"chart {extra_class}".strip()
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" '
        f'viewBox="0 0 {width:g} {height:g}" role="{role}" '
        f'aria-labelledby="{ident}-title {ident}-desc" id="{ident}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def trend_chart(ident: str, points: Sequence[tuple[int, float]], title: str, desc: str,
                unit: str = "USD", highlight: Sequence[tuple[int, float]] | None = None,
                highlight_label: str = "") -> str:
    """Vertical bars by year with a value axis; an optional second series drawn as a line
    (e.g. the origin's exports to the market under the market's total imports)."""
    width, height = 640.0, 260.0
    left, right, top, bottom = 64.0, 12.0, 16.0, 32.0
    out = _open(ident, width, height, title, desc)
    if not points:
        out.append(f'<text x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle">'
                   f'{escape(_("No data"))}</text></svg>')
        return "".join(out)
    top_value = nice_ceiling(max([v for _y, v in points] + [v for _y, v in highlight or []]))
    plot_w, plot_h = width - left - right, height - top - bottom
    out.append('<g class="axis" font-size="11" fill="#555">')
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h * (1 - i / 4)
        out.append(f'<line x1="{left:g}" x2="{width - right:g}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{left - 6:g}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(short_number(value))}</text>')
    out.append(f'<text x="4" y="{top + 4:g}" font-size="10">{escape(unit)}</text></g>')
    slot = plot_w / len(points)
    bar_w = min(slot * 0.6, 56.0)
    for i, (year, value) in enumerate(points):
        h = plot_h * value / top_value
        x = left + i * slot + (slot - bar_w) / 2
        out.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" '
                   f'height="{h:.1f}" fill="{BAR}"><title>{year}: '
                   f'{escape(short_number(value))} {escape(unit)}</title></rect>')
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 12:g}" font-size="11" '
                   f'text-anchor="middle">{year}</text>')
    if highlight:
        by_year = dict(highlight)
        coords = []
        for i, (year, _v) in enumerate(points):
            if year in by_year:
                cx = left + i * slot + slot / 2
                cy = top + plot_h * (1 - by_year[year] / top_value)
                coords.append((cx, cy, year, by_year[year]))
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _yr, _v in coords)
            out.append(f'<polyline points="{path}" fill="none" stroke="{HIGHLIGHT}" '
                       f'stroke-width="2.5"/>')
            for x, y, year, value in coords:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{HIGHLIGHT}">'
                           f'<title>{escape(highlight_label)} {year}: '
                           f'{escape(short_number(value))}</title></circle>')
            out.append(f'<g font-size="11"><rect x="{left + 8:g}" y="{top:g}" width="10" '
                       f'height="10" fill="{HIGHLIGHT}"/><text x="{left + 22:g}" '
                       f'y="{top + 9:g}">{escape(highlight_label)}</text></g>')
    out.append("</svg>")
    return "".join(out)


def percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def share_bars(ident: str, items: Sequence[tuple[str, float]], title: str, desc: str,
               highlight: str | None = None, fmt: Callable[[float], str] = percent) -> str:
    """Horizontal bars, one per label in the order given; values are shares (0–1) by default,
    or anything non-negative with another ``fmt`` (e.g. USD with :func:`short_number`)."""
    row_h = 24.0
    label_w, width = 170.0, 640.0
    height = max(row_h * len(items) + 12, 40.0)
    out = _open(ident, width, height, title, desc)
    if not items:
        out.append(f'<text x="10" y="24">{escape(_("No data"))}</text></svg>')
        return "".join(out)
    biggest = max(share for _l, share in items) or 1.0
    bar_space = width - label_w - 70
    out.append('<g font-size="12">')
    for i, (label, share) in enumerate(items):
        y = 6 + i * row_h
        w = bar_space * share / biggest
        colour = HIGHLIGHT if highlight is not None and label == highlight else BAR
        shown = label if len(label) <= 26 else label[:25] + "…"
        out.append(f'<text x="{label_w - 6:g}" y="{y + 15:g}" text-anchor="end">'
                   f'{escape(shown)}</text>')
        out.append(f'<rect x="{label_w:g}" y="{y + 3:g}" width="{max(w, 1):.1f}" height="16" '
                   f'fill="{colour}"><title>{escape(label)}: {escape(fmt(share))}</title></rect>')
        out.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 15:g}">{escape(fmt(share))}</text>')
    out.append("</g></svg>")
    return "".join(out)


@lru_cache(maxsize=1)
def world() -> dict[str, Any]:
    """The vendored world geometry (ISO3 → projected SVG path), read once."""
    return json.loads(WORLD_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def score_colour(score: float | None) -> str:
    if score is None:
        return NO_DATA
    index = min(int(max(score, 0.0) // 20), len(SCALE) - 1)
    return SCALE[index]


@dataclass(frozen=True)
class MapLegend:
    label: str
    colour: str


def legend() -> list[MapLegend]:
    """Legend entries, also used by the page's text alternative."""
    items = [MapLegend(f"{i * 20}–{(i + 1) * 20}", colour) for i, colour in enumerate(SCALE)]
    return [*items, MapLegend(_("no data"), NO_DATA)]


def choropleth(ident: str, scores: Mapping[str, float | None], title: str, desc: str,
               name: Callable[[str], str] = lambda iso3: iso3,
               link: Callable[[str], str] | None = None, highlight: str | None = None) -> str:
    """A world map coloured by score (0–100) per ISO3 country; the origin outlined.

    Countries without a score are grey.  With ``link``, each scored country is a link (e.g.
    to its statistics page), so the map is usable with a keyboard too.
    """
    geo = world()
    width, height = float(geo["width"]), float(geo["height"])
    out = _open(ident, width, height + 34, title, desc, "map",
                role="img" if link is None else "group")
    out.append(f'<rect width="{width:g}" height="{height:g}" fill="#f6fafd"/>')
    out.append('<g stroke="#fff" stroke-width="0.5">')
    for iso3, path in geo["paths"].items():
        score = scores.get(iso3)
        label = name(iso3)
        tip = f"{label}: {score:.0f}" if score is not None else f"{label}: {_('no data')}"
        shape = (f'<path d="{path}" fill="{score_colour(score)}"><title>{escape(tip)}</title>'
                 f'</path>')
        if link is not None and score is not None:
            shape = f'<a href="{escape(link(iso3))}" aria-label="{escape(tip)}">{shape}</a>'
        out.append(shape)
    out.append("</g>")
    if highlight and highlight in geo["paths"]:
        out.append(f'<path d="{geo["paths"][highlight]}" fill="none" stroke="{HIGHLIGHT}" '
                   f'stroke-width="2"><title>{escape(name(highlight))}</title></path>')
    out.append(f'<g font-size="12" transform="translate(10 {height + 8:g})">')
    for i, item in enumerate(legend()):
        x = i * 92
        out.append(f'<rect x="{x}" y="0" width="18" height="14" fill="{item.colour}" '
                   f'stroke="#999" stroke-width="0.5"/><text x="{x + 24}" y="12">'
                   f'{escape(item.label)}</text>')
    out.append("</g></svg>")
    return "".join(out)

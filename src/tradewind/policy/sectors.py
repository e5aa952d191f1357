"""HS sections as chapter ranges (HS 2022), for the sector filter and the rollup cube."""

from __future__ import annotations

SECTIONS: dict[str, tuple[int, int]] = {
    "I": (1, 5), "II": (6, 14), "III": (15, 15), "IV": (16, 24), "V": (25, 27),
    "VI": (28, 38), "VII": (39, 40), "VIII": (41, 43), "IX": (44, 46), "X": (47, 49),
    "XI": (50, 63), "XII": (64, 67), "XIII": (68, 70), "XIV": (71, 71), "XV": (72, 83),
    "XVI": (84, 85), "XVII": (86, 89), "XVIII": (90, 92), "XIX": (93, 93), "XX": (94, 96),
    "XXI": (97, 97),
}
ALL = "*"
_SECTION_OF = {f"{c:02d}": s for s, (lo, hi) in SECTIONS.items() for c in range(lo, hi + 1)}


def sectors_of(hs: str) -> tuple[str, ...]:
    """The sector cells an event with product ``hs`` counts in: all, its section, its chapter."""
    chapter = hs[:2]
    section = _SECTION_OF.get(chapter)
    if section is None:
        return (ALL,)
    return (ALL, section, chapter)

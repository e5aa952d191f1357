"""Named reads of bilateral geography (distance, contiguity, language, colonial ties)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from tradewind.flows.models import country_pairs


@dataclass(frozen=True)
class Pair:
    destination: str
    distance_km: float
    contiguous: bool
    common_official_language: bool
    common_language: bool
    colonial_link: bool
    common_colonizer: bool


def pairs_from(conn: Connection, origin: str) -> dict[str, Pair]:
    """Every destination's geography as seen from ``origin`` (ISO3) — one indexed read."""
    c = country_pairs.c
    rows = conn.execute(select(c.destination, c.distance_km, c.contiguous,
                               c.common_official_language, c.common_language,
                               c.colonial_link, c.common_colonizer)
                        .where(c.origin == origin.upper()))
    return {r.destination: Pair(r.destination, float(r.distance_km), bool(r.contiguous),
                                bool(r.common_official_language), bool(r.common_language),
                                bool(r.colonial_link), bool(r.common_colonizer))
            for r in rows}

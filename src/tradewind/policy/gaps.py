"""Data gaps as a to-do list: the imports that would answer the most questions.

A question whose answer said "no data" (no tariff schedule for the destination, no
requirements imported for the market, no trade flows for the product) is counted against the
dataset that would have answered it; each gap links to the section of docs/data-import.md
that explains the import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection

from tradewind.i18n import lazy_noop as N_
from tradewind.policy.queries import Filters, gap_counts

DOCS_PATH = "docs/data-import.md"
# kind of question → (dataset wording, heading of docs/data-import.md, dimension)
GAP_KINDS: dict[str, tuple[str, str, str]] = {
    "access": (N_("Tariff schedule of %(place)s"), "Tariff schedules and agreements",
               "destination"),
    "cost": (N_("Tariff schedule of %(place)s"), "Tariff schedules and agreements",
             "destination"),
    "requirements": (N_("Non-tariff requirements of %(place)s"),
                     "Non-tariff requirements — `tradewind import requirements-csv FILE.csv`",
                     "destination"),
    "markets": (N_("Trade flows for exports from %(place)s"),
                "Trade flows, indicators and distances", "origin"),
    "market_products": (N_("Trade flows for imports of %(place)s"),
                        "Trade flows, indicators and distances", "destination"),
}


def github_anchor(heading: str) -> str:
    """The anchor GitHub (and most Markdown renderers) give a heading."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text, flags=re.UNICODE)
    return text.replace(" ", "-")


@dataclass(frozen=True)
class Gap:
    dataset: str  # the wording key, e.g. "Tariff schedule of %(place)s"
    economy: str  # ISO3 ('' when unknown)
    questions: int
    kinds: tuple[str, ...]
    docs: str  # "docs/data-import.md#anchor"


def data_gaps(conn: Connection, f: Filters, k: int, limit: int = 20) -> list[Gap]:
    """Unanswered-for-lack-of-data questions grouped by the import that would answer them."""
    merged: dict[tuple[str, str], tuple[int, set[str], str]] = {}
    for row in gap_counts(conn, f):
        if row["kind"] not in GAP_KINDS:
            continue
        wording, heading, _dimension = GAP_KINDS[row["kind"]]
        key = (wording, row["economy"])
        count, kinds, _docs = merged.get(key, (0, set(), ""))
        kinds.add(row["kind"])
        merged[key] = (count + int(row["n"]), kinds, f"{DOCS_PATH}#{github_anchor(heading)}")
    gaps = [Gap(w, e, n, tuple(sorted(kinds)), docs)
            for (w, e), (n, kinds, docs) in merged.items() if n >= k]
    gaps.sort(key=lambda g: (-g.questions, g.dataset, g.economy))
    return gaps[:limit]

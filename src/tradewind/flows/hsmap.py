"""Vectorised mapping of six-digit codes of any HS edition to HS 2022, for bulk flow imports.

Split rule (documented in docs/data-import.md and recorded in each dataset's notes): when
one source code corresponds to several HS 2022 codes (1:n), its value and quantity are
split EQUALLY across the targets, in whole USD and whole kg, the remainder going to the
first target so that totals are preserved exactly.  When several source codes map to one
HS 2022 code (n:1) their flows are summed.  Source codes with no HS 2022 target are
dropped and reported with their row count and value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection

from tradewind.errors import ImportFailed, NotFound
from tradewind.i18n import lazy_noop as N_

SPLIT_RULE = ("HS codes were mapped to HS 2022 with the UNSD correlation tables: a code that "
              "splits into n HS 2022 codes has its value and quantity divided equally among "
              "them (whole USD/kg, remainder to the first); codes that merge are summed.")
_SPACE = 1_000_000  # six-digit codes as integers 0..999999


@dataclass
class Unmapped:
    rows: int = 0
    value_usd: int = 0


@dataclass
class HsMapper:
    """Maps arrays of source codes to HS 2022 codes, splitting rows where needed."""

    edition: str
    start: np.ndarray  # per source code: index of its first target in ``targets``
    count: np.ndarray  # per source code: number of targets (0 = unknown)
    targets: np.ndarray
    unmapped: dict[int, Unmapped] = field(default_factory=dict)
    split_rows: int = 0

    @property
    def identity(self) -> bool:
        return self.edition == "HS2022"

    def map(self, hs: np.ndarray, value: np.ndarray, quantity: np.ndarray,
            *others: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                          tuple[np.ndarray, ...]]:
        """(hs2022, value, quantity, others) with rows repeated for 1:n splits."""
        counts = self.count[hs]
        unknown = counts == 0
        if unknown.any():
            codes, inverse = np.unique(hs[unknown], return_inverse=True)
            sums = np.bincount(inverse, weights=value[unknown].astype(np.float64))
            rows = np.bincount(inverse)
            for code, s, r in zip(codes.tolist(), sums.tolist(), rows.tolist(), strict=True):
                entry = self.unmapped.setdefault(int(code), Unmapped())
                entry.rows += int(r)
                entry.value_usd += round(s)
            keep = ~unknown
            hs, value, quantity, counts = hs[keep], value[keep], quantity[keep], counts[keep]
            others = tuple(o[keep] for o in others)
        if bool((counts == 1).all()):
            return self.targets[self.start[hs]], value, quantity, others
        self.split_rows += int((counts > 1).sum())
        rep = np.repeat(np.arange(hs.shape[0]), counts)
        first = np.ones(rep.shape[0], dtype=bool)
        first[1:] = rep[1:] != rep[:-1]
        offset = np.arange(rep.shape[0]) - np.flatnonzero(first)[np.cumsum(first) - 1]
        out_hs = self.targets[self.start[hs][rep] + offset]
        c = counts[rep].astype(np.int64)
        v = value[rep]
        out_v = v // c + np.where(first, v % c, 0)
        q = quantity[rep]
        out_q = np.where(q < 0, q, q // c + np.where(first, q % c, 0))
        return out_hs, out_v, out_q, tuple(o[rep] for o in others)


def build_mapper(conn: Connection, edition: str) -> HsMapper:
    """A mapper from ``edition`` to HS 2022, from the concordance tables in the database."""
    from tradewind.nomenclature.codes import normalize_edition

    edition = normalize_edition(edition)
    if edition == "HS2022":
        from tradewind.nomenclature.queries import edition_codes

        mapping = {c: [c] for c in edition_codes(conn, "HS2022", level=6)}
        if not mapping:
            raise ImportFailed(N_("HS 2022 is not loaded; run `tradewind init` first"))
    else:
        from tradewind.nomenclature.concordance import correspondence

        try:
            mapping = correspondence(conn, edition, "HS2022")
        except NotFound:
            mapping = {}
        if not mapping:
            raise ImportFailed(
                N_("Flows in %(edition)s must be mapped to HS 2022, but no %(edition)s ↔ HS2022 "
                "correlation table is loaded. Import the UNSD table first, e.g. "
                "`tradewind import concordance HS2022to%(edition)s"
                "ConversionAndCorrelationTables.xlsx`, then run this import again."), edition=edition)
    start = np.zeros(_SPACE, dtype=np.int64)
    count = np.zeros(_SPACE, dtype=np.int64)
    flat: list[int] = []
    for source, targets in mapping.items():
        if not (source.isdigit() and len(source) == 6):
            continue
        code = int(source)
        start[code] = len(flat)
        count[code] = len(targets)
        flat.extend(int(t) for t in targets)
    return HsMapper(edition=edition, start=start, count=count,
                    targets=np.asarray(flat, dtype=np.int32))

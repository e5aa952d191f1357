"""The duty lookups of one market ranking (one product, one date), with few statements.

A ranking asks the best duty of the origin and of three rivals in every market with a
schedule: a hundred and more lookups.  Asked one by one through the public tariff functions
each costs about ten statements (the schedule, the origin's groups, the destination's
customs unions, three rate queries, the agreement parties, the additional duties).  Here the
parts that do not depend on the product (the schedule of a market, the groups of an
economy, a destination's customs unions, the parties to agreements, which economies have
additional duties at all) come from the cache of derived figures, kept per
data version (:func:`tradewind.markets.links.cached`: any import recomputes them), and a
schedule's rates of the product (MFN, preferential and additional) are read in one
statement shared by the origin and its rivals.  The answer is the one
:func:`tradewind.markets.links.best_rate` gives pair by pair (a test compares them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection

RATE_TYPES = ("mfn", "preferential", "additional")


class ProductRates:
    """Best duties of one product on one date, for any market and origin."""

    def __init__(self, queries: Any, conn: Connection, hs6: str, as_of: date,
                 version: tuple[Any, ...]) -> None:
        self.queries, self.conn, self.hs6, self.as_of = queries, conn, hs6, as_of
        self.version = version
        self._rows: dict[int, dict[str, list[Any]]] = {}
        self._mfn: dict[str, list[float]] = {}  # market -> its MFN rates as percentages

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        from tradewind.markets.links import cached

        return cached(self.conn, (*key, self.as_of), compute, self.version)

    def schedule(self, market: str) -> Any:
        return self._cached(("tariff-schedule", market),
                            lambda: self.queries.schedule_for(self.conn, market, self.as_of))

    def economy_codes(self, economy: str) -> list[str]:
        from tradewind.agreements.queries import economy_codes

        return list(self._cached(("economy-codes", economy),
                                 lambda: tuple(economy_codes(self.conn, economy, self.as_of))))

    def destination_codes(self, market: str) -> list[str]:
        return list(self._cached(("destination-economies", market), lambda: tuple(
            self.queries.destination_economies(self.conn, market, self.as_of))))

    def parties(self, rows: list[Any], codes: list[str]) -> dict[int, str]:
        """The party through which ``codes`` take part in the agreements the rows name
        (agreements do not depend on the product: kept per data version)."""
        ids = tuple(sorted({r.agreement_id for r in rows if r.agreement_id is not None}))
        if not ids:
            return {}
        return dict(self._cached(("qualifying-parties", ids, tuple(codes)), lambda: dict(
            self.queries.parties_for(self.conn, rows, codes, self.as_of))))

    def with_additional_duties(self) -> frozenset[str]:
        """Economies with an additional-duty measure in force (the others need no query)."""
        from sqlalchemy import select

        from tradewind.agreements.queries import valid_on
        from tradewind.tariffs.models import additional_duties as table

        return frozenset(self._cached(("additional-duty-economies",), lambda: frozenset(
            self.conn.execute(select(table.c.economy).distinct().where(
                valid_on(table.c.valid_from, table.c.valid_to, self.as_of))).scalars())))

    def rows(self, schedule: Any) -> dict[str, list[Any]]:
        """The schedule's valid rate rows of the product by type, in line order."""
        found = self._rows.get(schedule.id)
        if found is None:
            found = self._rows[schedule.id] = {t: [] for t in RATE_TYPES}
            for row in self.queries.rate_rows_of(self.conn, schedule, self.hs6, RATE_TYPES,
                                           self.as_of):
                found[row.rate_type].append(row)
        return found

    def best(self, market: str, who: str, percent: Callable[[Any], float | None]
             ) -> float | None:
        """Lowest MFN or preferential rate open to ``who`` in ``market`` plus the additional
        duties on it (the rules of :func:`tradewind.markets.links.best_rate`); ``percent``
        gives a rate or an additional duty as a percentage (None: not expressible), with one
        pricing per market for the life of this object (a ranking)."""
        queries, conn, day = self.queries, self.conn, self.as_of
        schedule = self.schedule(market)
        if schedule is None:
            return None
        rows = self.rows(schedule)
        mfn = self._mfn.get(market)
        if mfn is None:  # the same for every origin (one pricing per market and ranking)
            mfn = self._mfn[market] = [v for v in (percent(queries.rate_from_row(r, schedule.economy))
                                                   for r in rows["mfn"]) if v is not None]
        if not mfn:
            return None
        best = min(mfn)
        codes = self.economy_codes(who)
        parties = self.parties([*rows["preferential"], *rows["additional"]], codes)
        prefs = [v for v in (percent(queries.rate_from_row(r, schedule.economy, via))
                             for r, via in queries.qualifying_rows(rows["preferential"], codes,
                                                               parties)) if v is not None]
        if prefs:
            best = min(best, *prefs)
        economies = self.destination_codes(market)
        measured = (queries.measure_duties(conn, economies, self.hs6, codes, day)
                    if self.with_additional_duties().intersection(economies) else [])
        extras = [*measured,
                  *(queries.line_additional_duty(r, schedule.economy)
                    for r, _via in queries.qualifying_rows(rows["additional"], codes, parties))]
        for extra in extras:
            value = percent(extra)
            if value is not None:
                best += value
        return best


def supported(queries: Any) -> bool:
    """True when the tariff module has the pieces read here (else: pair by pair)."""
    return all(hasattr(queries, name) for name in (
        "schedule_for", "destination_economies", "rate_rows_of", "rate_from_row", "qualifying_rows",
        "parties_for", "measure_duties", "line_additional_duty"))

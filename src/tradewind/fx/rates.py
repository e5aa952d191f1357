"""Look up imported rates and convert amounts, showing the rate and its date.

Rates are stored against a base (EUR for the ECB file, USD for the CSV template).  A pair
such as KES→JPY is computed through a base that knows both currencies (EUR first, then USD),
using for each leg the latest rate on or before ``as_of``.  No rate, no conversion: the
caller gets :class:`~tradewind.errors.NotFound` naming what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, literal, select, union, union_all

from tradewind.datasets.models import datasets
from tradewind.errors import InvalidInput, NotFound
from tradewind.fx.models import fx_rates
from tradewind.i18n import lazy_noop as N_

BASES = ("EUR", "USD")
STALE_AFTER_DAYS = 14
_CCY = re.compile(r"^[A-Z]{3}$")


def normalize_currency(text: str) -> str:
    """Upper-case ISO 4217 code; raises InvalidInput for anything else."""
    code = (text or "").strip().upper()
    if not _CCY.match(code):
        raise InvalidInput(N_("%(text)r is not a currency code: use three letters such as USD or "
                              "EUR"), text=text)
    return code


@dataclass(frozen=True)
class FxRate:
    """One stored rate: 1 ``base`` = ``rate`` ``currency`` on ``rate_date``."""

    base: str
    currency: str
    rate: Decimal
    rate_date: date
    dataset_id: int | None
    is_sample: bool


@dataclass(frozen=True)
class Conversion:
    """An amount converted, with everything needed to show how."""

    amount: Decimal
    converted: Decimal
    from_currency: str
    to_currency: str
    rate: Decimal  # 1 from_currency = rate to_currency
    rate_date: date | None  # the older of the dates of the legs used; None when same currency
    via: str | None  # the base the cross rate went through
    legs: tuple[FxRate, ...] = field(default_factory=tuple)
    as_of: date | None = None

    @property
    def is_sample(self) -> bool:
        return any(leg.is_sample for leg in self.legs)

    @property
    def stale(self) -> bool:
        """True when the rate used is more than :data:`STALE_AFTER_DAYS` older than ``as_of``."""
        if self.rate_date is None or self.as_of is None:
            return False
        return (self.as_of - self.rate_date).days > STALE_AFTER_DAYS

    @property
    def dataset_ids(self) -> list[int]:
        return sorted({leg.dataset_id for leg in self.legs if leg.dataset_id is not None})

    def as_dict(self) -> dict[str, Any]:
        return {
            "amount": str(self.amount),
            "converted": str(self.converted),
            "from": self.from_currency,
            "to": self.to_currency,
            "rate": str(self.rate),
            "rate_date": self.rate_date.isoformat() if self.rate_date else None,
            "via": self.via,
            "stale": self.stale,
            "sample": self.is_sample,
            "dataset_ids": self.dataset_ids,
        }


def _to_decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


# Prepared once: this runs for every leg of every conversion (the landed-cost hot path).
_LATEST = (
    select(fx_rates.c.rate, fx_rates.c.rate_date, fx_rates.c.dataset_id, datasets.c.is_sample)
    .join(datasets, datasets.c.id == fx_rates.c.dataset_id)
    .where(fx_rates.c.base == bindparam("base"), fx_rates.c.currency == bindparam("currency"),
           fx_rates.c.rate_date <= bindparam("as_of", type_=fx_rates.c.rate_date.type))
    .order_by(fx_rates.c.rate_date.desc(), fx_rates.c.dataset_id.desc())
    .limit(1))


def latest_rate(conn: Connection, base: str, currency: str, as_of: date) -> FxRate | None:
    """The most recent stored rate for base→currency on or before ``as_of`` (newest import wins)."""
    row = conn.execute(_LATEST, {"base": base, "currency": currency, "as_of": as_of}).first()
    if row is None:
        return None
    return FxRate(base=base, currency=currency, rate=_to_decimal(row.rate),
                  rate_date=row.rate_date, dataset_id=row.dataset_id,
                  is_sample=bool(row.is_sample))


def _latest_pair(pair: int) -> Any:
    """The latest rate of one (base, currency) pair, as a subquery for :data:`_LEGS`."""
    return (select(literal(pair).label("pair"), fx_rates.c.rate, fx_rates.c.rate_date,
                   fx_rates.c.dataset_id, datasets.c.is_sample)
            .join(datasets, datasets.c.id == fx_rates.c.dataset_id)
            .where(fx_rates.c.base == bindparam(f"b{pair}"),
                   fx_rates.c.currency == bindparam(f"c{pair}"),
                   fx_rates.c.rate_date <= bindparam("as_of",
                                                     type_=fx_rates.c.rate_date.type))
            .order_by(fx_rates.c.rate_date.desc(), fx_rates.c.dataset_id.desc())
            .limit(1).subquery(f"p{pair}"))


_PAIRS = 6
# Every leg a conversion may use, in one round trip: (EUR, from), (EUR, to), (USD, from),
# (USD, to), (from, to), (to, from).
_LEGS = union_all(*(select(sub) for sub in (_latest_pair(n) for n in range(_PAIRS))))


def _legs(conn: Connection, source: str, target: str, as_of: date) -> dict[tuple[str, str], FxRate]:
    pairs = [(BASES[0], source), (BASES[0], target), (BASES[1], source), (BASES[1], target),
             (source, target), (target, source)]
    params: dict[str, Any] = {"as_of": as_of}
    for n, (base, currency) in enumerate(pairs):
        params[f"b{n}"], params[f"c{n}"] = base, currency
    found: dict[tuple[str, str], FxRate] = {}
    for row in conn.execute(_LEGS, params):
        base, currency = pairs[row.pair]
        if base != currency:
            found[(base, currency)] = FxRate(
                base=base, currency=currency, rate=_to_decimal(row.rate),
                rate_date=row.rate_date, dataset_id=row.dataset_id,
                is_sample=bool(row.is_sample))
    return found


def convert(conn: Connection, amount: Decimal | float | int | str, from_ccy: str, to_ccy: str,
            as_of: date) -> Conversion:
    """Convert ``amount`` from one currency to another with the rates known on ``as_of``.

    Raises NotFound when no imported rate links the two currencies on or before that date.
    """
    source = normalize_currency(from_ccy)
    target = normalize_currency(to_ccy)
    value = Decimal(str(amount))
    if source == target:
        return Conversion(amount=value, converted=value, from_currency=source,
                          to_currency=target, rate=Decimal(1), rate_date=None, via=None,
                          as_of=as_of)
    legs = _legs(conn, source, target, as_of)
    best: Conversion | None = None
    # EUR and USD carry cross rates; the pair's own currencies catch direct rows (GBP→BRL).
    for base in dict.fromkeys((*BASES, source, target)):
        from_leg = legs.get((base, source))
        to_leg = legs.get((base, target))
        if (source != base and from_leg is None) or (target != base and to_leg is None):
            continue
        from_rate = from_leg.rate if from_leg else Decimal(1)
        to_rate = to_leg.rate if to_leg else Decimal(1)
        used = tuple(leg for leg in (from_leg, to_leg) if leg is not None)
        rate = to_rate / from_rate
        candidate = Conversion(
            amount=value, converted=value * rate, from_currency=source, to_currency=target,
            rate=rate, rate_date=min(leg.rate_date for leg in used),
            via=base if source != base and target != base else None, legs=used, as_of=as_of,
        )
        if best is None or (candidate.rate_date or date.min) > (best.rate_date or date.min):
            best = candidate
    if best is None:
        raise NotFound(
            N_("no exchange rate from %(source)s to %(target)s is known on or "
               "before %(as_of)s: import rates with `tradewind import fx-ecb` or "
               "`fx-csv`"), source=source, target=target, as_of=as_of.isoformat()
        )
    return best


def known_currencies(conn: Connection) -> list[str]:
    """Every currency that appears in the imported rates (bases included)."""
    query = union(select(fx_rates.c.currency).distinct(), select(fx_rates.c.base).distinct())
    return sorted({row[0] for row in conn.execute(query)})

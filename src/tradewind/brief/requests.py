"""The brief's inputs from text (query strings, CLI options, MCP arguments), shared so all
accept and refuse the same input."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection

from tradewind.access.requests import parse_date, require
from tradewind.brief.compose import Brief, compose_brief
from tradewind.costs.incoterms import get_incoterm
from tradewind.costs.service import parse_amount
from tradewind.db import Database
from tradewind.fx.rates import normalize_currency


@dataclass(frozen=True)
class BriefForm:
    product: str = ""
    origin: str = ""
    destination: str = ""
    date: str = ""
    incoterm: str = ""
    value: str = ""
    currency: str = "USD"

    @property
    def is_empty(self) -> bool:
        return not any((self.product, self.origin, self.destination))

    def compose(self, db: Database, conn: Connection) -> Brief:
        value: Decimal | None = parse_amount(self.value, "value")
        incoterm = get_incoterm(self.incoterm).code if self.incoterm.strip() else None
        return compose_brief(db, conn, require(self.product, "product"),
                             require(self.origin, "origin"),
                             require(self.destination, "destination"),
                             parse_date(self.date), incoterm, value,
                             normalize_currency(self.currency or "USD"))

    def query(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

"""The market-access answer: duties, preferences, quotas and taxes for one trade on one date."""

from tradewind.access.answer import MarketAccessAnswer, market_access

__all__ = ["MarketAccessAnswer", "market_access"]

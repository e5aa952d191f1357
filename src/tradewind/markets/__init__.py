"""Market finder: an explainable export-potential score (supply, demand, access, ease)."""

from tradewind.markets.finder import Ranking, rank_markets, rank_products
from tradewind.markets.scoring import DEFAULT_WEIGHTS, Weights

__all__ = ["DEFAULT_WEIGHTS", "Ranking", "Weights", "rank_markets", "rank_products"]

"""Currency conversion with rates the operator imports (never guessed)."""

from tradewind.fx.rates import Conversion, FxRate, convert, known_currencies, latest_rate

__all__ = ["Conversion", "FxRate", "convert", "known_currencies", "latest_rate"]

"""The market brief: one composed answer for a product, an origin and a destination."""

from tradewind.brief.compose import Brief, compose_brief

__all__ = ["Brief", "compose_brief"]

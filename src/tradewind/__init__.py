"""Tradewind: a self-hostable trade helpdesk for micro, small and medium-sized enterprises."""

__version__ = "0.1.0"

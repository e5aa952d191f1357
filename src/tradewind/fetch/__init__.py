"""Explicit download commands (``tradewind fetch …``): never called at run time."""

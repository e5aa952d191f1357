"""Command-line interface: ``tradewind …``.  Importing the feature modules registers commands."""

# Feature command modules (each owned by its feature package):
from tradewind.cli import (
    core,  # noqa: F401
    hs,  # noqa: F401
)
from tradewind.cli.app import app


def main() -> None:
    app()

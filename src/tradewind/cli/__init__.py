"""Command-line interface: ``tradewind …``.  Importing the feature modules registers commands."""

# Feature command modules (each owned by its feature package):
from tradewind.cli import (
    assistant,  # noqa: F401
    brief,  # noqa: F401
    core,  # noqa: F401
    finder,  # noqa: F401
    finder_evidence,  # noqa: F401
    finder_train,  # noqa: F401
    flows,  # noqa: F401
    hs,  # noqa: F401
    markets,  # noqa: F401
    nomenclature,  # noqa: F401
    notifications,  # noqa: F401
    origin,  # noqa: F401
    platform,  # noqa: F401
    policy,  # noqa: F401
    requirements,  # noqa: F401
    tariffs,  # noqa: F401
    tariffs_import,  # noqa: F401
    watch,  # noqa: F401
)
from tradewind.cli.app import app


def main() -> None:
    app()

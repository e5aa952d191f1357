"""Tariffs, agreements, currency rates.

Revision ID: 0005_tariffs
Revises: 0004_platform
"""
from collections.abc import Sequence

revision: str = "0005_tariffs"
down_revision: str | None = "0004_platform"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

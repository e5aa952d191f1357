"""Market finder.

Revision ID: 0007_markets
Revises: 0006_flows
"""
from collections.abc import Sequence

revision: str = "0007_markets"
down_revision: str | None = "0006_flows"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""Trade flows and economic indicators.

Revision ID: 0006_flows
Revises: 0005_tariffs
"""
from collections.abc import Sequence

revision: str = "0006_flows"
down_revision: str | None = "0005_tariffs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

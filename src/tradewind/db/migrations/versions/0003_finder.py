"""Product finder index (product finder issue).

Revision ID: 0003_finder
Revises: 0002_nomenclature
"""
from collections.abc import Sequence

revision: str = "0003_finder"
down_revision: str | None = "0002_nomenclature"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""Trade4MSMEs platform: accounts, audit, guides, library, glossary, network, champions, working group.

Revision ID: 0004_platform
Revises: 0003_finder
"""
from collections.abc import Sequence

revision: str = "0004_platform"
down_revision: str | None = "0003_finder"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

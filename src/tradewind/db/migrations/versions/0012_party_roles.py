"""Roles of agreement parties: grantor and beneficiaries of one-way preference schemes.

Revision ID: 0012_party_roles
Revises: 0011_watch
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_party_roles"
down_revision: str | None = "0011_watch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agreement_parties") as batch:
        batch.add_column(sa.Column("role", sa.String(12), nullable=False,
                                   server_default="party"))


def downgrade() -> None:
    with op.batch_alter_table("agreement_parties") as batch:
        batch.drop_column("role")

"""Rules of origin and requirements speed (issue 9).

* ``product_specific_rules`` gains the published wording of the rule (``legal_text``), its
  legal reference and notes, filled by ``tradewind import origin-rules-csv``.
* Composite indexes for the requirements answer: measures by economy and dataset (whether a
  market is covered, and by which datasets, is a seek per dataset), product codes and
  notification codes covering their parent id (the answer drives from the HS code).

Revision ID: 0021_origin_rules
Revises: 0019_aggregate_cache
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_origin_rules"
down_revision: str | None = "0019_aggregate_cache"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("product_specific_rules") as batch:
        batch.add_column(sa.Column("legal_text", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("legal_reference", sa.String(400), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("notes", sa.Text, nullable=False, server_default=""))
    op.drop_index("ix_measures_economy", table_name="measures")
    op.create_index("ix_measures_economy_dataset", "measures",
                    ["economy", "dataset_id", "deleted_at"])
    op.drop_index("ix_measure_products_hs_code", table_name="measure_products")
    op.create_index("ix_measure_products_hs_code_measure", "measure_products",
                    ["hs_code", "measure_id"])
    op.drop_index("ix_notification_hs_hs_code", table_name="notification_hs")
    op.create_index("ix_notification_hs_hs_code_notification", "notification_hs",
                    ["hs_code", "notification_id"])


def downgrade() -> None:
    op.drop_index("ix_notification_hs_hs_code_notification", table_name="notification_hs")
    op.create_index("ix_notification_hs_hs_code", "notification_hs", ["hs_code"])
    op.drop_index("ix_measure_products_hs_code_measure", table_name="measure_products")
    op.create_index("ix_measure_products_hs_code", "measure_products", ["hs_code"])
    op.drop_index("ix_measures_economy_dataset", table_name="measures")
    op.create_index("ix_measures_economy", "measures", ["economy"])
    with op.batch_alter_table("product_specific_rules") as batch:
        batch.drop_column("notes")
        batch.drop_column("legal_reference")
        batch.drop_column("legal_text")

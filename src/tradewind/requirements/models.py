"""Non-tariff measures: one row per measure, with its products, origins and documents.

``economy`` is the imposing economy (ISO3, or a group code such as EUN whose measures apply
to every member on the date asked).  ``origins_scope`` is ``all`` (every origin) or ``list``
(only the origins in ``measure_origins``).  Product codes are HS digits (2, 4, 6, 8 or 10).
A measure with ``deleted_at`` set was deleted by an editor: it is kept so it can be restored,
and every query ignores it.
"""

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from tradewind.db import metadata

ORIGIN_SCOPES = ("all", "list")

measures = Table(
    "measures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("economy", String(3), nullable=False),
    Column("mast_code", String(8), nullable=False),
    Column("title", String(400), nullable=False),
    Column("summary", Text, nullable=False),
    Column("legal_reference", String(400), nullable=False),
    Column("source_url", Text, nullable=False),
    Column("agency", String(200), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("origins_scope", String(4), nullable=False),
    Column("hs_edition", String(10), nullable=False),
    # Editors (issue 9): who changed a measure last, and soft deletion (restorable).
    Column("updated_at", DateTime(timezone=True), nullable=True),
    Column("updated_by", String(254), nullable=False, server_default=""),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("deleted_by", String(254), nullable=False, server_default=""),
    Index("ix_measures_economy_dataset", "economy", "dataset_id", "deleted_at"),
    Index("ix_measures_dataset_id", "dataset_id"),
)

measure_products = Table(
    "measure_products",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure_id", Integer, ForeignKey("measures.id", ondelete="CASCADE"), nullable=False),
    Column("hs_code", String(10), nullable=False),
    Index("ix_measure_products_hs_code_measure", "hs_code", "measure_id"),
    Index("ix_measure_products_measure_id", "measure_id"),
)

measure_origins = Table(
    "measure_origins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure_id", Integer, ForeignKey("measures.id", ondelete="CASCADE"), nullable=False),
    Column("economy", String(3), nullable=False),
    Index("ix_measure_origins_measure_id", "measure_id"),
)

measure_documents = Table(
    "measure_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure_id", Integer, ForeignKey("measures.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
    Index("ix_measure_documents_measure_id", "measure_id"),
)

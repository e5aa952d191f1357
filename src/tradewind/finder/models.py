"""Finder tables: imported tariff "search references" (plain term → HS 2022 subheading),
binding rulings and advisors' confirmations.

The default install needs none of this; imported references only add extra synonyms,
each keeping the dataset it came from so results can show their provenance.
"""

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tradewind.db import metadata

finder_references = Table(
    "finder_references",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("term", Text, nullable=False),
    Column("code", String(6), nullable=False),  # HS 2022 subheading
    Column("source_code", String(10), nullable=False),  # the code as found in the file
    Index("ix_finder_references_dataset_id", "dataset_id"),
    Index("ix_finder_references_code", "code"),
)

# Binding rulings (EU BTI, US CBP rulings) shown as evidence next to a candidate.  One row
# per ruling and HS 2022 code (a US ruling may name several tariff numbers).
finder_rulings = Table(
    "finder_rulings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("authority", String(2), nullable=False),  # EU | US
    Column("reference", String(80), nullable=False),
    Column("ruling_date", Date, nullable=True),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("status", String(20), nullable=False),  # valid | invalid | revoked | modified
    Column("country", String(2), nullable=True),  # issuing country (EU member state, US)
    Column("description", Text, nullable=False),
    Column("keywords", Text, nullable=False, default=""),
    Column("code", String(6), nullable=False),  # HS 2022 subheading
    Column("source_code", String(14), nullable=False),  # the code as found in the file
    Column("source_edition", String(10), nullable=False),  # HS edition of that code
    UniqueConstraint("dataset_id", "reference", "code", name="uq_finder_rulings_ref_code"),
    Index("ix_finder_rulings_dataset_id", "dataset_id"),
    Index("ix_finder_rulings_code", "code"),
)

# Advisors' confirmations and corrections: a description and the code an editor gave it.
finder_confirmations = Table(
    "finder_confirmations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("code", String(6), nullable=False),  # HS 2022 subheading confirmed or chosen
    Column("proposed", String(6), nullable=True),  # the finder's first candidate, if any
    Column("action", String(10), nullable=False),  # confirm | correct
    Column("confirmed_by", String(254), nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=False),
    Column("portal", String(300), nullable=False),
    Column("note", Text, nullable=False, default=""),
    # Set for confirmations imported from another portal's CSV (provenance of the file).
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=True),
    Index("ix_finder_confirmations_code", "code"),
    Index("ix_finder_confirmations_dataset_id", "dataset_id"),
)

# Learned rerankers trained from the portal's own data (finder/training.py).  The model is
# stored with what it was trained on (sources with dataset ids and row counts) and the
# fingerprint of that data, so a model derived from an imported schedule stays with the
# portal that imported it and is retrained when the data change.
finder_models = Table(
    "finder_models",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # "reranker"
    Column("edition", String(10), nullable=False),  # HS edition of the index it ranks
    Column("feature_version", Integer, nullable=False),
    Column("data_signature", String(64), nullable=False),
    Column("trained_at", DateTime(timezone=True), nullable=False),
    Column("provenance", Text, nullable=False),  # JSON: sources, counts, held-out figures
    Column("model", Text, nullable=False),  # LightGBM text model
    Index("ix_finder_models_kind_edition", "kind", "edition"),
)

"""Currency rates the operator imports (ECB reference rates, plain CSV).

A row says: on ``rate_date``, one unit of ``base`` buys ``rate`` units of ``currency``
(ECB: base EUR; the CSV template: base USD).  Cross rates go through EUR or USD, never guessed.
"""

from sqlalchemy import Column, Date, Float, ForeignKey, Index, Integer, String, Table

from tradewind.db import metadata

fx_rates = Table(
    "fx_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("base", String(3), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("rate", Float, nullable=False),
    Column("rate_date", Date, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Index("ix_fx_rates_lookup", "base", "currency", "rate_date"),
    Index("ix_fx_rates_dataset_id", "dataset_id"),
)

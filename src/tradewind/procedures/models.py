"""Procedure steps and shipment documents of a market (an economy or a group such as EUN).

Texts are stored in English with optional French and Spanish versions (``*_fr``/``*_es``;
blank = the English text is shown).  ``hs_scope`` lists HS prefixes separated by spaces
(blank = every product).  ``help_service`` is a service of the network directory
(:mod:`tradewind.network`) used to find organisations that can help; ``glossary`` is a
glossary slug.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from tradewind.db import metadata

STEP_KINDS = ("registration", "declaration", "licence", "inspection", "payment", "release",
              "other")
DOCUMENT_KINDS = ("commercial", "transport", "origin", "sps", "conformity", "licence",
                  "customs", "other")


def _common() -> list[Column]:  # type: ignore[type-arg]
    return [
        Column("description", Text, nullable=False),
        Column("description_fr", Text, nullable=False),
        Column("description_es", Text, nullable=False),
        Column("hs_scope", String(400), nullable=False),
        Column("days_min", Integer, nullable=True),
        Column("days_max", Integer, nullable=True),
        Column("fee", String(120), nullable=False),
        Column("glossary", String(80), nullable=False),
        Column("help_service", String(60), nullable=False),
        Column("help_organisation", String(300), nullable=False),
        Column("source_url", Text, nullable=False),
    ]


procedure_steps = Table(
    "procedure_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("economy", String(3), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("title_fr", String(300), nullable=False),
    Column("title_es", String(300), nullable=False),
    Column("agency", String(300), nullable=False),
    *_common(),
    Index("ix_procedure_steps_economy", "economy", "position"),
    Index("ix_procedure_steps_dataset_id", "dataset_id"),
)

procedure_documents = Table(
    "procedure_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"), nullable=False),
    Column("economy", String(3), nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(80), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("name_fr", String(300), nullable=False),
    Column("name_es", String(300), nullable=False),
    Column("issued_by", String(300), nullable=False),
    Column("condition", String(400), nullable=False),
    Column("condition_fr", String(400), nullable=False),
    Column("condition_es", String(400), nullable=False),
    # Other names the measures use for this document (";"-separated), to merge them.
    Column("aliases", String(600), nullable=False),
    *_common(),
    Index("ix_procedure_documents_economy", "economy", "position"),
    Index("ix_procedure_documents_dataset_id", "dataset_id"),
)

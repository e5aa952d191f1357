"""Storage for trade flows, economic indicators and bilateral geography.

Size drives the design: five full BACI years are ~55 M bilateral flows, so they are stored
as one columnar block per (year, product) (:data:`trade_flow_blocks`), with economies as
16-bit ids (ISO 3166-1 numeric, see
:mod:`tradewind.flows.economies`), HS 2022 subheadings as ``INTEGER`` (``90121`` for
``090121``; format back with ``f"{hs6:06d}"``), values as whole US dollars (``BIGINT``) and
quantities as whole kilograms of net weight (``BIGINT``, NULL when the source gives none).
Provenance is kept per year in :data:`flow_years` rather than on each of the 55 M rows:
one year of flows always comes from exactly one dataset, and importing a year replaces it.

Everything the market finder and the statistics pages read often is PRE-AGGREGATED at
import time (``flow_imports``, ``flow_exports``, ``flow_world``, ``flow_economy_totals``),
so a ranking over every market reads a few thousand small rows instead of scanning flows.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)

from tradewind.db import metadata

economies = Table(
    "economies",
    metadata,
    # Economies that appear in flows.  ``id`` is the ISO 3166-1 numeric code (840 = USA),
    # or a code in the user-assigned range 900-999 for entities without one (Kosovo…).
    # Join the aggregates (and decoded flow blocks) here to get the ISO3 code.
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("iso3", String(3), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
)

flow_years = Table(
    "flow_years",
    metadata,
    # One row per year of flows loaded: which dataset it came from (provenance, SAMPLE flag
    # via datasets.is_sample), the HS edition of the source file, the unit of ``quantity``
    # columns, and the totals.  A year is replaced as a whole by the next import of it.
    Column("year", SmallInteger, primary_key=True, autoincrement=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("source_edition", String(10), nullable=False),  # "HS1992" … "HS2022"
    Column("quantity_unit", String(10), nullable=False),  # "kg" (net weight)
    Column("row_count", BigInteger, nullable=False),
    Column("value_usd", BigInteger, nullable=False),
)

trade_flow_blocks = Table(
    "trade_flow_blocks",
    metadata,
    # Bilateral flows in HS 2022 six-digit codes, ONE ROW PER (year, product): the product's
    # flows of that year as packed little-endian arrays sorted by importer then exporter
    # (see :mod:`tradewind.flows.blocks` — never read these columns directly).  A year of
    # BACI is ~11 M flows but ~5,600 blocks, so an import writes thousands of rows, not
    # millions, and a query reads one product's world with one primary-key lookup.
    Column("year", SmallInteger, nullable=False),
    Column("hs6", Integer, nullable=False),
    Column("flows", Integer, nullable=False),  # number of flows in the block
    Column("importer", LargeBinary, nullable=False),  # int16 economy ids
    Column("exporter", LargeBinary, nullable=False),  # int16 economy ids
    Column("value_usd", LargeBinary, nullable=False),  # int64 whole USD
    Column("quantity", LargeBinary, nullable=False),  # int64 kg, -1 = unknown
    PrimaryKeyConstraint("year", "hs6", name="pk_trade_flow_blocks"),
)

flow_imports = Table(
    "flow_imports",
    metadata,
    # Imports of one product by one market in one year, summed over suppliers (the demand
    # side of the market finder; "imports by year" on the product-market page).
    Column("hs6", Integer, nullable=False),
    Column("importer", SmallInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("value_usd", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=True),  # kg; NULL when no supplier reported any
    Column("suppliers", SmallInteger, nullable=False),  # number of exporters with flows
    PrimaryKeyConstraint("hs6", "importer", "year", name="pk_flow_imports"),
    Index("ix_flow_imports_importer_year", "importer", "year"),
    sqlite_with_rowid=False,
)

flow_exports = Table(
    "flow_exports",
    metadata,
    # Exports of one product by one origin in one year, summed over destinations (supply
    # side: revealed comparative advantage, export growth, an origin's export basket).
    Column("hs6", Integer, nullable=False),
    Column("exporter", SmallInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("value_usd", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=True),
    Column("markets", SmallInteger, nullable=False),  # number of importers with flows
    PrimaryKeyConstraint("hs6", "exporter", "year", name="pk_flow_exports"),
    Index("ix_flow_exports_exporter_year", "exporter", "year"),
    sqlite_with_rowid=False,
)

flow_world = Table(
    "flow_world",
    metadata,
    # World trade of one product in one year (world demand; RCA's product share).
    Column("hs6", Integer, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("value_usd", BigInteger, nullable=False),
    Column("quantity", BigInteger, nullable=True),
    Column("exporters", SmallInteger, nullable=False),
    Column("importers", SmallInteger, nullable=False),
    PrimaryKeyConstraint("hs6", "year", name="pk_flow_world"),
    sqlite_with_rowid=False,
)

flow_economy_totals = Table(
    "flow_economy_totals",
    metadata,
    # Total exports and imports of one economy in one year, all products (RCA's
    # denominator; basket shares).  World totals are in ``flow_years.value_usd``.
    Column("economy", SmallInteger, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("exports_usd", BigInteger, nullable=False),
    Column("imports_usd", BigInteger, nullable=False),
    PrimaryKeyConstraint("economy", "year", name="pk_flow_economy_totals"),
)

indicators = Table(
    "indicators",
    metadata,
    # Economic indicators of ISO 3166 economies (World Bank codes such as
    # ``NY.GDP.MKTP.CD`` for GDP in current USD and ``SP.POP.TOTL`` for population).
    # Aggregates ("World", regions, income groups) are kept apart in
    # ``indicator_aggregates`` so they are never mistaken for markets.
    Column("indicator", String(40), nullable=False),
    Column("iso3", String(3), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("value", Float, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
           nullable=False, index=True),
    PrimaryKeyConstraint("indicator", "iso3", "year", name="pk_indicators"),
)

indicator_aggregates = Table(
    "indicator_aggregates",
    metadata,
    # The same indicators for aggregates of economies: "WLD" World, regions
    # ("SSF" Sub-Saharan Africa), income groups ("LMC") and the like, with their names.
    Column("indicator", String(40), nullable=False),
    Column("code", String(3), nullable=False),
    Column("name", String(120), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("value", Float, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
           nullable=False, index=True),
    PrimaryKeyConstraint("indicator", "code", "year", name="pk_indicator_aggregates"),
)

country_pairs = Table(
    "country_pairs",
    metadata,
    # Bilateral geography from CEPII GeoDist (ISO3 codes, both directions stored):
    # population-weighted distance ``distance_km`` (GeoDist ``distw``, or ``dist`` between
    # main cities when distw is missing), contiguity, common official language, a language
    # spoken by at least 9 % of both populations, and colonial ties.
    Column("origin", String(3), nullable=False),
    Column("destination", String(3), nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("contiguous", Boolean, nullable=False),
    Column("common_official_language", Boolean, nullable=False),
    Column("common_language", Boolean, nullable=False),
    Column("colonial_link", Boolean, nullable=False),  # ever in a colonial relationship
    Column("common_colonizer", Boolean, nullable=False),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
           nullable=False, index=True),
    PrimaryKeyConstraint("origin", "destination", name="pk_country_pairs"),
)

flow_import_notes = Table(
    "flow_import_notes",
    metadata,
    # What an import could not reconcile (unknown country codes, HS codes without a
    # concordance target…), kept for the operator beside the dataset's provenance.
    Column("id", Integer, primary_key=True),
    Column("dataset_id", Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(40), nullable=False),  # "unmatched_country", "unmapped_code"…
    Column("code", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("value_usd", BigInteger, nullable=False),
)

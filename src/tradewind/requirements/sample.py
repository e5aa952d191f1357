"""A deterministic, clearly-labelled SAMPLE of non-tariff requirements for the demo markets.

The same markets as the tariff SAMPLE (USA, EUN, GBR, KEN, IND, BRA, JPN) get a handful of
plausible, generic measures — SPS certificates for plants and food, food labelling, conformity
marks for electrical goods — so the requirements page works before an operator imports real
measures.  Every measure hangs off one dataset with ``is_sample=True`` and its title says
"(SAMPLE)"; none is a real legal text.  No change events are recorded for the SAMPLE.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tradewind.bootstrap import Report
from tradewind.datasets.models import datasets
from tradewind.datasets.queries import record_dataset
from tradewind.db import Database
from tradewind.ingest.requirements_csv import KIND, MeasureIn, write_measures
from tradewind.settings import Settings

SAMPLE_NAME = "SAMPLE non-tariff requirements"
SAMPLE_SOURCE = "Tradewind SAMPLE generator: plausible but NOT real requirements"
SAMPLE_FROM = date(2020, 1, 1)
ECONOMIES = ("USA", "EUN", "GBR", "KEN", "IND", "BRA", "JPN")

PLANTS = ["06", "07", "08", "09", "10", "11", "12", "13", "14"]
FOOD = ["02", "03", "04", "07", "08", "09", "15", "16", "17", "18", "19", "20", "21", "22"]
ANIMAL = ["01", "02", "03", "04", "05", "16"]
AGENCIES = {
    "USA": ("USDA APHIS", "FDA", "CPSC"),
    "EUN": ("Member-state plant health authority", "European Commission",
            "Member-state market surveillance authority"),
    "GBR": ("DEFRA / APHA", "Food Standards Agency", "Office for Product Safety and Standards"),
    "KEN": ("KEPHIS", "Kenya Bureau of Standards", "Kenya Bureau of Standards"),
    "IND": ("Plant Quarantine Organisation of India", "FSSAI", "Bureau of Indian Standards"),
    "BRA": ("MAPA", "ANVISA", "INMETRO"),
    "JPN": ("Plant Protection Station, MAFF", "MHLW", "METI"),
}


def _measures(economy: str) -> list[MeasureIn]:
    plant, food, products = AGENCIES[economy]
    out = [
        MeasureIn(0, economy, "A83", PLANTS, [],
                  "Phytosanitary certificate for plants and plant products (SAMPLE)",
                  "SAMPLE: each consignment of plants or plant products must travel with a "
                  "phytosanitary certificate issued by the plant protection organisation of "
                  "the exporting country.", "SAMPLE — not a legal reference", "", plant,
                  SAMPLE_FROM, None, ["Phytosanitary certificate"]),
        MeasureIn(0, economy, "A84", PLANTS, [],
                  "Plant health inspection at the border (SAMPLE)",
                  "SAMPLE: consignments may be inspected at the point of entry; keep the "
                  "goods accessible and the documents with them.",
                  "SAMPLE — not a legal reference", "", plant, SAMPLE_FROM, None, []),
        MeasureIn(0, economy, "A83", ANIMAL, [],
                  "Veterinary health certificate for animal products (SAMPLE)",
                  "SAMPLE: animals and products of animal origin need a veterinary "
                  "certificate from an approved establishment in the exporting country.",
                  "SAMPLE — not a legal reference", "", plant, SAMPLE_FROM, None,
                  ["Veterinary health certificate"]),
        MeasureIn(0, economy, "A21", FOOD, [],
                  "Maximum residue limits for pesticides and contaminants (SAMPLE)",
                  "SAMPLE: food must not exceed the maximum residue limits set for "
                  "pesticides and contaminants.", "SAMPLE — not a legal reference", "",
                  food, SAMPLE_FROM, None, ["Laboratory test report"]),
        MeasureIn(0, economy, "B31", FOOD, [],
                  "Food labelling (SAMPLE)",
                  "SAMPLE: pre-packed food must show its name, ingredients, allergens, net "
                  "quantity, date marking and the responsible operator, in the official "
                  "language.", "SAMPLE — not a legal reference", "", food, SAMPLE_FROM, None,
                  ["Label in the official language"]),
        MeasureIn(0, economy, "B83", ["85"], [],
                  "Conformity marking for electrical equipment (SAMPLE)",
                  "SAMPLE: electrical equipment must meet the safety and electromagnetic "
                  "compatibility standards and carry the national conformity mark.",
                  "SAMPLE — not a legal reference", "", products, SAMPLE_FROM, None,
                  ["Declaration of conformity", "Test report from an accredited laboratory"]),
        MeasureIn(0, economy, "B7", ["9503"], [],
                  "Toy safety requirements (SAMPLE)",
                  "SAMPLE: toys must meet the toy safety standard (mechanical, flammability, "
                  "chemical limits) before they are placed on the market.",
                  "SAMPLE — not a legal reference", "", products, SAMPLE_FROM, None,
                  ["Declaration of conformity"]),
    ]
    if economy in ("USA", "JPN"):
        out.append(MeasureIn(0, economy, "A15", FOOD, [],
                             "Registration of food facilities and importers (SAMPLE)",
                             "SAMPLE: facilities that make food for this market and the "
                             "importer must be registered with the food authority.",
                             "SAMPLE — not a legal reference", "", food, SAMPLE_FROM, None,
                             ["Facility registration number"]))
    if economy in ("IND", "KEN"):
        out.append(MeasureIn(0, economy, "C1", ["84", "85", "87"], [],
                             "Pre-export verification of conformity (SAMPLE)",
                             "SAMPLE: used machinery, electrical goods and vehicles are "
                             "inspected in the exporting country before shipment.",
                             "SAMPLE — not a legal reference", "", products, SAMPLE_FROM,
                             None, ["Certificate of conformity"]))
    return out


def init_sample_requirements(db: Database, settings: Settings, report: Report) -> None:
    """Load the SAMPLE once (idempotent); skipped when any requirements dataset exists."""
    with db.transaction() as conn:
        if conn.execute(select(datasets.c.id).where(datasets.c.kind == KIND)).first():
            report("  requirements already loaded")
            return
        items = [m for economy in ECONOMIES for m in _measures(economy)]
        dataset_id = record_dataset(conn, kind=KIND, name=SAMPLE_NAME, source=SAMPLE_SOURCE,
                                    licence="CC0-1.0", edition="SAMPLE", is_sample=True,
                                    row_count=len(items))
        write_measures(conn, dataset_id, items, events=False)
    report(f"  {len(items)} SAMPLE measures for {len(ECONOMIES)} markets")

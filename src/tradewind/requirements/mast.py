"""The UNCTAD MAST classification of non-tariff measures (2019 version), as data.

Chapters A–P and the main codes with their English names, marked for translation
(``N_``; translate at display time with :func:`chapter_name` / :func:`code_name`).
Source: UNCTAD, *International Classification of Non-Tariff Measures*, 2019 version.
"""

from __future__ import annotations

import re

from tradewind.i18n import _
from tradewind.i18n import lazy_noop as N_

CHAPTERS: dict[str, str] = {
    "A": N_("Sanitary and phytosanitary measures"),
    "B": N_("Technical barriers to trade"),
    "C": N_("Pre-shipment inspection and other formalities"),
    "D": N_("Contingent trade-protective measures"),
    "E": N_("Non-automatic import licensing, quotas, prohibitions and other quantity-control "
            "measures"),
    "F": N_("Price-control measures, including additional taxes and charges"),
    "G": N_("Finance measures"),
    "H": N_("Measures affecting competition"),
    "I": N_("Trade-related investment measures"),
    "J": N_("Distribution restrictions"),
    "K": N_("Restrictions on post-sales services"),
    "L": N_("Subsidies and other forms of support"),
    "M": N_("Government procurement restrictions"),
    "N": N_("Intellectual property"),
    "O": N_("Rules of origin"),
    "P": N_("Export-related measures"),
}

# What each chapter means for an exporter, in plain words (shown under the MAST name).
PLAIN: dict[str, str] = {
    "A": N_("Food safety, animal and plant health: certificates, residue limits, hygiene."),
    "B": N_("Product rules and standards: labels, packaging, safety, testing and marks."),
    "C": N_("Checks and formalities before or at shipment."),
    "D": N_("Extra duties against dumped or subsidised imports."),
    "E": N_("Licences, quotas or bans that limit how much can be imported."),
    "F": N_("Extra charges and price controls on imports."),
    "G": N_("Payment and currency conditions for imports."),
    "H": N_("Imports reserved to certain companies."),
    "I": N_("Conditions on investment linked to trade."),
    "J": N_("Limits on how the goods can be sold or distributed."),
    "K": N_("Limits on after-sales services."),
    "L": N_("Support given to local producers."),
    "M": N_("Limits on selling to the government."),
    "N": N_("Intellectual property rules."),
    "O": N_("Rules on where the goods count as made."),
    "P": N_("Rules applied by the exporting country."),
}

CODES: dict[str, str] = {
    "A1": N_("Prohibitions or restrictions of imports for sanitary and phytosanitary reasons"),
    "A11": N_("Temporary geographic prohibitions for sanitary and phytosanitary reasons"),
    "A12": N_("Geographical restrictions on eligibility"),
    "A13": N_("Systems approach"),
    "A14": N_("Authorization requirement for sanitary and phytosanitary reasons"),
    "A15": N_("Registration requirements for importers"),
    "A19": N_("Prohibitions or restrictions for sanitary and phytosanitary reasons, n.e.s."),
    "A2": N_("Tolerance limits for residues and restricted use of substances"),
    "A21": N_("Tolerance limits for residues of or contamination by certain substances"),
    "A22": N_("Restricted use of certain substances in foods and feeds"),
    "A3": N_("Labelling, marking and packaging requirements"),
    "A31": N_("Labelling requirements"),
    "A33": N_("Packaging requirements"),
    "A4": N_("Hygienic requirements"),
    "A41": N_("Microbiological criteria of the final product"),
    "A42": N_("Hygienic practices during production"),
    "A5": N_("Treatment for the elimination of pests and disease-causing organisms"),
    "A6": N_("Other requirements on production or post-production processes"),
    "A8": N_("Conformity assessment related to sanitary and phytosanitary measures"),
    "A82": N_("Testing requirement"),
    "A83": N_("Certification requirement"),
    "A84": N_("Inspection requirement"),
    "A85": N_("Traceability requirements"),
    "A86": N_("Quarantine requirement"),
    "B1": N_("Prohibitions or restrictions of imports for technical reasons"),
    "B14": N_("Authorization requirement for technical reasons"),
    "B2": N_("Tolerance limits for residues and restricted use of substances"),
    "B3": N_("Labelling, marking and packaging requirements"),
    "B31": N_("Labelling requirements"),
    "B32": N_("Marking requirements"),
    "B33": N_("Packaging requirements"),
    "B4": N_("Production or post-production requirements"),
    "B6": N_("Product identity requirement"),
    "B7": N_("Product quality, safety or performance requirement"),
    "B8": N_("Conformity assessment related to technical barriers to trade"),
    "B82": N_("Testing requirement"),
    "B83": N_("Certification requirement"),
    "B84": N_("Inspection requirement"),
    "B85": N_("Traceability requirements"),
    "C1": N_("Pre-shipment inspection"),
    "C2": N_("Direct consignment requirement"),
    "C3": N_("Requirement to pass through a specified port of customs"),
    "C4": N_("Import monitoring, surveillance and automatic licensing"),
    "D1": N_("Anti-dumping measures"),
    "D2": N_("Countervailing measures"),
    "E1": N_("Non-automatic import licensing"),
    "E2": N_("Quotas"),
    "E3": N_("Prohibitions other than for sanitary, phytosanitary or technical reasons"),
    "F1": N_("Administrative measures affecting customs value"),
    "F2": N_("Voluntary export-price restraints"),
    "F3": N_("Variable charges"),
    "F4": N_("Customs surcharges"),
    "F6": N_("Additional charges for services provided by the government"),
    "F7": N_("Internal taxes and charges levied on imports"),
    "G1": N_("Advance payment requirements"),
    "G2": N_("Multiple exchange rates"),
    "G3": N_("Regulation on official foreign exchange allocation"),
    "H1": N_("State trading enterprises and other selective import channels"),
    "I1": N_("Local content measures"),
    "I2": N_("Trade-balancing measures"),
    "J1": N_("Restrictions on resellers"),
    "K": N_("Restrictions on post-sales services"),
    "L": N_("Subsidies and other forms of support"),
    "M": N_("Government procurement restrictions"),
    "N": N_("Intellectual property"),
    "O": N_("Rules of origin"),
    "P1": N_("Export licences, quotas, prohibitions and other quantitative restrictions"),
    "P2": N_("State trading enterprises and other selective export channels"),
    "P3": N_("Export price-control measures"),
    "P4": N_("Measures on re-export"),
    "P5": N_("Export taxes and charges"),
    "P6": N_("Export technical measures"),
    "P7": N_("Export subsidies"),
    "P9": N_("Export measures, n.e.s."),
}

CODE_PATTERN = re.compile(r"[A-P]\d{0,4}")


def normalise_code(text: str) -> str:
    """``" b31 "`` → ``"B31"`` (no validation)."""
    return re.sub(r"[\s.]", "", text or "").upper()


def is_known(code: str) -> bool:
    """A code in :data:`CODES`, a chapter letter, or a finer code under a known code
    (``A851`` under ``A85``)."""
    code = normalise_code(code)
    if not CODE_PATTERN.fullmatch(code):
        return False
    return code in CODES or code in CHAPTERS or known_parent(code) is not None


def known_parent(code: str) -> str | None:
    """The longest known code that ``code`` starts with (not the chapter letter)."""
    for length in range(len(code) - 1, 1, -1):
        if code[:length] in CODES:
            return code[:length]
    return None


def chapter_of(code: str) -> str:
    return normalise_code(code)[:1]


def chapter_name(letter: str) -> str:
    """The chapter's name in the current language."""
    return _(CHAPTERS[letter]) if letter in CHAPTERS else letter


def chapter_plain(letter: str) -> str:
    """What the chapter means for an exporter, in the current language."""
    return _(PLAIN[letter]) if letter in PLAIN else ""


def code_name(code: str) -> str:
    """The name of ``code`` (or of its nearest known parent) in the current language."""
    code = normalise_code(code)
    if code in CODES:
        return _(CODES[code])
    parent = known_parent(code)
    if parent is not None:
        return _(CODES[parent])
    return chapter_name(code[:1])

"""UN M49 regions (Africa, Americas, Asia, Europe, Oceania) by ISO 3166 alpha-3 code.

Written out here (not fetched) so the Working Group page can group members offline.
The European Union (``EUN``) counts as Europe.
"""

from __future__ import annotations

from tradewind.i18n import lazy_noop as N_

_REGIONS: dict[str, str] = {
    "Africa": (
        "DZA EGY LBY MAR SDN TUN ESH "  # Northern Africa
        "IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA TZA "
        "ZMB ZWE "  # Eastern Africa
        "AGO CMR CAF TCD COG COD GNQ GAB STP "  # Middle Africa
        "BWA SWZ LSO NAM ZAF "  # Southern Africa
        "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO"  # Western
    ),
    "Americas": (
        "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM "
        "KNA LCA MAF VCT SXM TTO TCA VIR "  # Caribbean
        "BLZ CRI SLV GTM HND MEX NIC PAN "  # Central America
        "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN "  # South America
        "BMU CAN GRL SPM USA"  # Northern America
    ),
    "Asia": (
        "KAZ KGZ TJK TKM UZB "  # Central Asia
        "CHN HKG MAC PRK JPN MNG KOR TWN "  # Eastern Asia
        "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM "  # South-eastern Asia
        "AFG BGD BTN IND IRN MDV NPL PAK LKA "  # Southern Asia
        "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM"  # Western
    ),
    "Europe": (
        "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR "  # Eastern Europe
        "ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM SWE GBR "  # Northern
        "ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP XKX "  # Southern
        "AUT BEL FRA DEU LIE LUX MCO NLD CHE "  # Western Europe
        "EUN"  # the European Union as a WTO member
    ),
    "Oceania": (
        "AUS CXR CCK HMD NZL NFK "  # Australia and New Zealand
        "FJI NCL PNG SLB VUT "  # Melanesia
        "GUM KIR MHL FSM NRU MNP PLW UMI "  # Micronesia
        "ASM COK PYF NIU PCN WSM TKL TON TUV WLF"  # Polynesia
    ),
}

REGION_OF: dict[str, str] = {
    code: region for region, codes in _REGIONS.items() for code in codes.split()
}
REGIONS: tuple[str, ...] = tuple(_REGIONS)
# Region names are shown through gettext; listed here so the extractor finds them.
_REGION_NAMES = (N_("Africa"), N_("Americas"), N_("Asia"), N_("Europe"), N_("Oceania"),
                 N_("Other"))


def region_of(iso3: str) -> str:
    """The M49 region of an economy, or "Other" for a code not in the table."""
    return REGION_OF.get(iso3.upper(), "Other")

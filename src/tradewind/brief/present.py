"""What the page and the PDF show around the brief: translated labels and the SVG charts."""

from __future__ import annotations

from tradewind.brief.compose import Brief
from tradewind.charts.svg import share_bars, trend_chart
from tradewind.countries.reference import country_name
from tradewind.i18n import gettext as _


def labels() -> dict[str, str]:
    """Headings and fixed texts, translated in the current language (the PDF reads them)."""
    return {
        "title": _("Market brief"),
        "product": _("Product and HS code"),
        "access": _("Market access and duties"),
        "cost": _("Landed cost"),
        "requirements": _("Requirements and documents"),
        "market": _("The market"),
        "origin_rules": _("Rules of origin"),
        "guides": _("Guides"),
        "terms": _("Glossary"),
        "help": _("Who can help"),
        "steps": _("Next steps"),
        "sources": _("Sources"),
        "sample": _("SAMPLE data: generated examples, not real figures. Do not use them for "
                    "business decisions."),
        "confidence": _("Finder confidence"),
        "total": _("Total landed cost"),
        "none": _("None recorded."),
        "growth": _("Import growth over five years (a year)"),
        "share": _("Share of the origin"),
        "score": _("Market-finder score"),
        "documents": _("Documents"),
        "prepared": _("Prepared on"),
        "origin": _("Origin"),
        "destination": _("Destination"),
        "date": _("Date"),
        "suppliers": _("Top suppliers"),
    }


def charts(brief: Brief) -> dict[str, str]:
    """The brief's SVG charts (the page inlines them; the PDF embeds them as vectors)."""
    lang = brief.lang
    if not brief.market.imports:
        return {}
    market = country_name(brief.destination, lang)
    origin = country_name(brief.origin, lang)
    trend = trend_chart(
        "brief-trend", [(f["year"], f["value_usd"]) for f in brief.market.imports],
        _("Imports of %(product)s by %(market)s", product=brief.product.code, market=market),
        _("Bars show the market's imports of the product each year in US dollars"
          "%(line)s; the table below gives the same figures.",
          line=_("; the line shows the imports from %(origin)s", origin=origin)),
        highlight=[(f["year"], f["value_usd"]) for f in brief.market.origin_exports],
        highlight_label=origin)
    out = {"trend": trend}
    if brief.market.suppliers:
        out["shares"] = share_bars(
            "brief-shares", [(country_name(s["iso3"], lang), s["share"])
                             for s in brief.market.suppliers],
            _("Suppliers' shares of %(market)s's imports in %(year)s", market=market,
              year=brief.market.years[-1] if brief.market.years else ""),
            _("Horizontal bars of each supplier's share of the market's imports; the table "
              "below gives the same figures."), highlight=origin)
    return out

"""Server-rendered SVG charts (trend bars, share bars, world choropleth) and downloads."""

from tradewind.charts.svg import choropleth, share_bars, trend_chart

__all__ = ["choropleth", "share_bars", "trend_chart"]

"""Plotly figure builders: one definition serves the web, the API's image export and the reports.

No Django here. Every figure goes through ``captioned`` (title, subtitle, source line, notes). The builders take
plain pandas frames with the columns their module documents, and already-translated labels.
"""

from clusterobs.charts.bars import grouped_bars, ranked_bars
from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.classing import (
    Classing,
    count_classes,
    data_classes,
    growth_classes,
    lq_classes,
    star_classes,
)
from clusterobs.charts.distribution import histogram
from clusterobs.charts.lines import line_chart
from clusterobs.charts.maps import choropleth_map, locator_map, locator_outline, symbol_map
from clusterobs.charts.network import related_network, space_network, spectral_layout
from clusterobs.charts.opportunities import opportunity_bubbles
from clusterobs.charts.portfolio import bubble_portfolio, portfolio_rows
from clusterobs.charts.radar import score_radar
from clusterobs.charts.scatter import scatter
from clusterobs.charts.scoreboard import gap_bars, rank_intervals
from clusterobs.charts.stars import StarCells, region_star_cells, star_strip
from clusterobs.charts.timeline import Panel, timeline_panels

__all__ = [
    "Caption",
    "Classing",
    "Panel",
    "StarCells",
    "bubble_portfolio",
    "captioned",
    "choropleth_map",
    "count_classes",
    "data_classes",
    "gap_bars",
    "grouped_bars",
    "growth_classes",
    "histogram",
    "line_chart",
    "locator_map",
    "locator_outline",
    "lq_classes",
    "opportunity_bubbles",
    "portfolio_rows",
    "rank_intervals",
    "ranked_bars",
    "region_star_cells",
    "related_network",
    "scatter",
    "score_radar",
    "space_network",
    "spectral_layout",
    "star_classes",
    "star_strip",
    "symbol_map",
    "timeline_panels",
]

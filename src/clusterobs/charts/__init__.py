"""Plotly figure builders: one definition serves the web, the API's image export and the reports.

No Django here. Every figure goes through ``captioned`` (title, subtitle, source line, notes). The builders take
plain pandas frames with the columns their module documents, and already-translated labels.

The names are imported on first use (``charts.line_chart``, ``from clusterobs.charts import Caption``), and so are
the submodules (``charts.palette``): importing ``clusterobs.charts.plotlyjs`` to start a browser does not import
pandas and every builder (about 0.5 s).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from clusterobs.charts.scatter_chart import scatter
    from clusterobs.charts.scoreboard import gap_bars, rank_intervals
    from clusterobs.charts.stars import StarCells, region_star_cells, star_strip
    from clusterobs.charts.timeline import Panel, timeline_panels

#: where each name is defined
_WHERE = {
    "Caption": "caption", "Classing": "classing", "Panel": "timeline", "StarCells": "stars",
    "bubble_portfolio": "portfolio", "captioned": "caption", "choropleth_map": "maps", "count_classes": "classing",
    "data_classes": "classing", "gap_bars": "scoreboard", "grouped_bars": "bars", "growth_classes": "classing",
    "histogram": "distribution", "line_chart": "lines", "locator_map": "maps", "locator_outline": "maps",
    "lq_classes": "classing", "opportunity_bubbles": "opportunities", "portfolio_rows": "portfolio",
    "rank_intervals": "scoreboard", "ranked_bars": "bars", "region_star_cells": "stars", "related_network": "network",
    "scatter": "scatter_chart", "score_radar": "radar", "space_network": "network", "spectral_layout": "network",
    "star_classes": "classing", "star_strip": "stars", "symbol_map": "maps", "timeline_panels": "timeline",
}

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


def __getattr__(name: str) -> Any:
    """A builder or a submodule, imported on first use."""
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    else:
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value

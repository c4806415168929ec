"""Lines over the years: one series per line (a region's trends), markers on every observed year.

Frame columns: ``series``, ``year``, ``value`` (NaN = not available: a gap in the line, never a zero), ``hover``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.palette import SERIES


def line_chart(frame: pd.DataFrame, caption: Caption, *, value_title: str, series_order: Sequence[str] | None = None,
               height: int = 360) -> go.Figure:
    order = list(series_order or dict.fromkeys(frame["series"]))
    fig = go.Figure()
    for i, series in enumerate(order):
        rows = frame[frame["series"] == series].sort_values("year")
        fig.add_trace(go.Scatter(
            x=rows["year"], y=rows["value"], mode="lines+markers", name=series, connectgaps=False,
            line={"color": SERIES[i % len(SERIES)], "width": 2}, marker={"size": 6},
            customdata=rows[["hover"]].fillna("").to_numpy().tolist() if "hover" in rows else None,
            hovertemplate="%{customdata[0]}<extra></extra>" if "hover" in rows else None))
    fig.update_xaxes(title_text="", dtick=1, showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(title_text=value_title, showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    return captioned(fig, caption, height=height, axis_space=36, left=80, legend_top=True)

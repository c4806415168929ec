"""A cluster over the years: small multiples (employment, LQ, stars by scheme, wage per person…) on one shared year
axis, the years whose inputs carry a Eurostat flag marked on every panel.

A missing value is a gap in the line, never a zero. Each panel's frame has the columns ``series``, ``year``,
``value`` (NaN = not available) and ``hover``; ``flagged`` has ``year`` and ``text`` (the flag letters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.palette import SERIES


@dataclass
class Panel:
    """One panel of the timeline: its axis title, its series, an optional reference line (LQ = 1) and y range."""

    title: str
    frame: pd.DataFrame
    reference: float | None = None
    y_range: tuple[float, float] | None = None
    integer: bool = False


#: the marker of a flagged year: an open black diamond around the point (no series is drawn in black first)
FLAG_COLOUR = "#000000"
FLAG_MARKER = {"symbol": "diamond-open", "size": 15, "color": FLAG_COLOUR, "line": {"width": 1.6}}


def timeline_panels(panels: Sequence[Panel], caption: Caption, *, years: Sequence[int], flagged: pd.DataFrame,
                    flagged_label: str, panel_height: int = 150) -> go.Figure:
    """The panels stacked on one year axis; a series keeps its colour (and one legend entry) across panels."""
    n = len(panels)
    fig = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.28 / max(n, 1),
                        subplot_titles=[p.title for p in panels])
    colours: dict[str, str] = {}
    shown: set[str] = set()
    for i, panel in enumerate(panels, start=1):
        for series in dict.fromkeys(panel.frame["series"]):
            colour = colours.setdefault(series, SERIES[len(colours) % len(SERIES)])
            rows = panel.frame[panel.frame["series"] == series].sort_values("year")
            fig.add_trace(go.Scatter(
                x=rows["year"], y=rows["value"], mode="lines+markers", name=series, legendgroup=series,
                showlegend=series not in shown, connectgaps=False, line={"color": colour, "width": 2},
                marker={"size": 7, "color": colour}, customdata=rows[["hover"]].fillna("").to_numpy().tolist(),
                hovertemplate="%{customdata[0]}<extra></extra>"), row=i, col=1)
            shown.add(series)
        marks = panel.frame.merge(flagged, on="year").dropna(subset=["value"])
        if len(marks):
            first = marks.drop_duplicates("year")
            fig.add_trace(go.Scatter(
                x=first["year"], y=first["value"], mode="markers+text" if i == 1 else "markers", name=flagged_label,
                legendgroup="flagged", showlegend="flagged" not in shown, marker=FLAG_MARKER,
                text=first["text"] if i == 1 else None, textposition="top center",
                textfont={"size": 11, "color": FLAG_COLOUR}, cliponaxis=False, hoverinfo="skip"), row=i, col=1)
            shown.add("flagged")
        if panel.reference is not None:
            fig.add_hline(y=panel.reference, line={"dash": "dash", "color": "#4d4d4d", "width": 1}, row=i, col=1)
        fig.update_yaxes(range=list(panel.y_range) if panel.y_range else None, dtick=1 if panel.integer else None,
                         rangemode="tozero", showgrid=True, gridcolor="#eeeeee", row=i, col=1)
    lo, hi = (min(years), max(years)) if years else (0, 1)
    fig.update_xaxes(dtick=1, range=[lo - 0.5, hi + 0.5], showgrid=True, gridcolor="#eeeeee", tickformat="d")
    fig.update_annotations(font={"size": 12}, xanchor="left", x=0)
    plot_height = panel_height * n + 30 * (n - 1)
    fig = captioned(fig, caption, height=plot_height, axis_space=36, left=80, legend_top=True, top_extra=24)
    fig.update_layout(legend={"y": 1 + 26 / plot_height})  # above the first panel's title
    return fig

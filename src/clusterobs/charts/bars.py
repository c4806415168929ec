"""Bar charts: ranked bars of one measure (top regions of a sector) and grouped bars (regions compared).

Partly imputed values are hatched (``marker.pattern``); a zero is a bar labelled "0"; missing values are not
drawn as bars: the caller says how many in the notes.

Frame columns: ``label``, ``value``, ``value_text``, ``imputed``, ``url``, ``hover`` (and ``series`` for grouped).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned, label_margin, reference_line
from clusterobs.charts.palette import ACCENT, SERIES


def ranked_bars(frame: pd.DataFrame, caption: Caption, *, value_title: str, colour: str = ACCENT,
                colours: Sequence[str] | None = None, reference: float | None = None, reference_label: str = "",
                x_log: bool = False) -> go.Figure:
    """Horizontal bars, largest on top; ``colours`` per bar (e.g. by stars, in ``frame``'s order) overrides
    ``colour``. One trace per colour (a scalar colour each: plotly.js warns on patterns over colour arrays)."""
    frame = frame.assign(_colour=list(colours) if colours is not None else colour)
    frame = frame[frame["value"].notna()].sort_values("value", ascending=True)
    fig = go.Figure()
    for fill, rows in frame.groupby("_colour", sort=False):
        fig.add_trace(go.Bar(
            x=rows["value"], y=rows["label"], orientation="h", text=rows["value_text"], textposition="outside",
            cliponaxis=False,
            marker={"color": fill, "line": {"color": "#1a1a1a", "width": 0.6},
                    "pattern": {"shape": ["/" if i else "" for i in rows["imputed"]], "fillmode": "overlay",
                                "fgcolor": "#ffffff", "size": 6, "solidity": 0.3}},
            customdata=rows[["url", "hover"]].to_numpy().tolist(), hovertemplate="%{customdata[1]}<extra></extra>",
            showlegend=False))
    if reference is not None:
        reference_line(fig, reference, reference_label, axis="x", log=x_log)
    fig.update_xaxes(title_text=value_title, type="log" if x_log else "linear", showgrid=True, gridcolor="#eeeeee",
                     rangemode="tozero")
    fig.update_yaxes(automargin=False, tickfont={"size": 12}, categoryorder="array",
                     categoryarray=list(frame["label"]))
    height = max(200, 28 * len(frame) + 20)
    fig.update_layout(clickmode="event", bargap=0.25, barmode="overlay")
    return captioned(fig, caption, height=height, axis_space=48, left=label_margin(list(frame["label"])), right=70)


def grouped_bars(frame: pd.DataFrame, caption: Caption, *, value_title: str, series_order: Sequence[str],
                 reference: float | None = None, reference_label: str = "") -> go.Figure:
    """One group per ``label`` (e.g. category), one bar per ``series`` (e.g. region), one shared value axis."""
    labels = list(dict.fromkeys(frame["label"]))
    fig = go.Figure()
    for i, series in enumerate(series_order):
        rows = frame[frame["series"] == series].set_index("label").reindex(labels)
        fig.add_trace(go.Bar(
            y=labels, x=rows["value"], orientation="h", name=series, marker={
                "color": SERIES[i % len(SERIES)], "line": {"color": "#1a1a1a", "width": 0.4},
                "pattern": {"shape": ["/" if bool(v) else "" for v in rows["imputed"].fillna(False)],
                            "fillmode": "overlay", "fgcolor": "#ffffff", "size": 6, "solidity": 0.3}},
            customdata=rows[["url", "hover"]].fillna("").to_numpy().tolist(),
            hovertemplate="%{customdata[1]}<extra></extra>"))
    if reference is not None:
        reference_line(fig, reference, reference_label, axis="x")
    fig.update_yaxes(autorange="reversed", automargin=False, tickfont={"size": 12})
    fig.update_xaxes(title_text=value_title, showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    height = max(240, len(labels) * (10 + 9 * len(series_order)) + 20)
    fig.update_layout(barmode="group", clickmode="event", bargap=0.2)
    return captioned(fig, caption, height=height, axis_space=48, left=label_margin(labels), right=30,
                     legend_top=True)

"""A region's growth opportunities: feasibility (density) against attractiveness (PCI or COG), as in the Atlas of
Economic Complexity.

Frame columns: ``x``, ``y``, ``size`` (European employment; NaN = no data, drawn at the smallest size), ``group``
(the legend entry and colour), ``label`` (shown for the ``label_top`` bubbles with the largest ``x``), ``hover``,
``url`` (a click opens it). Rows with a missing x or y are not drawn: the caller counts them in the notes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.network import node_sizes
from clusterobs.charts.palette import SERIES


def opportunity_bubbles(frame: pd.DataFrame, caption: Caption, *, x_title: str, y_title: str,
                        group_order: Sequence[str] | None = None, label_top: int = 5, height: int = 520) -> go.Figure:
    """One bubble per category: area ∝ European employment, colour by ``group``, a dotted line at y = 0."""
    frame = frame[frame["x"].notna() & frame["y"].notna()].copy()
    frame["_size"] = node_sizes(frame["size"]) if len(frame) else []
    show = set(frame.nlargest(label_top, "x").index) if label_top and len(frame) else set()
    fig = go.Figure()
    for i, group in enumerate(group_order or list(dict.fromkeys(frame["group"]))):
        rows = frame[frame["group"] == group]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["x"], y=rows["y"], mode="markers+text", name=str(group),
            text=[lab if j in show else "" for j, lab in zip(rows.index, rows["label"], strict=True)],
            textposition="top center", textfont={"size": 10, "color": "#333333"},
            marker={"size": rows["_size"], "color": SERIES[i % len(SERIES)], "opacity": 0.7,
                    "line": {"color": "#ffffff", "width": 0.8}},
            customdata=rows[["url", "hover"]].fillna("").to_numpy().tolist(),
            hovertemplate="%{customdata[1]}<extra></extra>", cliponaxis=False))
    fig.add_hline(y=0, line={"color": "#9a9a9a", "dash": "dot", "width": 1})
    fig.update_xaxes(title_text=x_title, showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(title_text=y_title, showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_layout(clickmode="event", hovermode="closest")
    return captioned(fig, caption, height=height, axis_space=48, left=70, legend_top=True)

"""A scatter of regions on two measures, with the least-squares line (the Panorama's correlation charts).

Frame columns: ``x``, ``y``, ``label`` (shown for the ``label_top`` points farthest from the line), ``hover``,
``url``. Rows with a missing x or y are not drawn: the caller counts them in the notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.palette import ACCENT


def scatter(frame: pd.DataFrame, caption: Caption, *, x_title: str, y_title: str,
            line: tuple[float, float] | None = None, line_label: str = "least-squares line", x_log: bool = False,
            label_top: int = 6, height: int = 420) -> go.Figure:
    frame = frame[frame["x"].notna() & frame["y"].notna()].copy()
    if x_log:
        frame = frame[frame["x"] > 0]
    frame["_resid"] = 0.0
    if line is not None and len(frame):
        frame["_resid"] = (frame["y"] - (line[0] * frame["x"] + line[1])).abs()
    show = set(frame.nlargest(label_top, "_resid").index) if label_top else set()
    fig = go.Figure(go.Scatter(
        x=frame["x"], y=frame["y"], mode="markers+text", showlegend=False,
        text=[lab if i in show else "" for i, lab in zip(frame.index, frame["label"], strict=True)],
        textposition="top center", textfont={"size": 10, "color": "#333333"},
        marker={"size": 7, "color": ACCENT, "opacity": 0.7, "line": {"color": "#ffffff", "width": 0.5}},
        customdata=frame[["url", "hover"]].fillna("").to_numpy().tolist(),
        hovertemplate="%{customdata[1]}<extra></extra>"))
    if line is not None and len(frame):
        xs = np.linspace(float(frame["x"].min()), float(frame["x"].max()), 50)
        fig.add_trace(go.Scatter(x=xs, y=line[0] * xs + line[1], mode="lines", name=line_label, hoverinfo="skip",
                                 line={"color": "#D55E00", "dash": "dash", "width": 1.5}, showlegend=True))
    fig.update_xaxes(title_text=x_title, type="log" if x_log else "linear", showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(title_text=y_title, showgrid=True, gridcolor="#eeeeee", zeroline=False)
    return captioned(fig, caption, height=height, axis_space=48, left=70, legend_top=line is not None)

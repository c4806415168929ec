"""Scoreboard figures: rank intervals and indicator gaps (the map and the profile reuse ``maps`` and ``bars``).

``rank_intervals`` frame: ``label``, ``rank``, ``p05``, ``p95``, ``hover`` (one row per dimension or the overall
index). ``gap_bars`` frame: ``label``, ``value`` (gap in points, + above the reference), ``kind`` (``strength``,
``weakness`` or ""), ``hover``. Strengths are blue with a "+", weaknesses vermillion with a "−" (no red-green
pair, the sign repeats the colour: UX.md §4).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned, label_margin, reference_line

STRENGTH = "#0072B2"
WEAKNESS = "#D55E00"
NEUTRAL = "#9a9a9a"


def rank_intervals(frame: pd.DataFrame, caption: Caption, *, regions_ranked: int, rank_title: str,
                   interval_label: str, rank_label: str) -> go.Figure:
    """The rank (dot) and its 5th-95th percentile interval (bar) for each row; rank 1 on the left."""
    frame = frame.dropna(subset=["rank"]).reset_index(drop=True)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=frame["rank"], y=frame["label"], mode="markers", name=rank_label,
        marker={"size": 11, "color": STRENGTH, "symbol": "diamond", "line": {"color": "#1a1a1a", "width": 0.6}},
        error_x={"type": "data", "symmetric": False, "array": (frame["p95"] - frame["rank"]).clip(lower=0),
                 "arrayminus": (frame["rank"] - frame["p05"]).clip(lower=0), "color": "#4d4d4d", "thickness": 2,
                 "width": 6},
        customdata=frame[["hover"]].to_numpy().tolist(), hovertemplate="%{customdata[0]}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=interval_label,
                             line={"color": "#4d4d4d", "width": 2}, hoverinfo="skip"))
    fig.update_xaxes(title_text=rank_title, range=[regions_ranked + 2, -1], showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(autorange="reversed", automargin=False, tickfont={"size": 12})
    height = max(220, 34 * len(frame) + 40)
    return captioned(fig, caption, height=height, axis_space=48, left=label_margin(list(frame["label"])), right=30,
                     legend_top=True)


def gap_bars(frame: pd.DataFrame, caption: Caption, *, value_title: str, reference_label: str) -> go.Figure:
    """Horizontal bars of the gap to a reference (0 = the reference), one colour per kind."""
    frame = frame.dropna(subset=["value"]).reset_index(drop=True)
    colours = {"strength": STRENGTH, "weakness": WEAKNESS}
    fig = go.Figure()
    for kind, rows in frame.groupby("kind", sort=False):
        sign = "+" if kind == "strength" else "−" if kind == "weakness" else ""
        fig.add_trace(go.Bar(
            x=rows["value"], y=rows["label"], orientation="h", name=str(kind) or "·",
            marker={"color": colours.get(str(kind), NEUTRAL), "line": {"color": "#1a1a1a", "width": 0.5}},
            text=[f"{sign}{abs(v):.0f}" if sign else f"{v:+.0f}" for v in rows["value"]], textposition="outside",
            cliponaxis=False, customdata=rows[["hover"]].to_numpy().tolist(),
            hovertemplate="%{customdata[0]}<extra></extra>", showlegend=False))
    reference_line(fig, 0.0, reference_label, axis="x")
    fig.update_xaxes(title_text=value_title, showgrid=True, gridcolor="#eeeeee", zeroline=False)
    fig.update_yaxes(autorange="reversed", automargin=False, tickfont={"size": 12}, categoryorder="array",
                     categoryarray=list(frame["label"]))
    height = max(220, 24 * len(frame) + 40)
    fig.update_layout(barmode="overlay", bargap=0.25)
    return captioned(fig, caption, height=height, axis_space=48, left=label_margin(list(frame["label"])), right=50)

"""The regional cluster portfolio: a bubble per category (UX.md §7, after the US Cluster Mapping portfolio).

x is employment growth when the data have two years or more, otherwise the category's employment in the region
(log scale); y is the location quotient (log scale, so over- and under-specialisation are symmetric around 1);
bubble area ∝ employment; colour = stars (grey: a cell that cannot be ranked: too little coverage, a split
region). Dashed reference lines: LQ = 1 (Europe's structure), LQ = 2 (the
specialisation star) and, for growth, the region's own growth, with the quadrants shaded. Clicking a bubble opens
its sector page (``url``).

Frame columns: ``category``, ``name``, ``x``, ``lq``, ``employment``, ``stars``, ``imputed``, ``url``, ``hover``.
``portfolio_rows`` makes them (but ``url`` and ``hover``) from a region's cluster measures, for the web's portfolio
chart and the scorecard alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned, reference_line
from clusterobs.charts.palette import STAR_COLOURS

NOT_RANKABLE = "#cccccc"


def portfolio_rows(measures: pd.DataFrame, *, imputed_outline: float) -> tuple[pd.DataFrame, bool]:
    """A region's traded categories as the portfolio's frame, and whether ``x`` is growth (when any category has
    it; else employment). ``imputed``: at least ``imputed_outline`` of the value imputed; ``drawn``: the bubbles
    that can be drawn (an LQ above 0 and an x, above 0 unless x is growth)."""
    rows = measures[measures["kind"] == "traded"].copy()
    growth = bool(rows["growth"].notna().any())
    rows["x"] = rows["growth"] if growth else rows["employment"]
    rows["name"] = rows["category_name"]
    rows["stars"] = rows["stars"].fillna(-1).astype(int)  # -1: not rankable (no stars given), drawn grey
    rows["imputed"] = rows["imputed_share"].fillna(0) >= imputed_outline
    rows["drawn"] = rows["lq"].notna() & (rows["lq"] > 0) & rows["x"].notna() & ((rows["x"] > 0) | growth)
    return rows, growth


def bubble_portfolio(frame: pd.DataFrame, caption: Caption, *, x_title: str, y_title: str,
                     star_labels: Sequence[str], x_log: bool = False, x_reference: float | None = None,
                     x_reference_label: str = "", lq_labels: tuple[str, str] = ("LQ = 1", "LQ = 2"),
                     label_top: int = 5, height: int = 480, not_rankable_label: str = "not rankable") -> go.Figure:
    frame = frame[frame["lq"].notna() & (frame["lq"] > 0) & frame["x"].notna()].copy()
    if x_log:
        frame = frame[frame["x"] > 0]
    fig = go.Figure()
    emp_max = float(frame["employment"].max()) if len(frame) else 1.0
    sizeref = 2.0 * emp_max / 48.0**2
    top = set(frame.nlargest(label_top, "employment")["category"]) | set(frame.nlargest(2, "lq")["category"])
    for stars in (0, 1, 2, 3, -1):
        rows = frame[frame["stars"] == stars]
        if rows.empty:
            continue
        fig.add_trace(go.Scatter(
            x=rows["x"], y=rows["lq"], mode="markers+text",
            name=star_labels[stars] if stars >= 0 else not_rankable_label,
            text=[n if c in top else "" for c, n in zip(rows["category"], rows["name"], strict=True)],
            textposition="top center", textfont={"size": 11, "color": "#333333"},
            marker={"size": rows["employment"].clip(lower=0).tolist(), "sizemode": "area", "sizeref": sizeref,
                    "sizemin": 4, "color": STAR_COLOURS[stars] if stars >= 0 else NOT_RANKABLE,
                    "opacity": 0.85,
                    "line": {"color": ["#000000" if i else "#4d4d4d" for i in rows["imputed"]],
                             "width": [2.0 if i else 0.8 for i in rows["imputed"]]}},
            customdata=rows[["url", "hover"]].to_numpy().tolist(),
            hovertemplate="%{customdata[1]}<extra></extra>"))
    reference_line(fig, 1.0, lq_labels[0], axis="y", log=True)
    reference_line(fig, 2.0, lq_labels[1], axis="y", log=True, dash="dot", colour="#08306b")
    if x_reference is not None and np.isfinite(x_reference):
        reference_line(fig, x_reference, x_reference_label, axis="x", log=x_log)
        # quadrant shading: growing and specialised (upper right) in light blue, declining and weak in light orange
        fig.add_shape(type="rect", xref="x", yref="y", x0=x_reference, x1=float(frame["x"].max()) * 1.1 + 1e-9,
                      y0=1, y1=float(frame["lq"].max()) * 1.2, fillcolor="#deebf7", opacity=0.35, line_width=0,
                      layer="below")
    fig.update_xaxes(title_text=x_title, type="log" if x_log else "linear", showgrid=True, gridcolor="#eeeeee",
                     zeroline=not x_log, zerolinecolor="#9a9a9a")
    fig.update_yaxes(title_text=y_title, type="log", showgrid=True, gridcolor="#eeeeee")
    fig.update_layout(clickmode="event")
    return captioned(fig, caption, height=height, axis_space=48, left=64, legend_top=True)

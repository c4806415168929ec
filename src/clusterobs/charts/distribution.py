"""The distribution of one measure across regions: a histogram with reference lines (e.g. LQ = 1, a region).

Frame columns: ``value`` (missing values are left out: the caller counts them in the notes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned, reference_line
from clusterobs.charts.palette import ACCENT


def histogram(frame: pd.DataFrame, caption: Caption, *, value_title: str, count_title: str,
              references: Sequence[tuple[float, str]] = (), log: bool = False, bins: int = 30,
              hover: str = "%{x}: %{y}") -> go.Figure:
    """Counts of regions per bin of ``value`` (bins on a log scale when ``log``: positive values only)."""
    v = pd.to_numeric(frame["value"], errors="coerce").dropna()
    if log:
        v = v[v > 0]
    fig = go.Figure()
    if len(v):
        data = np.log10(v) if log else v
        edges = np.histogram_bin_edges(data, bins=min(bins, max(5, len(v) // 4)))
        counts, edges = np.histogram(data, bins=edges)
        lo, hi = (10**edges[:-1], 10**edges[1:]) if log else (edges[:-1], edges[1:])
        centres = np.sqrt(lo * hi) if log else (lo + hi) / 2
        fig.add_trace(go.Bar(x=centres, y=counts, width=(hi - lo), marker={"color": ACCENT, "line": {
            "color": "white", "width": 0.5}}, customdata=np.stack([lo, hi], axis=1).tolist(),
            hovertemplate=hover + "<extra></extra>", showlegend=False))
    for i, (x, label) in enumerate(references):
        if x is None or not np.isfinite(x) or (log and x <= 0):
            continue
        reference_line(fig, float(x), label, axis="x", log=log, dash="dash" if i == 0 else "dot",
                       colour="#1a1a1a" if i else "#9a3f00", position="top" if i % 2 == 0 else "bottom")
    fig.update_xaxes(title_text=value_title, type="log" if log else "linear", showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(title_text=count_title, showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    fig.update_layout(bargap=0)
    return captioned(fig, caption, height=300, axis_space=48)

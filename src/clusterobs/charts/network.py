"""The related-clusters network: one category at the centre, its related categories around it.

Deterministic layout (no random seed to fix): the focus category at the origin, its related categories on a circle
in the order given (most related first, clockwise from the top), so the same data always give the same picture.
Node area is proportional to European employment; a link's width and darkness grow with its relatedness; links
between two neighbours (both related to each other) are drawn lighter. The legend states the threshold. Each link
trace carries its pair in ``meta`` and each node its category in ``ids``, so a page can dim the links of the other
nodes while one is hovered (UX.md §7).

``nodes`` columns: ``category``, ``label``, ``employment`` (NaN = no data), ``hover``, ``url``; the first row is the
focus. ``links`` columns: ``category_i``, ``category_j``, ``value``, ``hover``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.palette import ACCENT, NO_DATA, OKABE_ITO

#: the largest node's diameter in pixels; area ∝ employment
MAX_NODE_PX = 46
MIN_NODE_PX = 8
LINK_COLOUR = "#4d4d4d"
FOCUS_COLOUR = OKABE_ITO[5]  # vermillion


def circular_layout(n: int, *, radius: float = 1.0) -> np.ndarray:
    """``n`` points on a circle, the first at the top, clockwise (an ``n × 2`` array)."""
    angles = math.pi / 2 - 2 * math.pi * np.arange(n) / max(n, 1)
    return np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])


def node_sizes(employment: pd.Series) -> np.ndarray:
    """Marker diameters (px) with area proportional to employment; no data → the smallest size."""
    emp = employment.astype(float).to_numpy()
    top = np.nanmax(emp) if np.isfinite(emp).any() and np.nanmax(emp) > 0 else 1.0
    with np.errstate(invalid="ignore"):
        d = MAX_NODE_PX * np.sqrt(np.clip(emp, 0, None) / top)
    # rounded: Europe's employment is a parallel sum whose last bits differ between runs; the drawing must not
    return np.round(np.where(np.isfinite(d), np.maximum(d, MIN_NODE_PX), MIN_NODE_PX), 6)


def related_network(nodes: pd.DataFrame, links: pd.DataFrame, caption: Caption, *, legend_focus: str,
                    legend_related: str, legend_link: str, legend_other_link: str, no_data_label: str) -> go.Figure:
    """The ego network of ``nodes.iloc[0]``: see the module docstring."""
    nodes = nodes.reset_index(drop=True)
    pos = np.vstack([[0.0, 0.0], circular_layout(len(nodes) - 1)]) if len(nodes) > 1 else np.zeros((1, 2))
    where = {c: pos[i] for i, c in enumerate(nodes["category"])}
    focus = nodes["category"].iloc[0]
    fig = go.Figure()
    vmax = float(links["value"].max()) if len(links) else 1.0
    vmin = float(links["value"].min()) if len(links) else 0.0
    span = (vmax - vmin) or 1.0
    shown_legend = {True: False, False: False}
    for row in links.sort_values("value").itertuples():
        a, b = where.get(row.category_i), where.get(row.category_j)
        if a is None or b is None:
            continue
        strength = (row.value - vmin) / span
        to_focus = focus in (row.category_i, row.category_j)
        fig.add_trace(go.Scatter(
            x=[a[0], b[0]], y=[a[1], b[1]], mode="lines", hoverinfo="skip",
            line={"color": LINK_COLOUR if to_focus else "#9a9a9a", "width": (1.2 + 4.8 * strength) if to_focus
                  else (0.6 + 1.8 * strength)},
            opacity=0.45 + 0.5 * strength if to_focus else 0.5, name=legend_link if to_focus else legend_other_link,
            meta=[row.category_i, row.category_j],  # the page dims the links of other nodes on hover
            legendgroup="focus-links" if to_focus else "other-links", showlegend=not shown_legend[to_focus]))
        shown_legend[to_focus] = True
    # the links' hover: one invisible marker at each link's midpoint
    if len(links):
        mids = [((where[r.category_i] + where[r.category_j]) / 2, r.hover) for r in links.itertuples()
                if r.category_i in where and r.category_j in where]
        fig.add_trace(go.Scatter(x=[m[0][0] for m in mids], y=[m[0][1] for m in mids], mode="markers",
                                 marker={"size": 10, "opacity": 0}, hovertemplate="%{customdata[1]}<extra></extra>",
                                 customdata=[["", m[1]] for m in mids], showlegend=False))
    sizes = node_sizes(nodes["employment"])
    has = nodes["employment"].notna().to_numpy()
    for is_focus, name in ((True, legend_focus), (False, legend_related)):
        idx = np.where((np.arange(len(nodes)) == 0) == is_focus)[0]
        if not len(idx):
            continue
        part = nodes.iloc[idx]
        colours = [(FOCUS_COLOUR if is_focus else ACCENT) if has[i] else NO_DATA for i in idx]
        fig.add_trace(go.Scatter(
            x=pos[idx, 0], y=pos[idx, 1], mode="markers+text", text=list(part["label"]), ids=list(part["category"]),
            textposition=[_text_position(pos[i]) for i in idx], textfont={"size": 12},
            marker={"size": sizes[idx], "color": colours, "line": {"color": "#1a1a1a", "width": 1}},
            customdata=part[["url", "hover"]].to_numpy().tolist(), hovertemplate="%{customdata[1]}<extra></extra>",
            name=name, cliponaxis=False))
    if (~has).any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=no_data_label,
                                 marker={"size": 10, "color": NO_DATA, "line": {"color": "#1a1a1a", "width": 1}}))
    axis = {"visible": False, "range": [-1.75, 1.75], "fixedrange": True}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis, scaleanchor="x", scaleratio=1)
    fig.update_layout(clickmode="event", hovermode="closest")
    return captioned(fig, caption, height=560, axis_space=10, left=20, right=20, legend_top=True)


def _text_position(p: np.ndarray) -> str:
    if abs(p[0]) < 1e-9 and abs(p[1]) < 1e-9:
        return "bottom center"
    vertical = "top" if p[1] > 0.3 else "bottom" if p[1] < -0.3 else "middle"
    horizontal = "right" if p[0] > 0.3 else "left" if p[0] < -0.3 else "center"
    return f"{vertical} {horizontal}"


def spectral_layout(weights: np.ndarray) -> np.ndarray:
    """Deterministic 2-D positions of a weighted graph (``n × n``, symmetric, non-negative): the second and third
    eigenvectors of its normalised Laplacian, each signed so that its largest entry is positive and scaled to
    [-1, 1]. Strongly linked nodes land close together; no random seed."""
    n = len(weights)
    if n < 3:
        return circular_layout(n)
    w = np.array(weights, dtype=float)
    np.fill_diagonal(w, 0.0)
    deg = w.sum(axis=1)
    inv = np.where(deg > 0, 1.0 / np.sqrt(np.where(deg > 0, deg, 1.0)), 0.0)
    lap = np.eye(n) - inv[:, None] * w * inv[None, :]
    _vals, vecs = np.linalg.eigh(lap)
    pos = vecs[:, 1:3] * inv[:, None] if (deg > 0).all() else vecs[:, 1:3]
    for k in range(2):
        col = pos[:, k]
        if col[np.argmax(np.abs(col))] < 0:
            col = -col
        span = np.abs(col).max() or 1.0
        pos[:, k] = np.round(col / span, 9)
    return pos


def space_network(nodes: pd.DataFrame, links: pd.DataFrame, caption: Caption, *, legend_on: str, legend_off: str,
                  legend_link: str) -> go.Figure:
    """A whole network (the industry space): nodes at ``nodes.x``/``nodes.y``, ``nodes.on`` highlighted (focus
    colour), node area ∝ ``employment``; link width grows with ``value``.

    ``nodes`` columns: ``category``, ``label``, ``x``, ``y``, ``on``, ``employment``, ``hover``, ``url``;
    ``links``: ``category_i``, ``category_j``, ``value``."""
    where = {r.category: (r.x, r.y) for r in nodes.itertuples()}
    fig = go.Figure()
    vmax = float(links["value"].max()) if len(links) else 1.0
    vmin = float(links["value"].min()) if len(links) else 0.0
    span = (vmax - vmin) or 1.0
    xs: list[float | None] = []
    ys: list[float | None] = []
    for r in links.itertuples():
        a, b = where.get(r.category_i), where.get(r.category_j)
        if a is None or b is None:
            continue
        xs += [a[0], b[0], None]
        ys += [a[1], b[1], None]
    if xs:
        mean = (float(links["value"].mean()) - vmin) / span
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name=legend_link,
                                 line={"color": "#9a9a9a", "width": 0.8 + 1.5 * mean}, opacity=0.6))
    sizes = node_sizes(nodes["employment"]) * 0.7
    for on, name, colour in ((False, legend_off, ACCENT), (True, legend_on, FOCUS_COLOUR)):
        idx = np.where(nodes["on"].to_numpy(dtype=bool) == on)[0]
        if not len(idx):
            continue
        part = nodes.iloc[idx]
        fig.add_trace(go.Scatter(
            x=part["x"], y=part["y"], mode="markers", ids=list(part["category"]), name=name,
            marker={"size": sizes[idx], "color": colour, "opacity": 0.85, "line": {"color": "#1a1a1a", "width": 0.6}},
            customdata=part[["url", "hover"]].to_numpy().tolist(), hovertemplate="%{customdata[1]}<extra></extra>",
            cliponaxis=False))
    axis = {"visible": False, "range": [-1.2, 1.2], "fixedrange": True}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    fig.update_layout(clickmode="event", hovermode="closest")
    return captioned(fig, caption, height=560, axis_space=10, left=20, right=20, legend_top=True)

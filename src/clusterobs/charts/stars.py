"""The star strip: stars of categories (rows) in one or more regions (columns), one marker per cell.

A filled star sized by the stars (1-3), a small ring for 0 stars (a value), a grey "×" for no data. With one
column it lists a region's starred clusters; with several it compares regions on one shared grid.

Frame columns: ``row``, ``column``, ``stars`` (NaN = no data), ``url``, ``hover``. ``region_star_cells`` makes
the frame of one region under every scheme (the web's region overview and the scorecard) from its cluster measures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned, label_margin
from clusterobs.charts.palette import NO_DATA, STAR_COLOURS


class StarCells(NamedTuple):
    """The cells of a region's star strip: ``cells`` (its measures for the ``rows`` categories under each scheme,
    with ``row``; ``stars`` NaN where employment is missing), ``rows`` (most stars first) and ``more`` (the starred
    categories left out)."""

    cells: pd.DataFrame
    rows: list[str]
    more: int


def region_star_cells(measures: pd.DataFrame, schemes: Sequence[str], *, rows: int) -> StarCells:
    """From one region's cluster measures under every scheme: every category with two or three stars under some
    scheme, then the others with the most stars summed over ``schemes`` up to ``rows`` categories (a cell without
    employment is no data, not 0 stars); their cells in the order of ``schemes``. The caller adds ``column`` (its
    label of ``scheme``), ``url`` and ``hover``."""
    every = pd.concat([measures[measures["scheme"] == s] for s in schemes], ignore_index=True)
    starred = every[(every["stars"] > 0) & every["employment"].notna()]
    g = starred.groupby("category_name")["stars"]
    order = g.sum().sort_values(ascending=False, kind="stable")
    strong = set(g.max().index[g.max() >= 2])
    top = [c for c in order.index if c in strong]
    top += [c for c in order.index if c not in strong][:max(rows - len(top), 0)]
    cells = every[every["category_name"].isin(top)].copy()
    cells["row"] = cells["category_name"]
    cells["stars"] = cells["stars"].where(cells["employment"].notna()).astype(float)
    return StarCells(cells, top, len(order) - len(top))


def star_strip(frame: pd.DataFrame, caption: Caption, *, star_labels: Sequence[str], no_data_label: str,
               columns: Sequence[str] | None = None, rows: Sequence[str] | None = None) -> go.Figure:
    columns = list(columns or dict.fromkeys(frame["column"]))
    rows = list(rows or dict.fromkeys(frame["row"]))
    fig = go.Figure()
    for stars in (3, 2, 1, 0):
        cells = frame[frame["stars"] == stars]
        if cells.empty:
            continue
        fig.add_trace(go.Scatter(
            x=cells["column"], y=cells["row"], mode="markers+text" if stars else "markers", name=star_labels[stars],
            text=["★" * stars] * len(cells) if stars else None, textposition="middle right",
            textfont={"size": 10, "color": STAR_COLOURS[3]},
            marker={"symbol": "star" if stars else "circle-open", "size": 10 + 5 * stars if stars else 7,
                    "color": STAR_COLOURS[stars] if stars else "#4d4d4d",
                    "line": {"color": "#08306b" if stars else "#4d4d4d", "width": 1}},
            customdata=cells[["url", "hover"]].to_numpy().tolist(), hovertemplate="%{customdata[1]}<extra></extra>"))
    missing = frame[frame["stars"].isna()]
    if len(missing):
        fig.add_trace(go.Scatter(
            x=missing["column"], y=missing["row"], mode="markers", name=no_data_label,
            marker={"symbol": "x-thin", "size": 8, "color": NO_DATA, "line": {"color": "#6f6f6f", "width": 1.5}},
            customdata=missing[["url", "hover"]].to_numpy().tolist(),
            hovertemplate="%{customdata[1]}<extra></extra>"))
    fig.update_xaxes(categoryorder="array", categoryarray=columns, side="top", showgrid=True, gridcolor="#f0f0f0",
                     type="category")
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed", showgrid=True,
                     gridcolor="#f0f0f0", automargin=False, type="category", tickfont={"size": 12})
    fig.update_xaxes(automargin=False, tickfont={"size": 12})
    height = max(120, 26 * len(rows) + 50)
    fig.update_layout(clickmode="event", legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0,
                                                 "yanchor": "top", "yref": "paper"})
    return captioned(fig, caption, height=height, axis_space=40, left=label_margin(rows), right=40, top_extra=26)

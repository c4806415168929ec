"""The radar chart of a self-assessment: a score per dimension (0-100), optionally beside a comparison group.

``scores`` is ``{dimension title: score}``; ``reference`` (the peers' median, say) is drawn as a dashed outline
with its own name. Okabe-Ito blue for the result, grey for the reference: distinct without colour too (solid vs
dashed), UX.md §4.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, _wrap, captioned
from clusterobs.charts.palette import ACCENT

#: characters per line of a dimension's label around the circle
LABEL_WRAP = 18


def _closed(values: list[float], labels: list[str]) -> tuple[list[float], list[str]]:
    return [*values, values[0]], [*labels, labels[0]]


def score_radar(scores: Mapping[str, float], caption: Caption, *, name: str,
                reference: Mapping[str, float] | None = None, reference_name: str = "") -> go.Figure:
    labels = ["<br>".join(_wrap(str(k), LABEL_WRAP)) for k in scores]
    reference = {"<br>".join(_wrap(str(k), LABEL_WRAP)): v for k, v in (reference or {}).items()}
    fig = go.Figure()
    if reference:
        r, theta = _closed([float(reference.get(k, 0.0)) for k in labels], labels)
        fig.add_trace(go.Scatterpolar(r=r, theta=theta, name=reference_name, mode="lines",
                                      line={"color": "#4d4d4d", "dash": "dash", "width": 2},
                                      hovertemplate="%{theta}: %{r:.0f}<extra>" + reference_name + "</extra>"))
    r, theta = _closed([float(v) for v in scores.values()], labels)
    fig.add_trace(go.Scatterpolar(r=r, theta=theta, name=name, mode="lines+markers", fill="toself",
                                  fillcolor="rgba(0,114,178,0.18)", line={"color": ACCENT, "width": 2.5},
                                  marker={"size": 7}, hovertemplate="%{theta}: %{r:.0f}<extra>" + name + "</extra>"))
    fig.update_layout(
        polar={"radialaxis": {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100], "angle": 90,
                              "tickfont": {"size": 10}, "gridcolor": "#d9d9d9"},
               "angularaxis": {"direction": "clockwise", "rotation": 90, "tickfont": {"size": 12},
                               "gridcolor": "#d9d9d9"},
               "bgcolor": "white"},
        showlegend=True, legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.05, "yanchor": "top"})
    return captioned(fig, caption, height=460, axis_space=50, left=120, right=120)

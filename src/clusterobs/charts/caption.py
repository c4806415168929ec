"""The captioned chart: title, subtitle, source line and notes, part of every exported image."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

#: Okabe-Ito, colour-blind safe (jfly.uni-koeln.de/color)
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
#: stars 0-3: grey, then a sequential blue scale (distinct for colour-blind readers, 3:1 contrast steps)
STAR_COLOURS = {0: "#d9d9d9", 1: "#9ecae1", 2: "#3182bd", 3: "#08306b"}
NO_DATA = "#f0f0f0"


@dataclass
class Caption:
    title: str
    subtitle: str = ""
    source: str = "Source: Eurostat (SBS, sbs_r_nuts06_r2); clusterobs"
    notes: list[str] = field(default_factory=list)

    def footer(self) -> str:
        lines = [self.source, *self.notes]
        return "<br>".join(line for line in lines if line)


def captioned(fig: go.Figure, caption: Caption, *, height: int = 480) -> go.Figure:
    """Apply the caption and the house layout to ``fig`` and return it."""
    title = f"<b>{caption.title}</b>" + (f"<br><span style='font-size:13px'>{caption.subtitle}</span>"
                                          if caption.subtitle else "")
    n_notes = 1 + len(caption.notes)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        margin={"t": 80, "b": 40 + 16 * n_notes, "l": 60, "r": 20},
        height=height,
        font={"family": "Helvetica, Arial, sans-serif", "size": 13, "color": "#1a1a1a"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=OKABE_ITO,
    )
    fig.add_annotation(text=caption.footer(), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-24 - 0 * n_notes, showarrow=False, align="left",
                       font={"size": 11, "color": "#4d4d4d"})
    return fig

"""The captioned chart: title, subtitle, source line and notes, part of every exported image (UX.md §1)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from clusterobs.charts.palette import NO_DATA, OKABE_ITO, STAR_COLOURS

__all__ = ["NO_DATA", "OKABE_ITO", "STAR_COLOURS", "Caption", "captioned"]

#: characters per footer line before it wraps (at 11 px, about a 700 px wide image)
FOOTER_WRAP = 120


@dataclass
class Caption:
    """What a chart says about itself.

    ``source`` is the source line built from the provenance of the columns drawn; ``notes`` each say where the
    chart departs from the subtitle (imputed values, regions without data, categories not covered...).
    """

    title: str
    subtitle: str = ""
    source: str = "Source: Eurostat (SBS, sbs_r_nuts06_r2); clusterobs"
    notes: list[str] = field(default_factory=list)

    def footer_lines(self, wrap: int = FOOTER_WRAP) -> list[str]:
        lines: list[str] = []
        for line in [self.source, *self.notes]:
            lines.extend(_wrap(line, wrap))
        return [line for line in lines if line]

    def footer(self) -> str:
        return "<br>".join(self.footer_lines())


def _wrap(text: str, width: int) -> list[str]:
    if not text:
        return []
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return out


def captioned(fig: go.Figure, caption: Caption, *, height: int = 480, axis_space: int = 40,
              left: int = 60, right: int = 20, legend_top: bool = False, top_extra: int = 0) -> go.Figure:
    """Apply the caption and the house layout to ``fig`` and return it.

    The title and subtitle sit above the plot, the source line and notes below it (under ``axis_space`` pixels
    left for the x axis), so a PNG or SVG of the figure carries them: the modebar's download and the server-side
    export alike. ``height`` is the plot's height without the caption; ``left`` is the left margin, fixed (no
    automargin) so that the footer can start at the figure's left edge. ``legend_top`` puts a horizontal legend
    between the subtitle and the plot.
    """
    subtitle = "<br>".join(_wrap(caption.subtitle, FOOTER_WRAP - 20))
    footer = caption.footer_lines()
    legend_px = 30 if legend_top else 0
    above, below = caption_space(caption)
    top = above + legend_px + top_extra
    bottom = axis_space + 12 + below
    fig.update_layout(
        template="none",  # no hidden defaults (and no 10 kB of template in every page's figure JSON)
        title={"text": f"<b>{caption.title}</b>", "subtitle": {"text": subtitle, "font": {"size": 12}},
               "x": 0, "xref": "container", "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
               "pad": {"t": 12, "l": 10}, "font": {"size": 16}},
        margin={"t": top, "b": bottom, "l": left, "r": right, "autoexpand": False},
        height=height + top + bottom,
        font={"family": "Helvetica, Arial, sans-serif", "size": 13, "color": "#1a1a1a"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=OKABE_ITO,
        hoverlabel={"bgcolor": "white", "font": {"color": "#1a1a1a"}},
    )
    if axis_space:
        fig.update_xaxes(title_standoff=4, automargin=False, ticks="outside", ticklen=4, tickcolor="#9a9a9a")
        fig.update_yaxes(title_standoff=4)
    if legend_top:
        fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom",
                                  "yref": "paper", "font": {"size": 12}})
    fig.add_annotation(text="<br>".join(footer), xref="paper", yref="paper", x=0, y=0, xshift=-(left - 10),
                       yshift=-axis_space, xanchor="left", yanchor="top", showarrow=False, align="left",
                       font={"size": 11, "color": "#4d4d4d"}, name="caption-footer")
    fig.layout.meta = {"title": caption.title, "subtitle": caption.subtitle, "source": caption.source,
                       "notes": list(caption.notes)}
    return fig


def caption_space(caption: Caption) -> tuple[int, int]:
    """Pixels ``captioned`` gives the caption: above the plot (title and subtitle), below it (source and notes)."""
    n_sub = len(_wrap(caption.subtitle, FOOTER_WRAP - 20))
    return 40 + 17 * n_sub, 15 * len(caption.footer_lines())


def caption_of(fig: go.Figure) -> Caption | None:
    """The caption ``captioned`` applied to ``fig`` (kept in ``layout.meta``), or None."""
    meta = fig.layout.meta
    if not isinstance(meta, dict) or "title" not in meta:
        return None
    return Caption(meta["title"], meta.get("subtitle", ""), meta.get("source", ""), list(meta.get("notes", [])))


def without_caption(fig: go.Figure, *, pad: int = 8) -> dict[str, Any]:
    """The figure as a Plotly JSON dict without its caption: no title, subtitle, source line or notes, margins and
    height reduced by what ``captioned`` added for them (``pad`` pixels kept above the plot).

    For documents that print the caption as text beside the image (the reports); ``fig`` is not changed.
    """
    spec = fig.to_plotly_json()
    caption = caption_of(fig)
    if caption is None:
        return spec
    above, below = caption_space(caption)
    layout = dict(spec.get("layout", {}))
    margin = dict(layout.get("margin", {}))
    margin["t"] = max(0, int(margin.get("t", above)) - above + pad)
    margin["b"] = max(0, int(margin.get("b", below)) - below)
    layout["margin"] = margin
    layout["height"] = int(layout.get("height", 480)) - above + pad - below
    layout.pop("title", None)
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") != "caption-footer"]
    spec["layout"] = layout
    return spec


def label_margin(labels: list[str] | tuple[str, ...], *, font_px: float = 12, lo: int = 60, hi: int = 340) -> int:
    """A left margin wide enough for category axis labels (about 0.55 em per character)."""
    longest = max((len(str(x)) for x in labels), default=0)
    return int(min(hi, max(lo, longest * font_px * 0.55 + 16)))


def reference_line(fig: go.Figure, value: float, label: str, *, axis: str = "x", log: bool = False,
                   dash: str = "dash", colour: str = "#4d4d4d", position: str = "top") -> None:
    """A dashed line at ``value`` with its label, correct on log axes (annotations there take log10 positions)."""
    where = math.log10(value) if log else value
    if axis == "x":
        fig.add_shape(type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1,
                      line={"dash": dash, "color": colour, "width": 1.3})
        fig.add_annotation(x=where, xref="x", y=1 if position == "top" else 0.92, yref="paper", text=label,
                           showarrow=False, xanchor="left", yanchor="top",
                           xshift=3, font={"size": 11, "color": colour}, bgcolor="rgba(255,255,255,0.8)")
    else:
        fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=value, y1=value,
                      line={"dash": dash, "color": colour, "width": 1.3})
        fig.add_annotation(y=where, yref="y", x=0, xref="paper", text=label, showarrow=False, xanchor="left",
                           yanchor="bottom", font={"size": 11, "color": colour}, bgcolor="rgba(255,255,255,0.8)")


def finite(x: object) -> bool:
    """True for a number that is not NaN/None (pandas' missing values included)."""
    try:
        return x is not None and not math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False

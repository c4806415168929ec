"""Maps of NUTS regions on a blank base map (MapLibre ``white-bg``: no tiles, nothing leaves the machine).

``choropleth_map`` colours regions by classes (one trace per class, so the legend lists explicit ranges with
per-class counts and a "No data" entry distinct from zero); regions whose value is partly imputed get an
outline-only overlay, since map choropleths have no pattern fill. ``symbol_map`` draws counts as circles whose
area is proportional to the value (UX.md §3: counts are not choropleths). ``locator_map`` highlights a region.

Every frame passed in has one row per region: ``code``, ``name``, ``value`` (NaN = no data), ``value_text``,
``detail`` (year used, imputed share or why there is no data, in words) and ``url`` (click-through).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from clusterobs.charts.caption import Caption, captioned
from clusterobs.charts.classing import Classing
from clusterobs.charts.palette import ACCENT, IMPUTED_OUTLINE, IMPUTED_OUTLINE_WIDTH, NO_DATA, OUTLINE

#: Europe without the outermost regions: the default view of every map
EUROPE = {"center": {"lat": 53.0, "lon": 14.0}, "zoom": 2.75}
HOVER = "<b>%{customdata[1]}</b> (%{location})<br>%{customdata[2]}<br>%{customdata[3]}<extra></extra>"
COLUMNS = ("code", "name", "value", "value_text", "detail", "url")


def _subset(geojson: dict[str, Any], codes: Iterable[str]) -> dict[str, Any]:
    keep = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in keep]}


def _complete(frame: pd.DataFrame, geojson: dict[str, Any], no_data_detail: str) -> pd.DataFrame:
    """Every region of the geometry is on the map: the ones missing from ``frame`` as no data."""
    frame = frame.loc[:, [c for c in frame.columns if c in COLUMNS or c == "imputed"]].copy()
    have = set(frame["code"])
    extra = [{"code": f["id"], "name": f["properties"].get("name", f["id"]), "value": math.nan,
              "value_text": "", "detail": no_data_detail, "url": ""}
             for f in geojson["features"] if f["id"] not in have]
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    if "imputed" not in frame:
        frame["imputed"] = False
    frame["imputed"] = frame["imputed"].fillna(False).astype(bool)
    geo_codes = {f["id"] for f in geojson["features"]}
    return frame[frame["code"].isin(geo_codes)].reset_index(drop=True)


def _region_trace(geojson: dict[str, Any], rows: pd.DataFrame, colour: str, name: str, *, legend: bool = True,
                  line: str = OUTLINE, width: float = 0.5, legendrank: int = 1000) -> go.Choroplethmap:
    return go.Choroplethmap(
        geojson=_subset(geojson, rows["code"]), locations=list(rows["code"]), z=[1] * len(rows),
        featureidkey="id", colorscale=[[0, colour], [1, colour]], showscale=False, zmin=0, zmax=1,
        marker={"line": {"color": line, "width": width}, "opacity": 1},
        customdata=rows[["url", "name", "value_text", "detail"]].fillna("").to_numpy().tolist(),
        hovertemplate=HOVER, name=name, showlegend=legend, legendrank=legendrank)


def _imputed_traces(geojson: dict[str, Any], rows: pd.DataFrame, name: str) -> list[go.Choroplethmap | go.Scattermap]:
    """The outline overlay (transparent fill: the class colour stays visible) and its legend entry.

    A choropleth's legend swatch shows its fill, here transparent, so the overlay stays out of the legend and an
    empty line trace in the same colour stands for it.
    """
    overlay = go.Choroplethmap(
        geojson=_subset(geojson, rows["code"]), locations=list(rows["code"]), z=[0] * len(rows), featureidkey="id",
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, zmin=0, zmax=1,
        marker={"line": {"color": IMPUTED_OUTLINE, "width": IMPUTED_OUTLINE_WIDTH}, "opacity": 1}, hoverinfo="skip",
        name=name, showlegend=False, legendgroup="imputed")
    key = go.Scattermap(lat=[None], lon=[None], mode="lines", name=name, showlegend=True, legendgroup="imputed",
                        line={"color": IMPUTED_OUTLINE, "width": 2.5}, hoverinfo="skip", legendrank=3000)
    return [overlay, key]


def _map_layout(fig: go.Figure, view: dict[str, Any] | None, legend_title: str) -> None:
    view = view or EUROPE
    fig.update_layout(
        map={"style": "white-bg", "center": view["center"], "zoom": view["zoom"]},
        legend={"title": {"text": legend_title}, "x": 0.01, "xanchor": "left", "y": 0.99, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#d0d0d0", "borderwidth": 1,
                "itemclick": False, "itemdoubleclick": False},
    )


def choropleth_map(frame: pd.DataFrame, geojson: dict[str, Any], classing: Classing, caption: Caption, *,
                   legend_title: str = "", no_data_label: str = "No data", imputed_label: str = "Partly imputed",
                   no_data_detail: str = "No data", view: dict[str, Any] | None = None,
                   height: int = 560) -> go.Figure:
    """Regions coloured by ``classing`` of ``frame.value``; no-data regions grey with their own legend entry."""
    frame = _complete(frame, geojson, no_data_detail)
    frame["bin"] = classing.assign(frame["value"])
    fig = go.Figure()
    for i, b in enumerate(classing.bins):
        rows = frame[frame["bin"] == i]
        if len(rows):
            fig.add_trace(_region_trace(geojson, rows, b.colour, f"{b.label} ({len(rows)})", legendrank=1000 + i))
    missing = frame[frame["bin"] == -1]
    if len(missing):
        fig.add_trace(_region_trace(geojson, missing, NO_DATA, f"{no_data_label} ({len(missing)})",
                                    legendrank=2000))
    imputed = frame[frame["imputed"] & (frame["bin"] >= 0)]
    if len(imputed):
        fig.add_traces(_imputed_traces(geojson, imputed, f"{imputed_label} ({len(imputed)})"))
    _map_layout(fig, view, legend_title)
    return captioned(fig, caption, height=height, axis_space=0, left=10, right=10)


def symbol_map(frame: pd.DataFrame, geojson: dict[str, Any], points: dict[str, tuple[float, float]],
               caption: Caption, *, legend_title: str = "", with_data_label: str = "Data",
               no_data_label: str = "No data", imputed_label: str = "Partly imputed", no_data_detail: str = "No data",
               reference: Sequence[tuple[float, str]] = (), view: dict[str, Any] | None = None,
               height: int = 560, max_px: float = 38.0) -> go.Figure:
    """Circles with area ∝ ``value`` at each region's label point, over the regions (grey where no data)."""
    frame = _complete(frame, geojson, no_data_detail)
    have = frame["value"].notna()
    fig = go.Figure()
    if have.any():
        fig.add_trace(_region_trace(geojson, frame[have], "#f4f4f4", f"{with_data_label} ({int(have.sum())})",
                                    legendrank=1000))
    if (~have).any():
        fig.add_trace(_region_trace(geojson, frame[~have], NO_DATA, f"{no_data_label} ({int((~have).sum())})",
                                    legendrank=2000))
    pts = frame[have & (frame["value"] > 0) & frame["code"].isin(points)].sort_values("value", ascending=False)
    vmax = float(pts["value"].max()) if len(pts) else 1.0
    sizeref = 2.0 * vmax / max_px**2
    if len(pts):
        lat = [points[c][1] for c in pts["code"]]
        lon = [points[c][0] for c in pts["code"]]
        fig.add_trace(go.Scattermap(
            lat=lat, lon=lon, mode="markers", name=legend_title or "∝",
            marker={"size": pts["value"].tolist(), "sizemode": "area", "sizeref": sizeref, "sizemin": 2,
                    "color": ACCENT, "opacity": 0.75},
            customdata=pts[["url", "name", "value_text", "detail"]].fillna("").to_numpy().tolist(),
            text=list(pts["code"]),
            hovertemplate=HOVER.replace("%{location}", "%{text}"), showlegend=False))
        # MapLibre circles take no outline: partly imputed regions keep the outline overlay on their polygon
    imputed = frame[frame["imputed"] & have]
    if len(imputed):
        fig.add_traces(_imputed_traces(geojson, imputed, f"{imputed_label} ({len(imputed)})"))
    for value, label in reference:
        if value > 0:
            fig.add_trace(go.Scattermap(lat=[None], lon=[None], mode="markers", name=label, showlegend=True,
                                        marker={"size": math.sqrt(value / sizeref), "color": ACCENT, "opacity": 0.75},
                                        hoverinfo="skip", legendrank=500))
    _map_layout(fig, view, legend_title)
    fig.update_layout(legend={"itemsizing": "trace"})
    return captioned(fig, caption, height=height, axis_space=0, left=10, right=10)


def bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a GeoJSON geometry."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(c: Any) -> None:
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            xs.append(float(c[0]))
            ys.append(float(c[1]))
        elif isinstance(c, (list, tuple)):
            for x in c:
                walk(x)

    walk(geometry.get("coordinates", []))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (-10.0, 35.0, 30.0, 70.0)


def view_of(geometry: dict[str, Any], *, min_zoom: float = 2.5, max_zoom: float = 7.0) -> dict[str, Any]:
    """Centre and zoom that frame ``geometry`` with a margin (for the locator map)."""
    x0, y0, x1, y1 = bbox(geometry)
    span = max(x1 - x0, (y1 - y0) * 1.6, 0.5)
    zoom = max(min_zoom, min(max_zoom, math.log2(360.0 / span) - 3.0))
    return {"center": {"lat": (y0 + y1) / 2, "lon": (x0 + x1) / 2}, "zoom": zoom}


def locator_map(geojson: dict[str, Any], code: str, name: str, caption: Caption, *,
                country_codes: Iterable[str] = (), labels: tuple[str, str, str] = ("Region", "Same country", "Other"),
                height: int = 360) -> go.Figure:
    """The region in the accent colour, the other regions of its country lighter, the rest grey-white."""
    frame = pd.DataFrame([{"code": f["id"], "name": f["properties"].get("name", f["id"]), "value": math.nan,
                           "value_text": "", "detail": "", "url": ""} for f in geojson["features"]])
    same = set(country_codes) - {code}
    fig = go.Figure()
    others = frame[~frame["code"].isin(same | {code})]
    fig.add_trace(_region_trace(geojson, others, "#f2f2f2", labels[2], line="#9a9a9a", width=0.4))
    if same:
        fig.add_trace(_region_trace(geojson, frame[frame["code"].isin(same)], "#c6dbef", labels[1], width=0.6))
    target = frame[frame["code"] == code].copy()
    target["name"] = name
    if len(target):
        fig.add_trace(_region_trace(geojson, target, ACCENT, labels[0], line="#000000", width=1.2))
    feature = next((f for f in geojson["features"] if f["id"] == code), None)
    view = view_of(feature["geometry"]) if feature else EUROPE
    _map_layout(fig, view, "")
    return captioned(fig, caption, height=height, axis_space=0, left=10, right=10)


def _rings(geometry: dict[str, Any]) -> tuple[list[list[list[float]]], bool]:
    """The exterior rings of a Polygon or MultiPolygon, and whether it has holes."""
    polygons = [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry.get("coordinates", [])
    return [p[0] for p in polygons if p], any(len(p) > 1 for p in polygons)


def _outline_trace(rings: list[list[list[float]]], colour: str, name: str, *, line: str, width: float,
                   legend: bool, rank: int) -> go.Scatter:
    """Rings as one filled line trace (``None`` between rings: each ring is filled on its own)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        if xs:
            xs.append(None)
            ys.append(None)
        xs.extend(float(p[0]) for p in ring)
        ys.extend(float(p[1]) for p in ring)
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colour, line={"color": line, "width": width},
                      name=name, legendgroup=name, showlegend=legend, legendrank=rank, hoveron="fills",
                      hoverinfo="name", connectgaps=False)


def locator_outline(geojson: dict[str, Any], code: str, name: str, caption: Caption, *,
                    country_codes: Iterable[str] = (), labels: tuple[str, str, str] = ("Region", "Same country",
                                                                                       "Other"),
                    height: int = 360, pad: float = 1.5) -> go.Figure:
    """``locator_map`` drawn with plain Plotly shapes: no MapLibre, so a static image draws in a fraction of the time.

    The polygons are plotted in longitude and latitude with the latitude axis stretched by 1/cos(latitude) at the
    region's centre (an equirectangular view, true to shape near the region), framed on the region with ``pad``
    times its larger span around it. A polygon's holes are left out of its fill; the regions with holes are drawn
    first, so the regions inside a hole (Berlin in Brandenburg) stay visible.
    """
    feature = next((f for f in geojson["features"] if f["id"] == code), None)
    x0, y0, x1, y1 = bbox(feature["geometry"]) if feature else (-10.0, 35.0, 30.0, 70.0)
    margin = max(x1 - x0, y1 - y0, 2.0) * pad if feature else 0.0
    same = set(country_codes) - {code}
    styles = [("#f2f2f2", labels[2], "#9a9a9a", 0.4), ("#c6dbef", labels[1], OUTLINE, 0.6),
              (ACCENT, labels[0], "#000000", 1.2)]
    groups: dict[tuple[bool, int], list[list[list[float]]]] = {}
    for f in geojson["features"]:
        kind = 2 if f["id"] == code else 1 if f["id"] in same else 0
        rings, holed = _rings(f["geometry"])
        groups.setdefault((not holed, kind), []).extend(rings)
    fig = go.Figure()
    shown: set[int] = set()
    for key in sorted(groups):
        kind = key[1]
        colour, label, line, width = styles[kind]
        label = name if kind == 2 else label
        fig.add_trace(_outline_trace(groups[key], colour, label, line=line, width=width, legend=kind not in shown,
                                     rank=1000 - kind))
        shown.add(kind)
    lat = math.radians((y0 + y1) / 2)
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    fig.update_xaxes(range=[x0 - margin, x1 + margin], **axis)
    fig.update_yaxes(range=[y0 - margin, y1 + margin], scaleanchor="x", scaleratio=1 / max(math.cos(lat), 0.2),
                     **axis)
    fig.update_layout(legend={"x": 0.01, "xanchor": "left", "y": 0.99, "yanchor": "top",
                              "bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#d0d0d0", "borderwidth": 1,
                              "itemclick": False, "itemdoubleclick": False})
    return captioned(fig, caption, height=height, axis_space=0, left=10, right=10)

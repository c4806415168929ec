"""The economic complexity charts: a region's growth opportunities, the industry space around it, the ECI of
Europe's regions on a map and a region's ECI over the years (the web's complexity pages and their image export)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.maps import shapes_frame
from clusterobs.charts.specs.text import (
    GISCO,
    NOT_AVAILABLE,
    SBS_SOURCES,
    Translator,
    level_label,
    missing,
    number,
    source_line,
)

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: bubbles labelled on the chart (the most feasible)
LABEL_TOP = 5
#: a page's link (a category's, a region's)
Url = Callable[[str], str]


def _v(t: Translator, x: object, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(x) else number(t, x, digits)


def axis_label(t: Translator, axis: str) -> str:
    """The attractiveness axis of the growth opportunities ("pci", "cog")."""
    return {"pci": t.gettext("Complexity of the category (PCI)"),
            "cog": t.gettext("Complexity outlook gain (COG)")}[axis]


def _unit(t: Translator, year: int, level: int) -> str:
    return " · ".join([str(year), level_label(t, level), "NUTS 2021"])


def measure_note(t: Translator) -> str:
    """What the complexity measures are (a note under every complexity chart)."""
    return t.gettext("Economic complexity of the traded categories (Atlas of Economic Complexity conventions): RCA = "
                     "location quotient over traded employment, a region has a category when its RCA is at least 1.")


def growth_opportunities(t: Translator, reads: VersionReads, *, region: Mapping[str, Any],
                         opportunities: pd.DataFrame, axis: str, year: int, level: int, url: Url | None = None,
                         filename: str = "growth-opportunities") -> ChartOut:
    """The traded categories the region (``name``) does not have, by feasibility (density) and attractiveness
    (``axis``: PCI or COG); ``opportunities``: one row per category (``category_name`` in the reader's language),
    most feasible first; ``url``: a category's page."""
    opp = opportunities
    if opp.empty:
        raise EmptyChart(t.gettext("%(name)s has no traded category to develop with a density in %(year)s.")
                         % {"name": region["name"], "year": year})
    frame = pd.DataFrame({"x": opp["density"].astype(float), "y": opp[axis].astype(float),
                          "size": opp["employment_europe"].astype(float), "group": t.gettext("Traded category"),
                          "label": opp["category_name"]})
    frame["url"] = [url(c) for c in opp["category"]] if url else ""
    density, europe = t.gettext("Density"), t.gettext("European employment")
    frame["hover"] = [f"<b>{r.category_name}</b><br>{density}: {_v(t, r.density)}<br>PCI: {_v(t, r.pci)}"
                      f"<br>COG: {_v(t, r.cog)}<br>{europe}: {_v(t, r.employment_europe, 0)}"
                      for r in opp.itertuples()]
    title = t.gettext("Growth opportunities of %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([t.gettext("Feasibility (density) against attractiveness (%(axis)s)")
                           % {"axis": axis.upper()}, _unit(t, year, level)])
    notes = [t.gettext("The %(n)s traded categories the region does not have (RCA below 1); bubble area: European "
                       "employment in the category. Density: proximity-weighted share of the category's neighbours "
                       "the region has (0–1).") % {"n": len(opp)}, measure_note(t)]
    caption = Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes)
    fig = charts.opportunity_bubbles(frame, caption, x_title=t.gettext("Feasibility: density"),
                                     y_title=axis_label(t, axis), label_top=LABEL_TOP)
    top = opp.head(3)
    low = t.gettext("density")
    summary = t.gettext("The most feasible opportunities of %(name)s are %(top)s.") % {
        "name": region["name"], "top": ", ".join(f"{r.category_name} ({low} {_v(t, r.density)}, "
                                                 f"{axis.upper()} {_v(t, getattr(r, axis))})"
                                                 for r in top.itertuples())}
    table = [[t.gettext("Category"), density, "PCI", "COG", europe]] + [
        [r.category_name, _v(t, r.density), _v(t, r.pci), _v(t, r.cog), _v(t, r.employment_europe, 0)]
        for r in opp.itertuples()]
    return ChartOut("growth-opportunities", fig, title, summary, table, filename, notes)


def industry_space(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], space: Mapping[str, Any],
                   year: int, level: int, url: Url | None = None, filename: str = "industry-space") -> ChartOut:
    """The traded categories linked by proximity, those the region (``name``) has marked (``space``: ``nodes``
    with ``mcp``, ``proximity``, ``links`` and the link ``cutoff``); ``level``: the page's, in the subtitle;
    ``url``: a category's page."""
    nodes = space["nodes"]
    if len(nodes) < 3:
        raise EmptyChart(t.gettext("Too few categories have a specialised region in %(year)s to draw the industry "
                                   "space.") % {"year": year})
    pos = charts.spectral_layout(space["proximity"].to_numpy())
    nodes = nodes.assign(x=pos[:, 0], y=pos[:, 1], on=nodes["mcp"] == 1, label=nodes["name"])
    nodes["url"] = [url(c) for c in nodes["category"]] if url else ""
    has, europe = t.gettext("the region has it (RCA ≥ 1)"), t.gettext("European employment")
    nodes["hover"] = [f"<b>{r.name}</b><br>PCI: {_v(t, r.pci)}<br>{europe}: {_v(t, r.employment, 0)}"
                      + (f"<br>{has}" if r.on else "") for r in nodes.itertuples()]
    title = t.gettext("The industry space and %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([t.gettext("Traded categories linked by proximity"), _unit(t, year, level)])
    notes = [t.gettext("Proximity: the smaller of the two conditional probabilities that a region has one category "
                       "given the other. Links: the maximum spanning tree and the pairs with proximity at least "
                       "%(cut)s (top 10%%). Node area: European employment; position: spectral layout of the "
                       "proximities.") % {"cut": _v(t, space["cutoff"])}, measure_note(t)]
    caption = Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes)
    fig = charts.space_network(nodes, space["links"], caption,
                               legend_on=t.gettext("%(name)s has it") % {"name": region["name"]},
                               legend_off=t.gettext("Other traded category"),
                               legend_link=t.gettext("Proximity link"))
    mine = nodes[nodes["on"]].sort_values("pci", ascending=False)
    summary = t.gettext("%(name)s has %(n)s of the %(total)s categories of the industry space; the most complex: "
                        "%(top)s.") % {
        "name": region["name"], "n": len(mine), "total": len(nodes),
        "top": ", ".join(str(r.name) for r in mine.head(3).itertuples()) or NOT_AVAILABLE}
    table = [[t.gettext("Category"), t.gettext("Has it"), "PCI", europe]] + [
        [r.name, t.gettext("yes") if r.on else t.gettext("no"), _v(t, r.pci), _v(t, r.employment, 0)]
        for r in nodes.sort_values("name").itertuples()]
    return ChartOut("industry-space", fig, title, summary, table, filename, notes)


def eci_map(t: Translator, reads: VersionReads, *, rows: pd.DataFrame, level: int, year: int,
            url: Url | None = None, filename: str = "eci-map") -> ChartOut:
    """The ECI of the regions of ``level`` on a map (``rows``: one per region with an ECI, ``name``, ``diversity``,
    the most complex first); ``url``: a region's growth opportunities."""
    if rows.empty:
        raise EmptyChart(t.gettext("No region has an ECI in %(year)s at this NUTS level.") % {"year": year})
    geo = reads.geojson(level)
    frame = shapes_frame(reads, level, rows, ["eci", "diversity"])
    frame["value"] = frame["eci"].astype(float)
    frame["value_text"] = [f"ECI: {_v(t, v)}" if not missing(v) else t.gettext("No data") for v in frame["value"]]
    frame["detail"] = [t.gettext("Year %(year)s") % {"year": year} if not missing(v) else t.gettext("No data")
                       for v in frame["value"]]
    frame["url"] = [url(c) for c in frame["code"]] if url else ""
    frame["imputed"] = False
    classing = charts.data_classes(frame["value"], k=5, method="quantile", name="ECI",
                                   fmt=lambda x: number(t, x, 2))
    title = t.gettext("Economic Complexity Index of European regions")
    subtitle = " · ".join([t.gettext("ECI: mean 0, standard deviation 1 over the regions"), _unit(t, year, level)])
    notes = [t.gettext("Classes: 5 quantile classes."), measure_note(t)]
    caption = Caption(title, subtitle, source_line(t, reads, [*SBS_SOURCES, GISCO]), notes)
    fig = charts.choropleth_map(frame, geo, classing, caption, legend_title="ECI",
                                no_data_label=t.gettext("No data"), no_data_detail=t.gettext("No data"))
    summary = t.gettext("The most complex regions in %(year)s: %(top)s.") % {
        "year": year, "top": ", ".join(f"{r.name} ({_v(t, r.eci)})" for r in rows.head(3).itertuples())}
    table = [[t.gettext("Code"), t.gettext("Region"), "ECI", t.gettext("Diversity")]] + [
        [r.region, r.name, _v(t, r.eci), str(r.diversity)] for r in rows.itertuples()]
    return ChartOut("eci-map", fig, title, summary, table, filename, notes)


def eci_years(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], rows: pd.DataFrame, level: int,
              filename: str = "eci-years") -> ChartOut:
    """The region's (``name``) ECI year by year (``rows``: ``year``, ``eci``, ``diversity``); ``level``: the
    page's, in the subtitle."""
    have = rows[rows["eci"].notna()]
    if len(have) < 2:
        raise EmptyChart(t.gettext("ECI over the years needs two years with data; %(name)s has %(n)s.")
                         % {"name": region["name"], "n": len(have)})
    frame = pd.DataFrame({"series": region["name"], "year": rows["year"], "value": rows["eci"].astype(float)})
    frame["hover"] = [f"{region['name']} {y}<br>ECI: {_v(t, v)}" for y, v in zip(rows["year"], rows["eci"],
                                                                                 strict=True)]
    title = t.gettext("Economic Complexity Index of %(name)s over the years") % {"name": region["name"]}
    subtitle = " · ".join([t.gettext("ECI: mean 0, standard deviation 1 over the regions of each year"),
                           level_label(t, level), "NUTS 2021"])
    notes = [t.gettext("Each year's ECI is relative to that year's regions: a change is a change of rank, not of an "
                       "absolute level."), measure_note(t)]
    caption = Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes)
    fig = charts.line_chart(frame, caption, value_title="ECI")
    fig.update_yaxes(rangemode="normal")
    first, last = have.iloc[0], have.iloc[-1]
    summary = t.gettext("The ECI of %(name)s went from %(a)s in %(y0)s to %(b)s in %(y1)s.") % {
        "name": region["name"], "a": _v(t, first["eci"]), "y0": int(first["year"]), "b": _v(t, last["eci"]),
        "y1": int(last["year"])}
    table = [[t.gettext("Year"), "ECI", t.gettext("Diversity")]] + [
        [str(int(r.year)), _v(t, r.eci), NOT_AVAILABLE if missing(r.diversity) else str(int(r.diversity))]
        for r in rows.itertuples()]
    return ChartOut("eci-years", fig, title, summary, table, filename, notes)

"""The complexity charts, registered with the site's chart specs by the app's ``ready()`` (``apps.py``) so that
every one is drawn by the pages and exported as PNG/SVG by ``/api/figures/<name>.png|svg`` with the same query."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs.text import GISCO, SBS_SOURCES, source_line
from clusterobs.web import chart_registry, dataset
from clusterobs.web.chart_registry import ChartOut, EmptyChart, chart
from clusterobs.web.complexity import selectors as cs
from clusterobs.web.complexity.query import CHART_KEYS
from clusterobs.web.labels import LEVEL_LABELS, NOT_AVAILABLE, T, missing, num
from clusterobs.web.query import Query

#: bubbles labelled on the chart (the most feasible)
LABEL_TOP = 5


def _v(x: object, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(x) else num(x, digits)


def axis_label(axis: str) -> str:
    return {"pci": _("Complexity of the category (PCI)"), "cog": _("Complexity outlook gain (COG)")}[axis]


def _filename(name: str, q: Query, *parts: object) -> str:
    return "_".join(str(p) for p in (name, *parts, f"nuts{q.level}", q.year) if p not in (None, "")).replace("/", "-")


def _region(q: Query) -> dict:
    if not q.region:
        raise dataset.BadParameter("region", "`region` is required for this chart.")
    return dataset.region_get(q.region)


def _unit(q: Query) -> str:
    return " · ".join([str(q.year), str(LEVEL_LABELS[q.level]), "NUTS 2021"])


def measure_note() -> str:
    return _("Economic complexity of the traded categories (Atlas of Economic Complexity conventions): RCA = location "
             "quotient over traded employment, a region has a category when its RCA is at least 1.")


@chart("growth-opportunities", *CHART_KEYS["growth-opportunities"])
def growth_opportunities(q: Query) -> ChartOut:
    region = _region(q)
    axis = q.extra.get("y", "pci")
    opp = cs.opportunities(q.region, year=q.year)
    if opp.empty:
        raise EmptyChart(_("%(name)s has no traded category to develop with a density in %(year)s.")
                         % {"name": region["name"], "year": q.year})
    frame = pd.DataFrame({"x": opp["density"].astype(float), "y": opp[axis].astype(float),
                          "size": opp["employment_europe"].astype(float), "group": _("Traded category"),
                          "label": opp["category_name"]})
    frame["url"] = [chart_registry.url("sector", c, year=q.year) for c in opp["category"]]
    frame["hover"] = [f"<b>{r.category_name}</b><br>{_('Density')}: {_v(r.density)}<br>PCI: {_v(r.pci)}"
                      f"<br>COG: {_v(r.cog)}<br>{_('European employment')}: {_v(r.employment_europe, 0)}"
                      for r in opp.itertuples()]
    title = _("Growth opportunities of %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([_("Feasibility (density) against attractiveness (%(axis)s)") % {"axis": axis.upper()},
                           _unit(q)])
    notes = [_("The %(n)s traded categories the region does not have (RCA below 1); bubble area: European employment "
               "in the category. Density: proximity-weighted share of the category's neighbours the region has "
               "(0–1).") % {"n": len(opp)}, measure_note()]
    caption = Caption(title, subtitle, source_line(T, dataset.data(), SBS_SOURCES), notes)
    fig = charts.opportunity_bubbles(frame, caption, x_title=_("Feasibility: density"), y_title=axis_label(axis),
                                     label_top=LABEL_TOP)
    top = opp.head(3)
    summary = _("The most feasible opportunities of %(name)s are %(top)s.") % {
        "name": region["name"], "top": ", ".join(f"{r.category_name} ({_('density')} {_v(r.density)}, "
                                                 f"{axis.upper()} {_v(getattr(r, axis))})" for r in top.itertuples())}
    table = [[_("Category"), _("Density"), "PCI", "COG", _("European employment")]] + [
        [r.category_name, _v(r.density), _v(r.pci), _v(r.cog), _v(r.employment_europe, 0)] for r in opp.itertuples()]
    return ChartOut("growth-opportunities", fig, title, summary, table,
                    _filename("growth-opportunities", q, q.region, axis), notes)


@chart("industry-space", *CHART_KEYS["industry-space"])
def industry_space(q: Query) -> ChartOut:
    region = _region(q)
    space = cs.industry_space(q.region, year=q.year)
    nodes = space["nodes"]
    if len(nodes) < 3:
        raise EmptyChart(_("Too few categories have a specialised region in %(year)s to draw the industry space.")
                         % {"year": q.year})
    pos = charts.spectral_layout(space["proximity"].to_numpy())
    nodes = nodes.assign(x=pos[:, 0], y=pos[:, 1], on=nodes["mcp"] == 1, label=nodes["name"])
    nodes["url"] = [chart_registry.url("sector", c, year=q.year) for c in nodes["category"]]
    has = _("the region has it (RCA ≥ 1)")
    nodes["hover"] = [f"<b>{r.name}</b><br>PCI: {_v(r.pci)}<br>{_('European employment')}: {_v(r.employment, 0)}"
                      + (f"<br>{has}" if r.on else "") for r in nodes.itertuples()]
    title = _("The industry space and %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([_("Traded categories linked by proximity"), _unit(q)])
    notes = [_("Proximity: the smaller of the two conditional probabilities that a region has one category given "
               "the other. Links: the maximum spanning tree and the pairs with proximity at least %(cut)s (top 10%%)."
               " Node area: European employment; position: spectral layout of the proximities.")
             % {"cut": _v(space["cutoff"])}, measure_note()]
    caption = Caption(title, subtitle, source_line(T, dataset.data(), SBS_SOURCES), notes)
    fig = charts.space_network(nodes, space["links"], caption,
                               legend_on=_("%(name)s has it") % {"name": region["name"]},
                               legend_off=_("Other traded category"), legend_link=_("Proximity link"))
    mine = nodes[nodes["on"]].sort_values("pci", ascending=False)
    summary = _("%(name)s has %(n)s of the %(total)s categories of the industry space; the most complex: %(top)s.") % {
        "name": region["name"], "n": len(mine), "total": len(nodes),
        "top": ", ".join(str(r.name) for r in mine.head(3).itertuples()) or NOT_AVAILABLE}
    table = [[_("Category"), _("Has it"), "PCI", _("European employment")]] + [
        [r.name, _("yes") if r.on else _("no"), _v(r.pci), _v(r.employment, 0)]
        for r in nodes.sort_values("name").itertuples()]
    return ChartOut("industry-space", fig, title, summary, table, _filename("industry-space", q, q.region), notes)


@chart("eci-map", *CHART_KEYS["eci-map"])
def eci_map(q: Query) -> ChartOut:
    rows = cs.eci_regions(level=q.level, year=q.year)
    if rows.empty:
        raise EmptyChart(_("No region has an ECI in %(year)s at this NUTS level.") % {"year": q.year})
    geo = chart_registry.geojson(q.level)
    shapes = [f["id"] for f in geo["features"]]
    names = dataset.data().regions.set_index("code")["name"]
    frame = pd.DataFrame({"code": shapes, "name": [names.get(c, c) for c in shapes]}).merge(
        rows[["region", "eci", "diversity"]], left_on="code", right_on="region", how="left")
    frame["value"] = frame["eci"].astype(float)
    frame["value_text"] = [f"ECI: {_v(v)}" if not missing(v) else _("No data") for v in frame["value"]]
    frame["detail"] = [_("Year %(year)s") % {"year": q.year} if not missing(v) else _("No data")
                       for v in frame["value"]]
    frame["url"] = [chart_registry.url("complexity:growth", c, year=q.year) for c in frame["code"]]
    frame["imputed"] = False
    classing = charts.data_classes(frame["value"], k=5, method="quantile", name="ECI", fmt=lambda x: num(x, 2))
    title = _("Economic Complexity Index of European regions")
    subtitle = " · ".join([_("ECI: mean 0, standard deviation 1 over the regions"), _unit(q)])
    notes = [_("Classes: 5 quantile classes."), measure_note()]
    caption = Caption(title, subtitle, source_line(T, dataset.data(), [*SBS_SOURCES, GISCO]), notes)
    fig = charts.choropleth_map(frame, geo, classing, caption, legend_title="ECI", no_data_label=_("No data"),
                                no_data_detail=_("No data"))
    summary = _("The most complex regions in %(year)s: %(top)s.") % {
        "year": q.year, "top": ", ".join(f"{r.name} ({_v(r.eci)})" for r in rows.head(3).itertuples())}
    table = [[_("Code"), _("Region"), "ECI", _("Diversity")]] + [
        [r.region, r.name, _v(r.eci), str(r.diversity)] for r in rows.itertuples()]
    return ChartOut("eci-map", fig, title, summary, table, _filename("eci-map", q), notes)


@chart("eci-years", *CHART_KEYS["eci-years"])
def eci_years(q: Query) -> ChartOut:
    region = _region(q)
    rows = cs.eci_series(q.region)
    have = rows[rows["eci"].notna()]
    if len(have) < 2:
        raise EmptyChart(_("ECI over the years needs two years with data; %(name)s has %(n)s.")
                         % {"name": region["name"], "n": len(have)})
    frame = pd.DataFrame({"series": region["name"], "year": rows["year"], "value": rows["eci"].astype(float)})
    frame["hover"] = [f"{region['name']} {y}<br>ECI: {_v(v)}" for y, v in zip(rows["year"], rows["eci"], strict=True)]
    title = _("Economic Complexity Index of %(name)s over the years") % {"name": region["name"]}
    subtitle = " · ".join([_("ECI: mean 0, standard deviation 1 over the regions of each year"),
                           str(LEVEL_LABELS[q.level]), "NUTS 2021"])
    notes = [_("Each year's ECI is relative to that year's regions: a change is a change of rank, not of an "
               "absolute level."), measure_note()]
    caption = Caption(title, subtitle, source_line(T, dataset.data(), SBS_SOURCES), notes)
    fig = charts.line_chart(frame, caption, value_title="ECI")
    fig.update_yaxes(rangemode="normal")
    first, last = have.iloc[0], have.iloc[-1]
    summary = _("The ECI of %(name)s went from %(a)s in %(y0)s to %(b)s in %(y1)s.") % {
        "name": region["name"], "a": _v(first["eci"]), "y0": int(first["year"]), "b": _v(last["eci"]),
        "y1": int(last["year"])}
    table = [[_("Year"), "ECI", _("Diversity")]] + [
        [str(int(r.year)), _v(r.eci), NOT_AVAILABLE if missing(r.diversity) else str(int(r.diversity))]
        for r in rows.itertuples()]
    return ChartOut("eci-years", fig, title, summary, table, _filename("eci-years", q, q.region), notes)


"""The linkages charts, registered with the site's chart specs by the app's ``ready()`` (``apps.py``) so that every
one is drawn by the pages and exported as PNG/SVG by ``/api/figures/<name>.png|svg`` with the same query."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs.text import GISCO, SBS_SOURCES, conversion_note, source_line
from clusterobs.web import chart_registry, dataset
from clusterobs.web.chart_registry import ChartOut, EmptyChart, chart
from clusterobs.web.labels import NOT_AVAILABLE, T, missing, num, pct
from clusterobs.web.linkages import selectors as ls
from clusterobs.web.linkages.query import CHART_KEYS
from clusterobs.web.query import Query

USCMP = "us_cmp_related"
TOP_OPPORTUNITIES = 15


def method_label(method: str) -> str:
    return {"colocation_share": _("co-location of employment shares"),
            "colocation_loglq": _("co-location of log location quotients"),
            "uscmp": _("US Cluster Mapping relatedness (overall score)")}[method]


def threshold_of(q: Query) -> int:
    return int(q.extra.get("threshold", 90))


def _value(v: float) -> str:
    return NOT_AVAILABLE if missing(v) else num(v, 2)


def _filename(name: str, q: Query, *parts: object) -> str:
    return "_".join(str(p) for p in (name, *parts, "nuts2", q.year) if p not in (None, "")).replace("/", "-")


@chart("related-network", "category", "method")  # + threshold: the export links come from query.figure_url
def related_network(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for the related-clusters chart.")
    net = ls.related_to(q.category, method=q.method, year=q.year, threshold=threshold_of(q))
    cat = net["category"]
    if not net["in_matrix"]:
        raise EmptyChart(_("%(name)s has no relatedness values: relatedness is computed between the traded "
                           "categories the data map.") % {"name": cat["name"]})
    nodes = net["nodes"]
    if len(nodes) == 1:
        raise EmptyChart(_("No category is related to %(name)s at this threshold; lower it to see its closest "
                           "categories.") % {"name": cat["name"]})
    nodes["label"] = nodes["name"]
    nodes["url"] = [chart_registry.url("linkages:related", c, method=q.method, year=q.year, threshold=threshold_of(q))
                    for c in nodes["category"]]
    emp_label = _("European employment")
    nodes["hover"] = [f"<b>{r.name}</b><br>{emp_label}: {NOT_AVAILABLE if missing(r.employment) else num(r.employment)}"
                      + ("" if missing(r.relatedness) else f"<br>{_('Relatedness')}: {_value(r.relatedness)}")
                      for r in nodes.itertuples()]
    links = net["links"].copy()
    links["hover"] = [f"{r.name_i} – {r.name_j}<br>{_('Relatedness')}: {_value(r.value)}" for r in links.itertuples()]
    title = _("Clusters related to %(name)s") % {"name": cat["name"]}
    year = _("published once") if q.method == "uscmp" else str(q.year)
    subtitle = " · ".join([method_label(q.method).capitalize(), year, _("NUTS 2 regions, NUTS 2021")
                           if q.method != "uscmp" else _("US counties and regions"),
                           _("links: pairs in the top %(share)s of all pairs (relatedness ≥ %(cutoff)s)")
                           % {"share": f"{100 - threshold_of(q)}%", "cutoff": _value(net["cutoff"])}])
    notes = [_("Node area: European employment in the category; link width: relatedness. Grey links join two "
               "related categories around the centre.")]
    if q.method != "uscmp":
        notes.append(_("Relatedness: correlation across regions; a category built from the same NACE divisions "
                       "as another correlates by construction."))
    sources = [USCMP] if q.method == "uscmp" else SBS_SOURCES
    caption = Caption(title, subtitle, source_line(T, dataset.data(), sources), notes)
    fig = charts.related_network(
        nodes[["category", "label", "employment", "hover", "url"]], links[["category_i", "category_j", "value",
                                                                          "hover"]], caption,
        legend_focus=str(cat["name"]), legend_related=_("Related category"),
        legend_link=_("Link to %(name)s (relatedness ≥ %(cutoff)s)") % {"name": cat["name"],
                                                                        "cutoff": _value(net["cutoff"])},
        legend_other_link=_("Link between two neighbours"),
        no_data_label=_("No employment data"))
    others = nodes.iloc[1:].sort_values("relatedness", ascending=False)
    summary = _("%(n)s categories are related to %(name)s; the closest: %(top)s.") % {
        "n": len(others), "name": cat["name"],
        "top": ", ".join(f"{r.name} ({_value(r.relatedness)})" for r in others.head(3).itertuples())}
    table = [[_("Category"), _("Relatedness"), _("European employment")]] + [
        [r.name, _value(r.relatedness), NOT_AVAILABLE if missing(r.employment) else num(r.employment)]
        for r in others.itertuples()]
    return ChartOut("related-network", fig, title, summary, table,
                    _filename("related-network", q, q.category, q.method, f"p{threshold_of(q)}"), notes)


@chart("opportunities", *CHART_KEYS["opportunities"])
def opportunities(q: Query) -> ChartOut:
    if not q.region:
        raise dataset.BadParameter("region", "`region` is required for the opportunities chart.")
    region = dataset.region_get(q.region)
    rows = ls.opportunities(q.region, year=q.year)
    top = rows[rows["rank"].notna()].head(TOP_OPPORTUNITIES).copy()
    if top.empty:
        raise EmptyChart(_("%(name)s has no traded category with a density in %(year)s (no LQ values).")
                         % {"name": region["name"], "year": q.year})
    top["label"] = top["category_name"]
    top["value"] = top["density"].astype(float)
    top["value_text"] = [num(v, 2) for v in top["value"]]
    top["imputed"] = False
    top["url"] = [chart_registry.url("linkages:related", c, year=q.year) for c in top["category"]]
    top["hover"] = [f"<b>{r.category_name}</b><br>{_('Density')}: {num(r.density, 2)}<br>LQ: {_value(r.lq)}"
                    for r in top.itertuples()]
    title = _("Closest opportunities of %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([_("Density: relatedness-weighted share of related categories where the region is "
                             "specialised (0–1)"), str(q.year), _("NUTS 2 regions, NUTS 2021")])
    n_spec = int(rows["specialised"].fillna(False).astype(bool).sum())
    notes = [_("Traded categories with LQ < 1, ranked by density (the top %(n)s); %(spec)s categories where the "
               "region is already specialised (LQ ≥ 1) are not opportunities.") % {"n": len(top), "spec": n_spec},
             _("Relatedness: co-location of employment shares across NUTS 2 regions.")]
    fig = charts.ranked_bars(top, Caption(title, subtitle, source_line(T, dataset.data(), SBS_SOURCES), notes),
                             value_title=_("Density"))
    summary = _("The closest opportunities of %(name)s: %(top)s.") % {
        "name": region["name"], "top": ", ".join(f"{r.category_name} ({num(r.density, 2)})"
                                                 for r in top.head(3).itertuples())}
    table = [[_("Rank"), _("Category"), _("Density"), "LQ"]] + [
        [str(int(r.rank)), r.category_name, num(r.density, 2), _value(r.lq)] for r in top.itertuples()]
    return ChartOut("opportunities", fig, title, summary, table, _filename("opportunities", q, q.region), notes)


@chart("emerging-composition", *CHART_KEYS["emerging-composition"])
def emerging_composition(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for this chart.")
    cat = ls.check_emerging(q.category)
    rows = ls.emerging_composition(q.category, kind="category").head(15).copy()
    if rows.empty:
        raise EmptyChart(_("%(name)s shares no employment with a traded or local category in these data.")
                         % {"name": cat["name"]})
    rows["label"] = rows["name"]
    rows["value"] = rows["weight"].astype(float)
    rows["value_text"] = [pct(v, 1) for v in rows["value"]]
    rows["imputed"] = False
    rows["url"] = [chart_registry.url("sector", c) for c in rows["component"]]
    rows["hover"] = [f"<b>{r.name}</b><br>{pct(r.weight, 1)}" for r in rows.itertuples()]
    title = _("What %(name)s is made of") % {"name": cat["name"]}
    subtitle = " · ".join([_("Share of its European employment that each category also holds"),
                           _("NACE divisions"), _("NUTS 2 regions, NUTS 2021")])
    notes = [_("Emerging industries are cross-sectoral: their industries also belong to traded and local "
               "categories. At most 15 categories shown.")]
    fig = charts.ranked_bars(rows, Caption(title, subtitle, source_line(T, dataset.data(), SBS_SOURCES), notes),
                             value_title=_("Share"))
    summary = _("%(name)s overlaps most with %(top)s.") % {
        "name": cat["name"], "top": ", ".join(f"{r.name} ({pct(r.weight, 0)})" for r in rows.head(3).itertuples())}
    table = [[_("Category"), _("Share")]] + [[r.name, pct(r.weight, 1)] for r in rows.itertuples()]
    return ChartOut("emerging-composition", fig, title, summary, table,
                    _filename("emerging-composition", q, q.category), notes)


@chart("emerging-map", *CHART_KEYS["emerging-map"])
def emerging_map(q: Query) -> ChartOut:
    if not q.category:
        raise dataset.BadParameter("category", "`category` is required for this chart.")
    cat = ls.check_emerging(q.category)
    rows = ls.emerging_regions(q.category, year=q.year)
    geo = chart_registry.geojson(ls.LEVEL)
    shapes = [f["id"] for f in geo["features"]]
    regions = dataset.data().regions.set_index("code")["name"]
    frame = pd.DataFrame({"code": shapes, "name": [regions.get(c, c) for c in shapes]}).merge(
        rows[["region", "share", "imputed_share"]], left_on="code", right_on="region", how="left")
    frame["value"] = frame["share"].astype(float)
    frame["value_text"] = [(_("Share") + ": " + pct(v, 2)) if not missing(v) else _("No data") for v in frame["value"]]
    outside = _("No data: not in the SBS regional statistics of %(year)s at this NUTS level") % {"year": q.year}
    frame["detail"] = [outside if missing(r)
                       else _("No data: an industry is missing or confidential in the source") if missing(v)
                       else _("Year %(year)s") % {"year": q.year}
                       for r, v in zip(frame["region"], frame["value"], strict=True)]
    frame["url"] = [chart_registry.url("linkages:opportunities", c, year=q.year) for c in frame["code"]]
    frame["imputed"] = frame["imputed_share"].fillna(0) >= chart_registry.IMPUTED_OUTLINE
    if frame["value"].notna().sum() == 0:
        raise EmptyChart(_("No region has a value for %(name)s in %(year)s.") % {"name": cat["name"], "year": q.year})
    classing = charts.data_classes(frame["value"], k=5, method="quantile", name="x", fmt=lambda x: pct(x, 1))
    title = _("%(name)s: share of regional employment") % {"name": cat["name"]}
    subtitle = " · ".join([_("Employment in the industry / the region's employment in every industry of the data"),
                           str(q.year), _("NUTS 2 regions, NUTS 2021")])
    notes = [*chart_registry.no_data_counts(frame), _("Classes: 5 quantile classes."),
             conversion_note(T, 2, dataset.data().years)]
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(T, dataset.data(), [*SBS_SOURCES, GISCO]), notes)
    fig = charts.choropleth_map(frame, geo, classing, caption,
                                legend_title=_("Share"), no_data_label=_("No data"),
                                imputed_label=_("Outlined: ≥ 10% imputed"), no_data_detail=_("No data"))
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    summary = _("%(name)s holds the largest share of employment in %(top)s.") % {
        "name": cat["name"], "top": ", ".join(f"{r.name} ({pct(r.value, 1)})" for r in have.head(3).itertuples())}
    table = [[_("Code"), _("Region"), _("Share")]] + [[r.code, r.name, pct(r.value, 2)] for r in have.itertuples()]
    return ChartOut("emerging-map", fig, title, summary, table, _filename("emerging-map", q, q.category), notes)


"""The linkages charts: the categories related to one, a region's closest opportunities, what an emerging industry
is made of and where it weighs most (the web's linkages pages and their image export).

The region scorecard prints its own opportunities chart (``reports.scorecard_optional.linkages_section``), on
purpose: the same density bars, but the top 10 in one colour beside a table of them, with no links, the title and
caption of a printed section ("Cluster opportunities of …") and the reports' number format."""

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
    IMPUTED_OUTLINE,
    NOT_AVAILABLE,
    SBS_SOURCES,
    Translator,
    conversion_note,
    missing,
    no_data_counts,
    number,
    percent,
    source_line,
)

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: the source of the US Cluster Mapping relatedness
USCMP = "us_cmp_related"
#: the opportunities a chart draws
TOP_OPPORTUNITIES = 15
#: the level of the linkages' regions (NUTS 2)
LEVEL = 2
#: a page's link
Url = Callable[[str], str]


def method_label(t: Translator, method: str) -> str:
    """A relatedness method in words."""
    return {"colocation_share": t.gettext("co-location of employment shares"),
            "colocation_loglq": t.gettext("co-location of log location quotients"),
            "uscmp": t.gettext("US Cluster Mapping relatedness (overall score)")}[method]


def _value(t: Translator, v: object) -> str:
    return NOT_AVAILABLE if missing(v) else number(t, v, 2)


def related_network(t: Translator, reads: VersionReads, *, network: Mapping[str, Any], method: str, year: int,
                    threshold: int, url: Url | None = None, filename: str = "related-network") -> ChartOut:
    """The categories related to one (``network``: its ``category`` (``name``), ``in_matrix``, the ``nodes``
    (itself first, ``relatedness`` to it, European ``employment``), the ``links`` and the ``cutoff`` of the top
    ``threshold`` percentile of the pairs under ``method``); ``url``: a category's related clusters."""
    net = network
    cat = net["category"]
    if not net["in_matrix"]:
        raise EmptyChart(t.gettext("%(name)s has no relatedness values: relatedness is computed between the traded "
                                   "categories the data map.") % {"name": cat["name"]})
    nodes = net["nodes"]
    if len(nodes) == 1:
        raise EmptyChart(t.gettext("No category is related to %(name)s at this threshold; lower it to see its closest "
                                   "categories.") % {"name": cat["name"]})
    nodes["label"] = nodes["name"]
    nodes["url"] = [url(c) for c in nodes["category"]] if url else ""
    emp_label, related = t.gettext("European employment"), t.gettext("Relatedness")
    nodes["hover"] = [f"<b>{r.name}</b><br>{emp_label}: "
                      f"{NOT_AVAILABLE if missing(r.employment) else number(t, r.employment)}"
                      + ("" if missing(r.relatedness) else f"<br>{related}: {_value(t, r.relatedness)}")
                      for r in nodes.itertuples()]
    links = net["links"].copy()
    links["hover"] = [f"{r.name_i} – {r.name_j}<br>{related}: {_value(t, r.value)}" for r in links.itertuples()]
    title = t.gettext("Clusters related to %(name)s") % {"name": cat["name"]}
    when = t.gettext("published once") if method == "uscmp" else str(year)
    subtitle = " · ".join([method_label(t, method).capitalize(), when, t.gettext("NUTS 2 regions, NUTS 2021")
                           if method != "uscmp" else t.gettext("US counties and regions"),
                           t.gettext("links: pairs in the top %(share)s of all pairs (relatedness ≥ %(cutoff)s)")
                           % {"share": f"{100 - threshold}%", "cutoff": _value(t, net["cutoff"])}])
    notes = [t.gettext("Node area: European employment in the category; link width: relatedness. Grey links join two "
                       "related categories around the centre.")]
    if method != "uscmp":
        notes.append(t.gettext("Relatedness: correlation across regions; a category built from the same NACE "
                               "divisions as another correlates by construction."))
    sources = [USCMP] if method == "uscmp" else SBS_SOURCES
    caption = Caption(title, subtitle, source_line(t, reads, sources), notes)
    fig = charts.related_network(
        nodes[["category", "label", "employment", "hover", "url"]], links[["category_i", "category_j", "value",
                                                                          "hover"]], caption,
        legend_focus=str(cat["name"]), legend_related=t.gettext("Related category"),
        legend_link=t.gettext("Link to %(name)s (relatedness ≥ %(cutoff)s)") % {
            "name": cat["name"], "cutoff": _value(t, net["cutoff"])},
        legend_other_link=t.gettext("Link between two neighbours"),
        no_data_label=t.gettext("No employment data"))
    others = nodes.iloc[1:].sort_values("relatedness", ascending=False)
    summary = t.gettext("%(n)s categories are related to %(name)s; the closest: %(top)s.") % {
        "n": len(others), "name": cat["name"],
        "top": ", ".join(f"{r.name} ({_value(t, r.relatedness)})" for r in others.head(3).itertuples())}
    table = [[t.gettext("Category"), related, emp_label]] + [
        [r.name, _value(t, r.relatedness), NOT_AVAILABLE if missing(r.employment) else number(t, r.employment)]
        for r in others.itertuples()]
    return ChartOut("related-network", fig, title, summary, table, filename, notes)


def opportunities(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], rows: pd.DataFrame, year: int,
                  url: Url | None = None, filename: str = "opportunities") -> ChartOut:
    """The region's (``name``) closest opportunities by density (``rows``: its traded categories, ``rank`` by
    density for the opportunities, ``specialised`` for the others); ``url``: a category's related clusters."""
    top = rows[rows["rank"].notna()].head(TOP_OPPORTUNITIES).copy()
    if top.empty:
        raise EmptyChart(t.gettext("%(name)s has no traded category with a density in %(year)s (no LQ values).")
                         % {"name": region["name"], "year": year})
    top["label"] = top["category_name"]
    top["value"] = top["density"].astype(float)
    top["value_text"] = [number(t, v, 2) for v in top["value"]]
    top["imputed"] = False
    top["url"] = [url(c) for c in top["category"]] if url else ""
    density = t.gettext("Density")
    top["hover"] = [f"<b>{r.category_name}</b><br>{density}: {number(t, r.density, 2)}<br>LQ: {_value(t, r.lq)}"
                    for r in top.itertuples()]
    title = t.gettext("Closest opportunities of %(name)s") % {"name": region["name"]}
    subtitle = " · ".join([t.gettext("Density: relatedness-weighted share of related categories where the region is "
                                     "specialised (0–1)"), str(year), t.gettext("NUTS 2 regions, NUTS 2021")])
    n_spec = int(rows["specialised"].fillna(False).astype(bool).sum())
    notes = [t.gettext("Traded categories with LQ < 1, ranked by density (the top %(n)s); %(spec)s categories where "
                       "the region is already specialised (LQ ≥ 1) are not opportunities.")
             % {"n": len(top), "spec": n_spec},
             t.gettext("Relatedness: co-location of employment shares across NUTS 2 regions.")]
    fig = charts.ranked_bars(top, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes),
                             value_title=density)
    summary = t.gettext("The closest opportunities of %(name)s: %(top)s.") % {
        "name": region["name"], "top": ", ".join(f"{r.category_name} ({number(t, r.density, 2)})"
                                                 for r in top.head(3).itertuples())}
    table = [[t.gettext("Rank"), t.gettext("Category"), density, "LQ"]] + [
        [str(int(r.rank)), r.category_name, number(t, r.density, 2), _value(t, r.lq)] for r in top.itertuples()]
    return ChartOut("opportunities", fig, title, summary, table, filename, notes)


def emerging_composition(t: Translator, reads: VersionReads, *, category: Mapping[str, Any],
                         composition: pd.DataFrame, url: Url | None = None,
                         filename: str = "emerging-composition") -> ChartOut:
    """The traded and local categories an emerging industry (``category``: its ``name``) shares its employment with
    (``composition``: ``component``, ``name``, ``weight``, largest first; the first 15 drawn); ``url``: a
    category's page."""
    rows = composition.head(15).copy()
    if rows.empty:
        raise EmptyChart(t.gettext("%(name)s shares no employment with a traded or local category in these data.")
                         % {"name": category["name"]})
    rows["label"] = rows["name"]
    rows["value"] = rows["weight"].astype(float)
    rows["value_text"] = [percent(t, v, 1) for v in rows["value"]]
    rows["imputed"] = False
    rows["url"] = [url(c) for c in rows["component"]] if url else ""
    rows["hover"] = [f"<b>{r.name}</b><br>{percent(t, r.weight, 1)}" for r in rows.itertuples()]
    title = t.gettext("What %(name)s is made of") % {"name": category["name"]}
    subtitle = " · ".join([t.gettext("Share of its European employment that each category also holds"),
                           t.gettext("NACE divisions"), t.gettext("NUTS 2 regions, NUTS 2021")])
    notes = [t.gettext("Emerging industries are cross-sectoral: their industries also belong to traded and local "
                       "categories. At most 15 categories shown.")]
    share = t.gettext("Share")
    fig = charts.ranked_bars(rows, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes),
                             value_title=share)
    summary = t.gettext("%(name)s overlaps most with %(top)s.") % {
        "name": category["name"], "top": ", ".join(f"{r.name} ({percent(t, r.weight, 0)})"
                                                   for r in rows.head(3).itertuples())}
    table = [[t.gettext("Category"), share]] + [[r.name, percent(t, r.weight, 1)] for r in rows.itertuples()]
    return ChartOut("emerging-composition", fig, title, summary, table, filename, notes)


def emerging_map(t: Translator, reads: VersionReads, *, category: Mapping[str, Any], rows: pd.DataFrame, year: int,
                 min_coverage: float, url: Url | None = None, filename: str = "emerging-map") -> ChartOut:
    """An emerging industry's (``category``: its ``name``) share of each NUTS 2 region's employment (``rows``:
    ``region``, ``share``, ``imputed_share``); ``url``: a region's opportunities."""
    geo = reads.geojson(LEVEL)
    frame = shapes_frame(reads, LEVEL, rows, ["share", "imputed_share"])
    frame["value"] = frame["share"].astype(float)
    share = t.gettext("Share")
    frame["value_text"] = [(share + ": " + percent(t, v, 2)) if not missing(v) else t.gettext("No data")
                           for v in frame["value"]]
    outside = t.gettext("No data: not in the SBS regional statistics of %(year)s at this NUTS level") % {"year": year}
    frame["detail"] = [outside if missing(r)
                       else t.gettext("No data: an industry is missing or confidential in the source") if missing(v)
                       else t.gettext("Year %(year)s") % {"year": year}
                       for r, v in zip(frame["region"], frame["value"], strict=True)]
    frame["url"] = [url(c) for c in frame["code"]] if url else ""
    frame["imputed"] = frame["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    if frame["value"].notna().sum() == 0:
        raise EmptyChart(t.gettext("No region has a value for %(name)s in %(year)s.")
                         % {"name": category["name"], "year": year})
    classing = charts.data_classes(frame["value"], k=5, method="quantile", name="x", fmt=lambda x: percent(t, x, 1))
    title = t.gettext("%(name)s: share of regional employment") % {"name": category["name"]}
    subtitle = " · ".join([t.gettext("Employment in the industry / the region's employment in every industry of the "
                                     "data"), str(year), t.gettext("NUTS 2 regions, NUTS 2021")])
    notes = [*no_data_counts(t, frame, min_coverage=min_coverage), t.gettext("Classes: 5 quantile classes."),
             conversion_note(t, LEVEL, reads.years)]
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(t, reads, [*SBS_SOURCES, GISCO]), notes)
    fig = charts.choropleth_map(frame, geo, classing, caption,
                                legend_title=share, no_data_label=t.gettext("No data"),
                                imputed_label=t.gettext("Outlined: ≥ 10% imputed"),
                                no_data_detail=t.gettext("No data"))
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    summary = t.gettext("%(name)s holds the largest share of employment in %(top)s.") % {
        "name": category["name"], "top": ", ".join(f"{r.name} ({percent(t, r.value, 1)})"
                                                   for r in have.head(3).itertuples())}
    table = [[t.gettext("Code"), t.gettext("Region"), share]] + [[r.code, r.name, percent(t, r.value, 2)]
                                                                  for r in have.itertuples()]
    return ChartOut("emerging-map", fig, title, summary, table, filename, notes)

"""Pages of the linkages feature: related clusters (network), a region's opportunities, emerging industries.

Each view parses its query (filters in the URL), calls the linkages selectors, and hands the template its chart
slots, table rows and download links; no computation here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.web import dataset
from clusterobs.web.labels import NOT_AVAILABLE, missing, num, pct
from clusterobs.web.linkages import selectors as ls
from clusterobs.web.linkages.charts import method_label
from clusterobs.web.linkages.query import figure_url, params, parse_linkages_query
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import chart_slot, downloads, page, release_notice, share_url
from clusterobs.web.query import Query


def slot(name: str, q: Query) -> dict[str, Any]:
    """The site's chart slot, with export links carrying the linkages filters."""
    return {**chart_slot(name, q), "png": figure_url(name, q, "png"), "svg": figure_url(name, q, "svg")}


def context(request: HttpRequest, q: Query, path: str, *keys: str) -> dict[str, Any]:
    return {"q": q, "threshold": int(q.extra["threshold"]), "years": dataset.data().years,
            "methods": [(m, method_label(m)) for m in ("colocation_share", "colocation_loglq", "uscmp")],
            "thresholds": ls.THRESHOLDS, "share": share_url(request, path, params(q, *keys)),
            "release_notice": release_notice(request)}


def _value(v: Any, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(v) else num(v, digits)


@cached_page
@page
def related_index(request: HttpRequest) -> HttpResponse:
    q = parse_linkages_query(request.GET)
    pairs, _cutoff = ls.relatedness(method=q.method, year=q.year)
    cats = dataset.category_list("traded").sort_values("name")
    in_matrix = set(pairs["category_i"]) | set(pairs["category_j"])
    rows = []
    for c in cats.itertuples():
        mine = pairs[(pairs["category_i"] == c.category) | (pairs["category_j"] == c.category)]
        best = mine.iloc[0] if len(mine) else None
        other = None if best is None else (best["name_j"] if best["category_i"] == c.category else best["name_i"])
        rows.append({"category": c.category, "name": c.name, "in_matrix": c.category in in_matrix,
                     "closest": other or "", "value": "" if best is None else _value(best["value"])})
    ctx = {**context(request, q, reverse("linkages:related_index"), "method"), "rows": rows,
           "method_label": method_label(q.method),
           "downloads": downloads("linkages/relatedness", params(q, "method", "threshold"))}
    return render(request, "linkages/related_index.html", ctx)


@cached_page
@page
def related(request: HttpRequest, category: str) -> HttpResponse:
    cat = dataset.category_get(category)
    q = parse_linkages_query(request.GET, category=category)
    path = reverse("linkages:related", args=[category])
    ctx = {**context(request, q, path, "method", "threshold"), "category": cat,
           "method_label": method_label(q.method),
           "downloads": downloads("linkages/relatedness", params(q, "category", "method", "threshold"))}
    if cat["kind"] == "emerging":
        ctx["emerging_url"] = reverse("linkages:emerging_detail", args=[category])
    net = ls.related_to(category, method=q.method, year=q.year, threshold=int(q.extra["threshold"]))
    ctx["in_matrix"] = net["in_matrix"]
    if net["in_matrix"]:
        ctx["network"] = slot("related-network", q)
        others = net["nodes"].iloc[1:].sort_values("relatedness", ascending=False)
        ctx["table"] = [{"category": r.category, "name": r.name, "value": _value(r.relatedness),
                         "employment": _value(r.employment, 0)} for r in others.itertuples()]
        ctx["cutoff"] = _value(net["cutoff"])
    return render(request, "linkages/related.html", ctx)


@cached_page
@page
def opportunities(request: HttpRequest, region: str) -> HttpResponse:
    reg = dataset.region_get(region)
    q = parse_linkages_query(request.GET, region=region)
    path = reverse("linkages:opportunities", args=[region])
    ctx = {**context(request, q, path), "region": reg, "level_ok": int(reg["level"]) == ls.LEVEL}
    if ctx["level_ok"]:
        rows = ls.opportunities(region, year=q.year)
        ctx["chart"] = slot("opportunities", q)
        ctx["table"] = [{"rank": "" if missing(r.rank) else int(r.rank), "category": r.category,
                         "name": r.category_name, "density": _value(r.density), "lq": _value(r.lq),
                         "specialised": None if missing(r.lq) else bool(r.specialised)} for r in rows.itertuples()]
        ctx["n_specialised"] = int(rows["specialised"].fillna(False).astype(bool).sum())
        ctx["downloads"] = downloads(f"linkages/opportunities/{region}", params(q))
    else:
        ctx["children"] = [c for c in dataset.region_list(level=None).itertuples() if c.parent == region][:50]
    return render(request, "linkages/opportunities.html", ctx)


@cached_page
@page
def emerging(request: HttpRequest) -> HttpResponse:
    q = parse_linkages_query(request.GET)
    rows = ls.emerging_list(year=q.year)
    names = dataset.data().regions.set_index("code")["name"]
    table = [{"category": r.category, "name": r.name, "description": r.description,
              "employment": _value(r.employment, 0), "regions": "" if missing(r.regions_with_data)
              else int(r.regions_with_data), "top_region": r.top_region if isinstance(r.top_region, str) else "",
              "top_region_name": names.get(r.top_region, "") if isinstance(r.top_region, str) else "",
              "top_share": pct(r.top_share, 1)} for r in rows.itertuples()]
    ctx = {**context(request, q, reverse("linkages:emerging")), "table": table,
           "downloads": downloads("emerging", params(q))}
    return render(request, "linkages/emerging.html", ctx)


@cached_page
@page
def emerging_detail(request: HttpRequest, industry: str) -> HttpResponse:
    cat = ls.check_emerging(industry)
    q = parse_linkages_query(request.GET, category=industry)
    path = reverse("linkages:emerging_detail", args=[industry])
    comp = ls.emerging_composition(industry)
    regions = ls.emerging_regions(industry, year=q.year)
    classes = comp[(comp["component_kind"] == "industry") & (comp["nace_level"] == 4)]
    divisions = comp[(comp["component_kind"] == "industry") & (comp["nace_level"] == 2)]
    ranked = regions[regions["rank"].notna()].head(20)
    ctx = {
        **context(request, q, path), "category": cat,
        "composition_chart": slot("emerging-composition", q), "map": slot("emerging-map", q),
        "classes": [{"code": r.component, "name": r.name or "", "weight": pct(r.weight, 0)}
                    for r in classes.itertuples()],
        "divisions": [{"code": r.component, "name": r.name or "", "weight": pct(r.weight, 1),
                       "employment": _value(r.employment, 0)} for r in divisions.itertuples()],
        "top": [{"rank": int(r.rank), "region": r.region, "name": r.region_name, "share": pct(r.share, 2),
                 "employment": _value(r.employment, 0), "lq": _value(r.lq)} for r in ranked.itertuples()],
        "n_regions": int(regions["share"].notna().sum()),
        "composition_downloads": downloads(f"emerging/{industry}", {**params(q), "part": "composition"}),
        "regions_downloads": downloads(f"emerging/{industry}", {**params(q), "part": "regions"}),
        "sector_url": reverse("sector", args=[industry]),
        "caveat": _("Employment shares are of the region's employment in every industry of the SBS data."),
    }
    return render(request, "linkages/emerging_detail.html", ctx)

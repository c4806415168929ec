"""Pages of economic complexity: a region's growth opportunities (with the industry space, ECI over the years and
the regions with a similar portfolio) and the map of ECI across Europe.

Each view parses its query, calls the complexity selectors and hands the template its chart slots, table rows and
download links; no computation here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from clusterobs.web import dataset
from clusterobs.web.complexity import selectors as cs
from clusterobs.web.complexity.query import figure_url, params, parse_complexity_query
from clusterobs.web.labels import LEVEL_LABELS, NOT_AVAILABLE, missing, num
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import chart_slot, downloads, page, release_notice, share_url
from clusterobs.web.query import Query

#: rows of the top opportunities table
TOP = 20


def slot(name: str, q: Query) -> dict[str, Any]:
    """The site's chart slot, with export links carrying the complexity filters."""
    return {**chart_slot(name, q), "png": figure_url(name, q, "png"), "svg": figure_url(name, q, "svg")}


def _v(x: Any, digits: int = 2) -> str:
    return NOT_AVAILABLE if missing(x) else num(x, digits)


@cached_page
@page
def growth(request: HttpRequest, region: str) -> HttpResponse:
    reg = dataset.region_get(region)
    q = parse_complexity_query(request.GET, region=region)
    path = reverse("complexity:growth", args=[region])
    rows = cs.region_complexity(region, year=q.year)
    opp = cs.opportunities(region, year=q.year)
    eci = rows["eci"].dropna()
    similar = cs.similar_regions(region, year=q.year)
    ctx = {
        "q": q, "region": reg, "axis": q.extra["y"], "years": dataset.data().years,
        "level_label": LEVEL_LABELS[q.level], "release_notice": release_notice(request),
        "share": share_url(request, path, params(q, "y")),
        "eci": _v(eci.iloc[0]) if len(eci) else NOT_AVAILABLE,
        "diversity": int(rows["diversity"].dropna().iloc[0]) if rows["diversity"].notna().any() else None,
        "chart": slot("growth-opportunities", q), "space": slot("industry-space", q), "eci_years": slot("eci-years", q),
        "table": [{"rank": int(r.rank), "category": r.category, "name": r.category_name, "density": _v(r.density),
                   "pci": _v(r.pci), "cog": _v(r.cog), "reasons": r.related_strengths}
                  for r in opp.head(TOP).itertuples()],
        "n_opportunities": len(opp),
        "downloads": downloads(f"regions/{region}/opportunities", {"year": str(q.year)}, rows=len(opp)),
        "similar": [{"rank": int(r.rank), "code": r.region, "name": r.name or r.region,
                     "similarity": num(r.similarity, 2), "shared": int(r.shared), "diversity": int(r.diversity)}
                    for r in similar.itertuples()],
        "eci_map_url": reverse("complexity:eci") + f"?year={q.year}&level={q.level}",
    }
    return render(request, "complexity/growth.html", ctx)


@cached_page
@page
def eci(request: HttpRequest) -> HttpResponse:
    q = parse_complexity_query(request.GET)
    rows = cs.eci_regions(level=q.level, year=q.year)
    ctx = {"q": q, "years": dataset.data().years, "levels": [(k, str(v)) for k, v in LEVEL_LABELS.items()],
           "release_notice": release_notice(request), "map": slot("eci-map", q),
           "share": share_url(request, reverse("complexity:eci"), params(q)),
           "table": [{"rank": int(r.rank), "code": r.region, "name": r.name or r.region, "eci": _v(r.eci),
                      "coi": _v(r.coi), "diversity": "" if missing(r.diversity) else int(r.diversity)}
                     for r in rows.itertuples()],
           "downloads": downloads("complexity/eci", params(q), rows=len(rows))}
    return render(request, "complexity/eci.html", ctx)

"""Module 4, cluster strength by sector: a choropleth of NUTS regions coloured by stars or a measure."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from clusterobs.web.labels import MAP_MEASURES, MEASURE_LABELS, METHOD_LABELS, SECTOR_MEASURES, STATUS_LABELS
from clusterobs.web.mapping import selectors
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import api_url, base_context, chart_slot, downloads, offered_measures, page
from clusterobs.web.query import parse_query

DEFAULT_CATEGORY = "automotive"
#: the measures whose map classes are chosen by the reader (number and method); growth has fixed classes around 0
CLASSED_MEASURES = ("focus", "share_europe", "productivity")


def default_category() -> str:
    cats = selectors.category_list("traded")
    if DEFAULT_CATEGORY in set(cats["category"]):
        return DEFAULT_CATEGORY
    return str(cats["category"].iloc[0])


@cached_page
@page
def strength_map(request: HttpRequest) -> HttpResponse:
    get = request.GET.copy()
    if not get.get("category"):
        get["category"] = default_category()
    q = parse_query(get, measure="stars", measures=MAP_MEASURES)
    cat = selectors.category_get(q.category)
    status = cat.get("status")
    classed = q.measure in CLASSED_MEASURES
    params = q.params("category", "measure", *(("classes", "method") if classed else ()))
    map_params = {k: v for k, v in params.items() if k not in ("classes", "method")}
    ctx = {
        **base_context(request, q, reverse("map"), "category", "measure", "classes", "method"),
        "category": cat,
        "status_label": STATUS_LABELS.get(status, status) if isinstance(status, str) else None,
        "measures": [(m, MEASURE_LABELS[m]) for m in offered_measures(MAP_MEASURES, q.measure)],
        "methods": list(METHOD_LABELS.items()),
        "classed": classed,
        "map": chart_slot("strength-map", q),
        "downloads": downloads("geojson", map_params),
        "measures_downloads": downloads("measures", {**q.params(), "category": q.category}),
        "geojson": api_url("geojson", map_params),
        "sector_url": reverse("sector", args=[q.category]) + "?" + q.qs(
            measure=q.measure if q.measure in SECTOR_MEASURES else "employment"),
    }
    return render(request, "observatory/map.html", ctx)

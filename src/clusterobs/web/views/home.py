"""Home: what the observatory is, headline figures, the map of Europe's three-star clusters, entry points."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from clusterobs.web import selectors
from clusterobs.web.labels import pct, scheme_short
from clusterobs.web.query import parse_query
from clusterobs.web.views.common import base_context, chart_slot, downloads, page


@page
def home(request: HttpRequest) -> HttpResponse:
    if selectors.published_version() is None:
        raise selectors.NoDataset("no dataset is published yet: run `clusterobs ingest` and `clusterobs compute`")
    q = parse_query(request.GET, level=selectors.DEFAULT_LEVEL)
    head = selectors.headline(scheme=q.scheme, year=q.year, level=q.level)
    by_region = selectors.stars_by_region(scheme=q.scheme, year=q.year, level=q.level, stars=3)
    best_region = by_region.sort_values(["count", "region"], ascending=[False, True]).head(1)
    counts = selectors.category_star_counts(scheme=q.scheme, year=q.year, level=q.level)
    cats = selectors.category_list("traded")[["category", "name"]]
    best_cat = counts.merge(cats, on="category").sort_values(["stars_3", "category"], ascending=[False, True]).head(1)
    example_region = best_region["region"].iloc[0] if len(best_region) else None
    example_cat = best_cat["category"].iloc[0] if len(best_cat) else None
    ctx = {
        **base_context(request, q, reverse("home")),
        "headline": head,
        "stars": [(s, head["by_stars"].get(s, 0)) for s in (3, 2, 1)],
        "starred_share": pct(head["starred_share"], 0) if head["starred_share"] is not None else None,
        "scheme_label": scheme_short(q.scheme),
        "map": chart_slot("stars-map", q),
        "map_downloads": downloads("geojson", {**q.params(), "min_stars": 3}),
        "example_region": example_region,
        "example_region_name": best_region["region_name"].iloc[0] if len(best_region) else None,
        "example_category": example_cat,
        "example_category_name": best_cat["name"].iloc[0] if len(best_cat) else None,
    }
    return render(request, "observatory/home.html", ctx)

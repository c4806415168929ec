"""Home: what the observatory is, headline figures, the map of Europe's three-star clusters, entry points."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterobs.charts.specs.text import scheme_short, years_text
from clusterobs.mapping.categories import MIN_CELL_COVERAGE
from clusterobs.web.labels import KIND_LABELS, num, pct
from clusterobs.web.mapping import selectors
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, page
from clusterobs.web.query import parse_query


def _star_label(kind: str, n: int) -> str:
    """"traded clusters with 3 stars": the headline's row label, per kind of category."""
    if kind == "local":
        return ngettext("local clusters with %(n)s star", "local clusters with %(n)s stars", n) % {"n": n}
    if kind == "emerging":
        return ngettext("emerging-industry clusters with %(n)s star", "emerging-industry clusters with %(n)s stars",
                        n) % {"n": n}
    return ngettext("traded clusters with %(n)s star", "traded clusters with %(n)s stars", n) % {"n": n}


def _share_label(kind: str) -> str:
    return {"local": _("share of employment in local categories in starred clusters"),
            "emerging": _("share of employment in emerging industries in starred clusters")}.get(
        kind, _("share of traded employment in starred clusters"))


def coverage() -> dict[str, Any]:
    """What the data cover, read from the published version: the years, the NUTS 2 regions with employment in some
    year and their countries, and the Eurostat SBS tables the employment comes from."""
    obs = selectors.data()

    def compute() -> dict[str, Any]:
        counts = obs.coverage_counts()
        src = selectors.sources()
        titles = src.loc[src["source"].str.startswith("eurostat_sbs"), "title"].drop_duplicates()
        tables = sorted({t for title in titles for t in re.findall(r"\b(sbs_[a-z0-9_]+)", title)})
        return {"years": years_text(obs.years), "regions": int(counts["regions"]),
                "countries": int(counts["countries"]), "sbs_tables": ", ".join(tables)}

    return obs.memo.get(("home_coverage",), compute)


def sectors_go(request: HttpRequest) -> HttpResponse:
    """``/sectors/``: the home page's sector picker sends ``?category=automotive`` to that sector's page; anything
    else goes to the category list, with its query."""
    category = request.GET.get("category", "")
    if category and selectors.published_version() is not None \
            and category in set(selectors.data().categories["category"]):
        return redirect("sector", category=category)
    query = request.GET.urlencode()
    return redirect(reverse("categories") + (f"?{query}" if query else ""))


@cached_page
@page
def home(request: HttpRequest) -> HttpResponse:
    if selectors.published_version() is None:
        raise selectors.NoDataset("no dataset is published yet: run `clusterobs ingest` and `clusterobs compute`")
    q = parse_query(request.GET, level=selectors.DEFAULT_LEVEL)
    kind = request.GET.get("kind") or "traded"
    selectors.check_kind(kind)
    # the engine's headline (clusterobs.mapping.headlines): kind categories, rankable cells, no-data regions out
    head = selectors.headline(scheme=q.scheme, year=q.year, level=q.level, kind=kind)
    by_region = selectors.stars_by_region(scheme=q.scheme, year=q.year, level=q.level, stars=3)
    by_region = by_region[~by_region["no_data"]]
    best_region = by_region.sort_values(["count", "region"], ascending=[False, True]).head(1)
    counts = selectors.category_star_counts(scheme=q.scheme, year=q.year, level=q.level)
    cats = selectors.category_list("traded")[["category", "name"]]
    best_cat = counts.merge(cats, on="category").sort_values(["stars_3", "category"], ascending=[False, True]).head(1)
    example_region = best_region["region"].iloc[0] if len(best_region) else None
    example_cat = best_cat["category"].iloc[0] if len(best_cat) else None
    names = selectors.data().regions.set_index("code")["name"]
    excluded = [{"code": c, "name": names.get(c, c)} for c in head["excluded_regions"]]
    path = reverse("home")
    ctx = {
        **base_context(request, q, path),
        "headline": head,
        "kind": kind,
        "kinds": [{"kind": k, "label": label, "current": k == kind,
                   "url": f"{path}?{q.qs()}" + ("" if k == "traded" else f"&kind={k}")}
                  for k, label in KIND_LABELS.items()],
        "stars": [(s, _star_label(kind, s), num(head["by_stars"].get(s, 0))) for s in (3, 2, 1)],
        "share_label": _share_label(kind),
        "not_rankable_label": _("region–category pairs with employment that cannot be ranked (coverage below "
                                "%(min)s, regions split by population, no-data regions: not counted above)")
        % {"min": pct(MIN_CELL_COVERAGE, 0)},
        "starred_share": pct(head["starred_share"], 0) if head["starred_share"] is not None else None,
        "excluded": excluded,
        "scheme_label": scheme_short(q.scheme),
        "map": chart_slot("stars-map", q),
        "map_downloads": downloads("geojson", {**q.params(), "min_stars": 3}),
        "example_region": example_region,
        "example_region_name": best_region["region_name"].iloc[0] if len(best_region) else None,
        "example_category": example_cat,
        "example_category_name": best_cat["name"].iloc[0] if len(best_cat) else None,
        "headline_api": f"/api/headline?{q.qs()}&kind={kind}",
        "coverage": coverage(),
        "sector_choices": [(r.category, r.name) for r in selectors.categories_named().sort_values("name").itertuples()
                           if r.kind == "traded"],
    }
    return render(request, "observatory/home.html", ctx)

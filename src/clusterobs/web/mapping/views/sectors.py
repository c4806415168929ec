"""Module 3, data by sector (one category across all regions), and the category index."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.web.labels import (
    KIND_LABELS,
    MEASURE_LABELS,
    MEASURE_SHORT,
    SECTOR_MEASURES,
    STATUS_LABELS,
    flag,
    imputed_words,
    missing,
    num,
    pct,
    sig_pct,
    value_text,
)
from clusterobs.web.mapping import history, selectors
from clusterobs.web.mapping.chartspecs import cell_words, region_words
from clusterobs.web.mapping.views.trends import growth_lists
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, not_found, offered_measures, page
from clusterobs.web.query import parse_query

SECTOR_SORTS = ("rank", "region", "region_name", "stars", "employment", "lq", "focus", "share_europe", "growth",
                "productivity", "coverage")


def _category(request: HttpRequest, category: str) -> dict[str, Any] | HttpResponse:
    try:
        return selectors.category_get(category)
    except selectors.NotFound:
        return not_found(request, _("There is no category “%(category)s”. The category index lists every traded "
                                    "and local cluster category and the emerging industries.")
                         % {"category": category})


@cached_page
@page
def sector(request: HttpRequest, category: str) -> HttpResponse:
    cat = _category(request, category)
    if isinstance(cat, HttpResponse):
        return cat
    q = parse_query(request.GET, measure="employment", measures=(*SECTOR_MEASURES, "stars"), category=category)
    if q.region:
        selectors.region_get(q.region)
    measure = "employment" if q.measure == "stars" else q.measure
    rows = selectors.category_regions(category, scheme=q.scheme, year=q.year, level=q.level, measure=measure)
    sort = q.sort or "rank"
    if sort not in SECTOR_SORTS:
        raise selectors.BadParameter("sort", f"`sort` must be one of {', '.join(SECTOR_SORTS)}; got {sort!r}.")
    direction = q.dir if q.sort else "asc"
    ascending = direction == "asc"
    if sort == "rank":
        rows = rows.sort_values(["rank", "region"], ascending=[ascending, True], na_position="last")
    else:
        rows = rows.sort_values([sort, "region"], ascending=[ascending, True], na_position="last")
    ranked = selectors.ranked_mask(rows)
    # growth and productivity get their own column when the page ranks by them (the others always have one)
    extra = measure if measure in ("growth", "productivity") else None
    table = []
    for r, ok in zip(rows.itertuples(), ranked, strict=True):
        reason = ""
        if not ok and not missing(r.employment):
            reason = region_words(r.region, q) if flag(r.region_no_data) and flag(r.rankable) else cell_words(r)
        table.append({
            "rank": "" if missing(r.rank) else int(r.rank), "region": r.region, "name": r.region_name,
            "stars": None if not ok or missing(r.stars) else int(r.stars),
            "stars_text": "" if missing(r.stars) else "★" * int(r.stars), "not_ranked": reason,
            "employment": value_text("employment", r.employment), "lq": value_text("lq", r.lq),
            "focus": value_text("focus", r.focus), "share_europe": value_text("share_europe", r.share_europe),
            "extra": value_text(extra, getattr(r, extra)) if extra else "",
            "coverage": pct(r.coverage, 0) if not missing(r.coverage) else ":",
            "imputed": imputed_words(r.imputed_share), "highlight": r.region == q.region})
    path = reverse("sector", args=[category])
    columns = [("rank", _("Rank")), ("region", _("Code")), ("region_name", _("Region")), ("stars", _("Stars")),
               ("employment", MEASURE_SHORT["employment"]), ("lq", MEASURE_SHORT["lq"]),
               ("focus", MEASURE_SHORT["focus"]), ("share_europe", MEASURE_SHORT["share_europe"]),
               *([(extra, MEASURE_SHORT[extra])] if extra else []), ("coverage", _("Coverage"))]
    headers = [{"key": k, "label": label, "sorted": k == sort, "dir": direction if k == sort else None,
                "url": f"{path}?{q.qs('measure', 'region', sort=k, dir=_next_dir(k, sort, direction))}"}
               for k, label in columns]
    divisions = selectors.category_divisions(category)
    status = cat.get("status")
    mapped = len(rows) > 0 and rows["employment"].notna().any()
    ctx = {
        **base_context(request, q, path, "measure", "region", "sort", "dir"),
        "category": cat, "kind_label": KIND_LABELS.get(cat["kind"], cat["kind"]),
        "status_label": STATUS_LABELS.get(status, status) if isinstance(status, str) else None,
        "coverage": pct(cat.get("coverage_share"), 0) if not missing(cat.get("coverage_share")) else None,
        "mapped": mapped, "measure": measure, "measure_label": MEASURE_LABELS[measure],
        "measures": [(m, MEASURE_LABELS[m]) for m in offered_measures(SECTOR_MEASURES, measure)],
        "extra": extra,
        "table": table, "headers": headers,
        "n_regions": len(rows), "n_missing": int(rows["employment"].isna().sum()),
        "n_imputed": int((rows["imputed_share"].fillna(0) > 0).sum()),
        "n_starred": int(((selectors.star_values(rows) > 0) & ranked).sum()),
        "n_not_ranked": int((rows["employment"].notna() & ~ranked).sum()),
        "top": chart_slot("sector-top", q) if mapped else None,
        "distribution": chart_slot("sector-distribution", q) if mapped else None,
        "downloads": downloads(f"categories/{category}/regions", {**q.params(), "measure": measure}),
        "map_url": reverse("map") + "?" + q.qs(category=category, measure="stars"),
        "divisions": _division_rows(divisions),
        "divisions_downloads": downloads(f"categories/{category}/divisions", {}, rows=len(divisions)),
        "several_years": len(selectors.data().years) > 1,
        "growth": growth_lists(history.category_growth_leaders(category, year=q.year, level=q.level, scheme=q.scheme),
                               label=lambda r: f"{r.region_name} ({r.region})",
                               url=lambda r: reverse("cluster", args=[r.region, category]) + "?" + q.qs()),
        "timeline_region": selectors.region_get(q.region) if q.region else None,
        "timeline_url": reverse("cluster", args=[q.region, category]) + "?" + q.qs(
            level=int(selectors.region_get(q.region)["level"])) if q.region else None,
    }
    return render(request, "observatory/sector.html", ctx)


def _division_rows(divisions: pd.DataFrame) -> list[dict[str, Any]]:
    """What the category is made of: each NACE division feeding it, its weight and share of the category's US
    employment, and whether the SBS business economy covers it (``selectors.category_divisions``, largest first)."""
    return [{"division": r.division, "name": r.name if isinstance(r.name, str) else "",
             "weight": sig_pct(r.weight), "share": sig_pct(r.us_employment_share), "in_sbs": bool(r.in_sbs)}
            for r in divisions.itertuples()]


def _next_dir(key: str, sort: str, direction: str) -> str:
    if key == sort:
        return "asc" if direction == "desc" else "desc"
    return "asc" if key in ("rank", "region", "region_name") else "desc"


@cached_page
@page
def categories(request: HttpRequest) -> HttpResponse:
    q = parse_query(request.GET)
    kind = request.GET.get("kind") or None
    cats = selectors.category_list(kind)  # checks `kind` (400 otherwise)
    counts = selectors.category_star_counts(scheme=q.scheme, year=q.year, level=q.level)
    cov = selectors.category_coverage(level=q.level)[["category", "status", "coverage_share"]]
    merged = cats.drop(columns=[c for c in ("status", "coverage_share") if c in cats]).merge(
        cov, on="category", how="left").merge(counts, on="category", how="left")
    groups = []
    for k in ("traded", "local", "emerging"):
        part = merged[merged["kind"] == k].sort_values("name")
        if part.empty:
            continue
        groups.append({"kind": k, "label": KIND_LABELS[k], "rows": [{
            "category": r.category, "name": r.name,
            "status": STATUS_LABELS.get(r.status, r.status) if isinstance(r.status, str) else "",
            "not_covered": r.status == "not covered",
            "coverage": pct(r.coverage_share, 0) if not missing(r.coverage_share) else "",
            "with_data": "" if missing(r.with_data) else int(r.with_data),
            "ranked": "" if missing(r.ranked) else int(r.ranked),
            "stars_3": "" if missing(r.stars_3) else int(r.stars_3),
            "stars_2": "" if missing(r.stars_2) else int(r.stars_2),
            "stars_1": "" if missing(r.stars_1) else int(r.stars_1),
            "employment": num(r.employment) if not missing(r.employment) and r.employment else ":",
        } for r in part.itertuples()]})
    n_not_covered = int((merged["status"] == "not covered").sum())
    ctx = {**base_context(request, q, reverse("categories"), ), "groups": groups, "kind": kind,
           "kinds": list(KIND_LABELS.items()), "n_not_covered": n_not_covered,
           "downloads": downloads("categories", {"kind": kind} if kind else {}),
           "regions_downloads": downloads("measures", {**q.params(), "min_stars": 3})}
    return render(request, "observatory/categories.html", ctx)

"""Region search, the methodology (generated from the star schemes as configured), data sources and help."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.charts.specs.text import data_text, scheme_short, years_text
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE
from clusterobs.mapping.compute import MIN_REGION_RANKABLE
from clusterobs.web.labels import (
    DENOMINATOR_LABELS,
    MEASURE_LABELS,
    TEST_LABELS,
    T,
    num,
    pct,
)
from clusterobs.web.mapping import places, selectors
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import page


@cached_page
@page
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    results: list[dict[str, Any]] = []
    best = None
    if text:
        results = places.search(text, limit=50)
        best, _candidates = places.resolve(text)
        no_data: dict[int, set[str]] = {}
        if selectors.data().years:  # matches are ordered by the text, never by data; no-data regions are marked
            no_data = {lv: set(selectors.no_data_regions(level=lv)) for lv in (0, 1, 2)}
        for r in results:
            r["no_data"] = r["code"] in no_data.get(r["level"], set())
            r["best"] = r["code"] == best
    return render(request, "observatory/search.html", {"text": text, "results": results,
                                                         "best": next((r for r in results if r["best"]), None)})


@cached_page
@page
def regions_index(request: HttpRequest) -> HttpResponse:
    """Countries and their NUTS 1 and NUTS 2 regions, to browse."""
    return render(request, "observatory/regions.html", {"countries": places.browse()})


def _threshold(row: Any) -> str:
    if row.percentile is not None and row.percentile == row.percentile:
        p = int(row.percentile) if float(row.percentile).is_integer() else row.percentile
        if "all cells" in str(row.condition):  # a pooled condition (schemes.yml `pooled: true`)
            return _("%(p)sth percentile of every traded cell, all categories pooled (p%(p)s)") % {"p": p}
        return _("%(p)sth percentile of the regions with the category (p%(p)s)") % {"p": p}
    return num(row.value, 2).rstrip("0").rstrip(".,")


@cached_page
@page
def methodology(request: HttpRequest) -> HttpResponse:
    obs = selectors.data()
    schemes_df = obs.schemes
    references = {k: v.get("reference") for k, v in (obs.meta.get("compute", {}).get("schemes") or {}).items()}
    schemes = []
    for scheme, rows in schemes_df.groupby("scheme", sort=False):
        tests: dict[str, dict[str, Any]] = {}
        for r in rows.itertuples():
            t = tests.setdefault(r.test, {"name": TEST_LABELS.get(r.test, r.test), "key": r.test,
                                          "description": data_text(T, r.test_description), "conditions": []})
            t["conditions"].append({
                "condition": r.condition, "measure": MEASURE_LABELS.get(r.measure, r.measure), "op": r.op,
                "threshold": _threshold(r), "optional": bool(r.optional), "ours": bool(r.ours)})
        first = rows.iloc[0]
        schemes.append({"scheme": scheme, "short": scheme_short(scheme), "title": data_text(T, first["title"]),
                        "denominator": DENOMINATOR_LABELS.get(first["denominator"], first["denominator"]),
                        "reference": references.get(scheme),
                        "tests": list(tests.values()), "max_stars": len(tests)})
    compute = obs.meta.get("compute", {})
    return render(request, "observatory/methodology.html", {
        "schemes": schemes, "computed_at": compute.get("computed_at"), "impute": compute.get("impute"),
        "units": compute.get("units", []), "min_coverage": pct(MIN_CELL_COVERAGE, 0),
        "max_split": pct(MAX_SPLIT_SHARE, 0), "min_region": pct(MIN_REGION_RANKABLE, 0),
        # what the data hold, read from them: the texts say which years have employment, wages and local units
        "data_years": years_text(obs.years), "wage_years": years_text(selectors.years_with("productivity")),
        "unit_years": years_text(selectors.years_with("establishments")),
        "early_years": any(y < 2013 for y in obs.years)})


@cached_page
@page
def sources(request: HttpRequest) -> HttpResponse:
    src = selectors.sources()
    meta = selectors.dataset_meta()
    groups: dict[str, dict[str, Any]] = {}
    for r in src.itertuples():
        g = groups.setdefault(r.source, {"source": r.source, "title": r.title, "publisher": r.publisher,
                                         "publisher_url": r.publisher_url, "licence": r.licence,
                                         "citation": r.citation, "files": []})
        g["files"].append({"file": r.file, "sha256": r.sha256, "bytes": num(r.bytes), "url": r.url})
    return render(request, "observatory/sources.html", {
        "groups": list(groups.values()), "meta": meta, "compute": meta.get("compute", {}),
        "versions_url": "/api/versions"})


@cached_page
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "observatory/help.html", {"example_map": reverse("map") + "?category=automotive"
                                                     "&measure=lq&scheme=eco2007&level=2"})

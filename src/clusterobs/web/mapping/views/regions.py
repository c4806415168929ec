"""Module 1, region overview, and module 2, the regional cluster portfolio."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterobs.charts.specs.text import scheme_short, star_labels, years_text
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE
from clusterobs.web.chart_registry import IMPUTED_OUTLINE
from clusterobs.web.labels import (
    CONTEXT_INDICATORS,
    KIND_LABELS,
    LEVEL_LABELS,
    MEASURE_INLINE,
    MEASURE_SHORT,
    TEST_LABELS,
    T,
    flag,
    imputed_words,
    indicator_text,
    missing,
    num,
    pct,
    region_no_data_words,
    value_text,
)
from clusterobs.web.mapping import history, selectors
from clusterobs.web.mapping.chartspecs import cell_words
from clusterobs.web.mapping.views.trends import change_rows, growth_lists
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, not_found, page
from clusterobs.web.query import Query, parse_query

PORTFOLIO_SORTS = ("category_name", "kind", "stars", "employment", "lq", "focus", "share_europe", "growth",
                   "coverage", "imputed_share")


def _region(request: HttpRequest, code: str, view: str) -> dict[str, Any] | HttpResponse:
    if code != code.upper():
        target = reverse(view, args=[code.upper()])
        return HttpResponseRedirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    try:
        return selectors.region_get(code)
    except selectors.NotFound:
        return not_found(request, _("There is no NUTS 2021 region with the code “%(code)s”. Region codes look like "
                                    "DE11 (NUTS 2), DE1 (NUTS 1) or DE (country); search by name or code below.")
                         % {"code": code})


def _header(region: dict[str, Any], q: Query) -> dict[str, Any]:
    regions = selectors.data().regions
    parent = regions[regions["code"] == region["parent"]] if region.get("parent") else regions.head(0)
    children = regions[regions["parent"] == region["code"]]
    return {"region": region, "level_label": LEVEL_LABELS[int(region["level"])],
            "parent": parent.iloc[0].to_dict() if len(parent) else None,
            "children": children[["code", "name"]].to_dict("records")}


OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def _condition_text(r: Any) -> str:
    """"employment 174,647 ≥ 29,838 (p90)": the cell's value against the threshold used."""
    value = value_text(r.measure, r.value)
    threshold = value_text(r.measure, r.threshold)
    cond = str(r.condition).split()
    if cond and cond[-1].startswith("p") and cond[-1][1:].replace(".", "").isdigit():
        threshold += f" ({cond[-1]})"
    text = f"{value} {OPS.get(r.op, r.op)} {threshold}"
    return text if r.test == r.measure else f"{MEASURE_INLINE.get(r.measure, r.measure)} {text}"


@cached_page
@page
def region(request: HttpRequest, code: str) -> HttpResponse:
    reg = _region(request, code, "region")
    if isinstance(reg, HttpResponse):
        return reg
    level = int(reg["level"])
    q = parse_query(request.GET, level=level, region=code)
    m = selectors.measures(scheme=q.scheme, year=q.year, level=level, region=code)
    has = m["employment"].notna()
    st = selectors.star_values(m)
    starred = m[has & (st > 0)].sort_values(["stars", "employment"], ascending=[False, False])
    tests = selectors.region_star_tests(region=code, scheme=q.scheme, year=q.year, level=level)
    why: dict[str, list[dict[str, Any]]] = {}
    for r in tests[tests["category"].isin(starred["category"])].itertuples():
        why.setdefault(r.category, []).append({
            "test": TEST_LABELS.get(r.test, r.test), "text": _condition_text(r),
            "passed": bool(r.passed) if not missing(r.passed) else None, "skipped": bool(r.skipped)})
    starred_rows = [{
        "category": r.category, "name": r.category_name, "kind": KIND_LABELS.get(r.kind, r.kind),
        "stars": int(r.stars), "stars_text": "★" * int(r.stars), "stars_label": star_labels(T)[int(r.stars)],
        "tests": ", ".join(str(TEST_LABELS.get(t, t)) for t in r.tests_passed.split(",") if t),
        "employment": value_text("employment", r.employment), "lq": value_text("lq", r.lq),
        "imputed": imputed_words(r.imputed_share), "why": why.get(r.category, [])} for r in starred.itertuples()]
    context = selectors.region_context(code)
    indicators = [{"label": label, "value": indicator_text(kind, context[key]["value"]),
                   "year": context[key]["year"]} for key, label, kind in CONTEXT_INDICATORS if key in context]
    lfs = selectors.region_employment(code)
    traded = m[(m["kind"] == "traded")]
    traded_emp = traded["employment"].sum(min_count=1)
    facts = []
    if lfs:
        facts.append({"label": _("Employment, whole economy (LFS)"), "value": num(lfs["value"]), "year": lfs["year"]})
    if not missing(traded_emp):
        facts.append({"label": _("Employment in traded categories with data (SBS)"), "value": num(traded_emp),
                      "year": q.year})
    quality = selectors.region_quality_get(code, year=q.year)
    head = selectors.region_headline(code, scheme=q.scheme, year=q.year)
    ctx = {
        **base_context(request, q, reverse("region", args=[code])),
        **_header(reg, q),
        "has_measures": bool(len(m)),
        "caveats": region_caveats(code, m, quality, q),
        "quality": quality, "region_head": head,
        "head_stars": [(s, head[f"stars_{s}"]) for s in (3, 2, 1)] if head else [],
        "not_ranked": int((has & ~selectors.ranked_mask(m)).sum()),
        "cells_with_data": int(has.sum()), "cells": len(m),
        "imputed_cells": int((m["imputed_share"].fillna(0) > 0).sum()),
        "starred": starred_rows, "facts": facts + indicators,
        "context_missing": not indicators,
        "scheme_label": scheme_short(q.scheme),
        "locator": chart_slot("locator", q),
        "stars_chart": chart_slot("region-stars", q) if len(m) else None,
        "downloads": downloads("measures", {**q.params(), "level": level, "region": code, "min_stars": 1}),
        "top_category": starred_rows[0]["category"] if starred_rows else None,
        "several_years": len(selectors.data().years) > 1,
        "growth": growth_lists(history.region_growth_leaders(code, year=q.year), label=lambda r: r.category_name,
                               url=lambda r: cluster_url(code, r.category, q)),
        "change": change_rows(history.region_structural_change(code),
                              url=lambda category: cluster_url(code, category, q)),
    }
    if ctx["change"]:
        ctx["change_parts"] = [("gained", ctx["change"]["gained"]), ("lost", ctx["change"]["lost"])]
    return render(request, "observatory/region.html", ctx)


def cluster_url(code: str, category: str, q: Query) -> str:
    """The region × category page (its timeline) with the page's scheme and year."""
    return reverse("cluster", args=[code, category]) + "?" + q.qs(level=int(selectors.region_get(code)["level"]))


def _table_row(r: Any, region_reason: str) -> dict[str, Any]:
    """A row of a region's category table: a cell that cannot be ranked is listed without stars, with the reason
    (its own caveat, or the region's when the region is no-data)."""
    ranked = not missing(r.employment) and flag(r.rankable) and not flag(getattr(r, "region_no_data", False))
    reason = "" if ranked or missing(r.employment) else (cell_words(r) if not flag(r.rankable) else region_reason)
    stars = None if missing(r.stars) else int(r.stars)
    return {
        "category": r.category, "name": r.category_name, "kind": KIND_LABELS.get(r.kind, r.kind),
        "stars": stars if ranked else None, "stars_text": "★" * (stars or 0), "not_ranked": reason,
        "employment": value_text("employment", r.employment), "lq": value_text("lq", r.lq),
        "focus": value_text("focus", r.focus), "share_europe": value_text("share_europe", r.share_europe),
        "growth": value_text("growth", r.growth), "coverage": pct(r.coverage, 0) if not missing(r.coverage) else ":",
        "imputed": imputed_words(r.imputed_share),
    }


def region_caveats(code: str, m: pd.DataFrame, quality: dict[str, Any] | None, q: Query) -> list[dict[str, str]]:
    """What the region page's caveat box says, in the page's language: a no-data region and why, a share of the
    population from older regions split by population, categories below the coverage threshold, a high imputed
    share, and the flagged SBS/LFS plausibility caveats (``region_caveats``, when the version has them)."""
    out: list[dict[str, str]] = []
    if quality and quality["no_data"]:
        out.append({"kind": "no_data", "text": region_no_data_words(quality, max_split=MAX_SPLIT_SHARE) + " " + _(
            "It is grey on the maps and left out of every ranking and headline figure; its measures are listed "
            "with the reason.")})
    split = (quality or {}).get("split_share")
    if split is None and len(m) and "split_share" in m:
        split = m["split_share"].max()
    if not missing(split) and 0 < float(split) <= MAX_SPLIT_SHARE:
        out.append({"kind": "split", "text": _(
            "%(share)s of the region's population lives in parts of older NUTS regions that were shared out by "
            "population: for those parts the figures repeat the older regions' structure.") % {"share": pct(split, 0)}})
    if len(m) and "coverage" in m:
        low = m[m["employment"].notna() & (m["coverage"] < MIN_CELL_COVERAGE)].sort_values("category_name")
        if len(low):
            names = ", ".join(f"{r.category_name} ({pct(r.coverage, 0)})" for r in low.itertuples())
            out.append({"kind": "coverage", "text": ngettext(
                "%(n)s category has too few of its industries in the data here to be ranked (coverage below "
                "%(min)s): %(list)s. It is listed, without stars.",
                "%(n)s categories have too few of their industries in the data here to be ranked (coverage below "
                "%(min)s): %(list)s. They are listed, without stars.", len(low)) % {
                "n": len(low), "min": pct(MIN_CELL_COVERAGE, 0), "list": names}})
    imputed = (quality or {}).get("imputed_share")
    if not missing(imputed) and float(imputed) >= IMPUTED_OUTLINE:
        out.append({"kind": "imputed", "text": _(
            "%(share)s of the region's industry employment is imputed (Eurostat cells missing or confidential, "
            "estimated from their section's residual).") % {"share": pct(imputed, 0)}})
    for r in selectors.region_caveats(code, year=q.year).to_dict("records"):
        ratio = r.get("ratio")
        sector = r.get("sector_name") or r.get("sector") or ""
        if missing(ratio):
            text = str(r.get("caveat") or "")
        elif float(ratio) > 1:
            text = _("%(sector)s: the business statistics (SBS) count %(ratio)s times the employment the Labour "
                     "Force Survey finds among the region's residents (for example head offices registered here "
                     "reporting staff who work elsewhere).") % {"sector": sector, "ratio": num(ratio, 1)}
        else:
            text = _("%(sector)s: the business statistics (SBS) count only %(ratio)s times the employment the "
                     "Labour Force Survey finds among the region's residents (for example commuters, or firms "
                     "registered in another region).") % {"sector": sector, "ratio": num(ratio, 2)}
        if text:
            out.append({"kind": "sbs_lfs", "text": text})
    return out


def _sorted(rows: pd.DataFrame, sort: str, direction: str, default: str) -> tuple[pd.DataFrame, str]:
    key = sort if sort in PORTFOLIO_SORTS else default
    if sort and sort not in PORTFOLIO_SORTS:
        raise selectors.BadParameter("sort", f"`sort` must be one of {', '.join(PORTFOLIO_SORTS)}; got {sort!r}.")
    out = rows.sort_values([key, "category_name"], ascending=[direction == "asc", True], na_position="last")
    return out, key


@cached_page
@page
def portfolio(request: HttpRequest, code: str) -> HttpResponse:
    reg = _region(request, code, "portfolio")
    if isinstance(reg, HttpResponse):
        return reg
    level = int(reg["level"])
    q = parse_query(request.GET, level=level, region=code)
    pf = selectors.region_portfolio(code, scheme=q.scheme, year=q.year, top=5)
    rows = pf["rows"].copy()
    rows, key = _sorted(rows, q.sort, q.dir, "employment")

    def top(df: pd.DataFrame, measure: str) -> list[dict[str, Any]]:
        return [{"category": r.category, "name": r.category_name, "value": value_text(measure, getattr(r, measure)),
                 "imputed": bool(r.imputed_share and r.imputed_share > 0)} for r in df.itertuples()]

    quality = pf["data_quality"]
    region_reason = region_no_data_words(quality, max_split=MAX_SPLIT_SHARE) if quality else ""
    table = [_table_row(r, region_reason) for r in rows.itertuples()]
    path = reverse("portfolio", args=[code])
    columns = [("category_name", _("Category")), ("kind", _("Kind")), ("stars", _("Stars")),
               ("employment", MEASURE_SHORT["employment"]), ("lq", MEASURE_SHORT["lq"]),
               ("focus", MEASURE_SHORT["focus"]), ("share_europe", MEASURE_SHORT["share_europe"]),
               ("growth", MEASURE_SHORT["growth"]), ("coverage", _("Coverage")), ("imputed_share", _("Imputed"))]
    headers = [{"key": k, "label": label, "sorted": k == key, "dir": q.dir if k == key else None,
                "url": f"{path}?{q.qs(sort=k, dir='asc' if k == key and q.dir == 'desc' else 'desc')}"}
               for k, label in columns]
    ctx = {
        **base_context(request, q, path, "sort", "dir"),
        **_header(reg, q),
        "most_productive": top(pf["most_productive"], "productivity"),
        "wages_this_year": pf["year"] in selectors.years_with("productivity"),
        "wage_years": years_text(selectors.years_with("productivity")),
        "most_specialised": top(pf["most_specialised"], "lq"),
        "largest": top(pf["largest"], "employment"),
        "table": table, "headers": headers,
        "n_missing": int(rows["employment"].isna().sum()),
        "n_not_ranked": sum(1 for r in table if r["not_ranked"]),
        "caveats": region_caveats(code, rows, quality, q),
        "n_imputed": int((rows["imputed_share"].fillna(0) > 0).sum()),
        "bubble": chart_slot("portfolio", q),
        "downloads": downloads(f"regions/{code}/portfolio", {"scheme": q.scheme, "year": q.year}),
        "scheme_label": scheme_short(q.scheme),
        "several_years": len(selectors.data().years) > 1,
    }
    return render(request, "observatory/portfolio.html", ctx)

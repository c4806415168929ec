"""Region × category: one cluster over the years (its timeline) and why it has its stars in the chosen year."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.charts.specs.text import scheme_short, star_labels, years_text
from clusterobs.web.labels import (
    LEVEL_LABELS,
    TEST_LABELS,
    T,
    flag,
    flag_words,
    growth_text,
    missing,
    value_text,
)
from clusterobs.web.mapping import history, selectors
from clusterobs.web.mapping.views.regions import _condition_text, _region
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, not_found, page
from clusterobs.web.query import parse_query


def _year_row(r: Any, year: int) -> dict[str, Any]:
    """A row of the timeline table: the year's values as shown, its flags in words, why it has no stars."""
    stars = None if missing(r.stars) else int(r.stars)
    ranked = not missing(r.employment) and flag(r.rankable) and not flag(r.region_no_data)
    if not r.in_statistics:
        why = _("No row for this cluster this year (outside the statistics at this level).")
    elif missing(r.employment):
        why = _("No data: employment missing or confidential in the source")
    elif not ranked:
        why = str(r.caveat or _("Not ranked: the region is no-data this year"))
    else:
        why = ""
    return {"year": int(r.year), "current": int(r.year) == year, "employment": value_text("employment", r.employment),
            "lq": value_text("lq", r.lq), "focus": value_text("focus", r.focus),
            "stars": stars if ranked else None, "stars_text": "★" * (stars or 0),
            "stars_label": star_labels(T)[stars] if ranked and stars is not None else "",
            "productivity": value_text("productivity", r.productivity),
            "establishments": value_text("employment", r.establishments),
            "growth": growth_text(r.growth, r.growth_window, r.year), "growth_yoy": value_text("growth", r.growth_yoy),
            "growth_break": flag(r.growth_break), "flags": r.flags if isinstance(r.flags, str) else "",
            "flags_words": flag_words(r.flags), "not_ranked": why}


@cached_page
@page
def cluster(request: HttpRequest, code: str, category: str) -> HttpResponse:
    if code != code.upper():
        target = reverse("cluster", args=[code.upper(), category])
        return HttpResponseRedirect(f"{target}?{request.GET.urlencode()}" if request.GET else target)
    reg = _region(request, code, "region")
    if isinstance(reg, HttpResponse):
        return reg
    try:
        cat = selectors.category_get(category)
    except selectors.NotFound:
        return not_found(request, _("There is no category “%(category)s”. The category index lists every traded "
                                    "and local cluster category and the emerging industries.")
                         % {"category": category})
    level = int(reg["level"])
    q = parse_query(request.GET, level=level, region=code, category=category)
    rows = history.cluster_timeline(code, category, scheme=q.scheme)
    table = [_year_row(r, q.year) for r in rows.itertuples()]
    ex = selectors.star_explanation(code, category, scheme=q.scheme, year=q.year)
    conditions = [{"test": TEST_LABELS.get(r.test, r.test), "text": _condition_text(r),
                   "passed": bool(r.passed) if not missing(r.passed) else None, "skipped": bool(r.skipped)}
                  for r in ex["conditions"].itertuples()]
    path = reverse("cluster", args=[code, category])
    years = [int(y) for y in rows["year"]]
    ctx = {
        **base_context(request, q, path, "region", "category"),
        "region": reg, "category": cat, "level_label": LEVEL_LABELS[level], "scheme_label": scheme_short(q.scheme),
        "table": table, "years_text": years_text(years), "several_years": len(years) > 1,
        "n_flagged": sum(1 for t in table if t["flags"] or t["growth_break"]),
        "explanation": ex, "conditions": conditions,
        "stars_now": None if ex["stars"] is None else star_labels(T)[ex["stars"]],
        "chart": chart_slot("cluster-timeline", q),
        "downloads": downloads("timeline", {"region": code, "category": category, "scheme": q.scheme},
                               rows=len(rows)),
        "sector_url": reverse("sector", args=[category]) + "?" + q.qs(region=code, level=level),
        "region_url": reverse("region", args=[code]) + "?" + q.qs(),
    }
    return render(request, "observatory/cluster.html", ctx)

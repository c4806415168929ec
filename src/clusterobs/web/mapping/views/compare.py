"""Region comparison: up to 10 regions side by side, on shared axes."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterobs.web.labels import (
    COMPARE_MEASURES,
    CONTEXT_INDICATORS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    indicator_text,
    num,
)
from clusterobs.web.mapping import places, selectors
from clusterobs.web.mapping.chartspecs import region_words
from clusterobs.web.pagecache import cached_page
from clusterobs.web.pages import base_context, chart_slot, downloads, not_found, page
from clusterobs.web.query import MAX_COMPARE, parse_query


def _codes_by_level(codes: tuple[str, ...]) -> dict[int, str]:
    """The compared regions by NUTS level, comma-separated (the API's ``/measures`` takes one level at a time)."""
    out: dict[int, list[str]] = {}
    for code in codes:
        out.setdefault(int(selectors.region_get(code)["level"]), []).append(code)
    return {lv: ",".join(out[lv]) for lv in sorted(out)}


_CODE = re.compile(r"^[A-Za-z]{2}[A-Za-z0-9]{0,3}$")


def _entries(get: QueryDict) -> list[str]:
    """The comparison's regions as typed: codes or names, separated by commas or semicolons."""
    return [t.strip() for raw in get.getlist("regions") for t in re.split(r"[,;]", raw) if t.strip()]


def _by_name(request: HttpRequest) -> HttpResponse | list[dict[str, Any]] | None:
    """Names in ``regions`` ("Munich, Lombardy"): a redirect to the same comparison by codes when each names one
    region, else the entries to choose for (each with its candidates); None when ``regions`` holds only codes."""
    entries = _entries(request.GET)
    known = set(selectors.data().regions["code"])
    if all(_CODE.match(t) and (t.upper() in known or not selectors.region_search(t, limit=1).size) for t in entries):
        return None  # codes only (an unknown code is reported as before)
    codes: list[str] = []
    choices: list[dict[str, Any]] = []
    for i, text in enumerate(entries):
        code, candidates = places.resolve(text)
        if code is not None:
            codes.append(code)
            continue
        if not candidates and _CODE.match(text):
            codes.append(text.upper())  # not a region name: the unknown code is reported
            continue
        options = []
        for c in candidates:
            chosen = [*entries[:i], c["code"], *entries[i + 1:]]
            get = request.GET.copy()
            get.setlist("regions", [", ".join(chosen)])
            options.append({**c, "choose": reverse("compare") + "?" + get.urlencode()})
        choices.append({"text": text, "options": options})
    if choices:
        return choices
    get = request.GET.copy()
    get.setlist("regions", [",".join(dict.fromkeys(codes))])
    return HttpResponseRedirect(reverse("compare") + "?" + get.urlencode())


@cached_page
@page
def compare(request: HttpRequest) -> HttpResponse:
    by_name = _by_name(request)
    if isinstance(by_name, HttpResponse):
        return by_name
    if by_name is not None:
        get = request.GET.copy()
        get.pop("regions", None)
        q = parse_query(get, measure="lq", measures=COMPARE_MEASURES)
        return render(request, "observatory/compare.html", {
            **base_context(request, q, reverse("compare"), "regions", "measure"), "rows": [], "choices": by_name,
            "max": MAX_COMPARE, "measures": [(m, MEASURE_LABELS[m]) for m in COMPARE_MEASURES],
            "regions_text": ", ".join(_entries(request.GET)), "example": reverse("compare") + "?" + q.qs(
                "regions", "measure", regions=("DE11", "FR10", "ITC4", "NL33", "PL91"))})
    q = parse_query(request.GET, measure="lq", measures=COMPARE_MEASURES)
    unknown = [c for c in q.regions if c not in set(selectors.data().regions["code"])]
    if unknown:
        return not_found(request, _("Unknown region codes: %(codes)s. Search for a region by name or code, then "
                                    "add it to the comparison.") % {"codes": ", ".join(unknown)})
    rows = []
    for code in q.regions:
        region = selectors.region_get(code)
        level = int(region["level"])
        m = selectors.measures(scheme=q.scheme, year=q.year, level=level, region=code)
        has = m["employment"].notna()
        traded = m[(m["kind"] == "traded") & has]
        context = selectors.region_context(code)
        # the engine's counts (region_headlines): traded clusters that can be ranked; none for a no-data region
        head = selectors.region_headline(code, scheme=q.scheme, year=q.year)
        no_data = region_words(code, q, level)
        rows.append({
            "code": code, "name": region["name"], "level": LEVEL_LABELS[level], "no_data": no_data,
            "traded_employment": num(traded["employment"].sum()) if len(traded) else ":",
            "stars": [":" if head is None or no_data else num(head[f"stars_{s}"]) for s in (3, 2, 1)],
            "not_ranked": 0 if head is None else head["not_rankable"],
            "indicators": [indicator_text(kind, context[key]["value"]) + f" ({context[key]['year']})"
                           if key in context else ":" for key, _label, kind in CONTEXT_INDICATORS[:3]],
            "remove": reverse("compare") + "?" + q.qs("regions", "measure",
                                                       regions=tuple(c for c in q.regions if c != code)),
        })
    peers = []
    if q.regions and len(q.regions) < MAX_COMPARE:
        for r in selectors.peer_regions(q.regions[0], limit=30).itertuples():
            if r.code not in q.regions:
                peers.append({"code": r.code, "name": r.name, "url": reverse("compare") + "?" + q.qs(
                    "regions", "measure", regions=(*q.regions, r.code))})
    ctx = {
        **base_context(request, q, reverse("compare"), "regions", "measure"),
        "rows": rows, "peers": peers[:12], "max": MAX_COMPARE,
        "indicator_labels": [label for _key, label, _kind in CONTEXT_INDICATORS[:3]],
        "measures": [(m, MEASURE_LABELS[m]) for m in COMPARE_MEASURES],
        "regions_text": ", ".join(q.regions),
        "stars_chart": chart_slot("compare-stars", q) if q.regions else None,
        "measure_chart": chart_slot("compare-measure", q) if q.regions else None,
        "downloads": [{"level": LEVEL_LABELS[lv], **downloads("measures", {**q.params(), "level": lv, "region": codes})}
                      for lv, codes in _codes_by_level(q.regions).items()],
        "example": reverse("compare") + "?" + q.qs("regions", "measure",
                                                   regions=("DE11", "FR10", "ITC4", "NL33", "PL91")),
    }
    return render(request, "observatory/compare.html", ctx)
